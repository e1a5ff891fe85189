import InfertopCore

extension NodeReport {
    /// An agent's message as a Core report. A delta names no node: `node` is the one the same
    /// connection described before (nil before its first snapshot, when the values are dropped).
    public init(wire update: Infertop_V1_Update, node: NodeID?) {
        switch update.body {
        case .snapshot(let snapshot):
            let spec = NodeSpec(wire: snapshot.topology)
            let values = NodeValues.delta(from: snapshot.values, node: spec.id, sequence: 0, time: 0)
            self.init(
                .full(node: spec, replicas: snapshot.replicas.map(ReplicaSpec.init(wire:)), values: values),
                reportedTime: update.time, spansDroppedInTransit: update.spansDroppedInTransit)
        case .delta(let m):
            let values = node.map { NodeValues.delta(from: m, node: $0, sequence: 0, time: 0) }
            self.init(
                .values(values ?? ClusterDelta(sequence: 0, time: 0)), reportedTime: update.time,
                spansDroppedInTransit: update.spansDroppedInTransit)
        case .heartbeat, .none:
            self.init(.heartbeat, spansDroppedInTransit: update.spansDroppedInTransit)
        }
    }
}

extension NodeReport {
    /// A full report as the snapshot message an agent would send for its node (a recording keeps
    /// a fleet source's reports so); nil for values alone or a heartbeat. The report's own time
    /// and age are not in it: the recording keeps them beside it.
    public var wireSnapshot: Infertop_V1_Update? {
        guard case .full(let node, let replicas, let values) = content else { return nil }
        var snapshot = Infertop_V1_Snapshot()
        snapshot.topology = node.wire
        snapshot.replicas = replicas.map(\.wire)
        snapshot.values = NodeValues(node: node.id, from: values, replicas: Set(replicas.map(\.id))).wire
        var update = Infertop_V1_Update()
        update.snapshot = snapshot
        update.spansDroppedInTransit = spansDroppedInTransit
        return update
    }
}

extension ClusterMerger {
    /// Folds one agent message in: converted at this edge into a `NodeReport`, then merged in Core.
    public mutating func receive(_ update: Infertop_V1_Update, from address: String, version: String, now: Double)
        -> ClusterUpdate
    {
        receive(NodeReport(wire: update, node: node(of: address)), from: address, version: version, now: now)
    }
}
