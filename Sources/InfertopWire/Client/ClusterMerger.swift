import InfertopCore

/// Merges what many agents send into one cluster state, and says what the dashboard must be
/// told: a new snapshot when the set of nodes or replicas changed, else a delta.
///
/// Pure and single-threaded: the feed that owns it serialises calls. Every sample is stamped
/// with the receiver's clock (`now`), so liveness compares like with like across agents whose
/// clocks differ; the agents' own times are kept as `reportedTime` for the header.
public struct ClusterMerger: Sendable {
    public private(set) var state = ClusterState(topology: Topology(nodes: []), replicas: [])
    private var nodes: [NodeID: NodeSpec] = [:]
    private var replicas: [ReplicaID: ReplicaSpec] = [:]
    private var sequence: UInt64 = 0
    /// Each node's span storage as its agent last reported it, and the spans each connection
    /// lost in transit (a slow reader): the dashboard shows their sum as dropped.
    private var reportedStorage: [NodeID: SpanStorageStatus] = [:]
    private var droppedInTransit: [String: UInt64] = [:]

    public init() {}

    /// Folds one agent message in; returns the update to forward, if any.
    public mutating func receive(_ update: Infertop_V1_Update, from address: String, version: String, now: Double)
        -> ClusterUpdate
    {
        sequence += 1
        var status = state.sources[address] ?? SourceStatus(address: address)
        status.lastMessageTime = now
        status.version = version
        status.state = .live
        switch update.body {
        case .snapshot(let snapshot):
            let node = NodeSpec(wire: snapshot.topology)
            status.node = node.id
            var changed = nodes[node.id] != node
            nodes[node.id] = node
            for r in snapshot.replicas.map(ReplicaSpec.init(wire:)) where replicas[r.id] != r {
                replicas[r.id] = r
                changed = true
            }
            var delta = NodeValues.delta(from: snapshot.values, node: node.id, sequence: sequence, time: now)
            delta.sources = [status]
            delta.reportedTime = update.time
            foldSpanDrops(update, node: node.id, address: address, into: &delta)
            if changed {
                let topology = Topology(nodes: nodes.values.sorted { $0.id < $1.id })
                state = state.rebuilt(topology: topology, replicas: replicas.values.sorted { $0.id < $1.id })
                state.time = max(state.time, now)
                state.apply(delta)
                return .snapshot(state, sequence: sequence)
            }
            state.apply(delta)
            return .delta(delta)
        case .delta(let values):
            var delta = ClusterDelta(sequence: sequence, time: now)
            if let node = status.node {
                delta = NodeValues.delta(from: values, node: node, sequence: sequence, time: now)
                foldSpanDrops(update, node: node, address: address, into: &delta)
            }
            delta.sources = [status]
            delta.reportedTime = update.time
            state.apply(delta)
            return .delta(delta)
        case .heartbeat, .none:
            var delta = ClusterDelta(sequence: sequence, time: now)
            delta.sources = [status]
            state.apply(delta)
            return .delta(delta)
        }
    }

    /// Adds what this connection lost in transit to the node's reported span drops.
    private mutating func foldSpanDrops(
        _ update: Infertop_V1_Update, node: NodeID, address: String, into delta: inout ClusterDelta
    ) {
        let transitChanged = update.spansDroppedInTransit != droppedInTransit[address, default: 0]
        droppedInTransit[address] = update.spansDroppedInTransit
        if let reported = delta.spanStorage[node] { reportedStorage[node] = reported }
        guard delta.spanStorage[node] != nil || transitChanged, var shown = reportedStorage[node] else { return }
        shown.dropped += update.spansDroppedInTransit
        delta.spanStorage[node] = shown
    }

    /// Records a connection state change.
    public mutating func receive(_ status: SourceStatus, now: Double) -> ClusterUpdate {
        sequence += 1
        var merged = status
        if let old = state.sources[status.address] {
            merged.node = status.node ?? old.node
            merged.version = status.version ?? old.version
            merged.lastMessageTime = old.lastMessageTime
        }
        var delta = ClusterDelta(sequence: sequence, time: now)
        delta.sources = [merged]
        state.apply(delta)
        return .delta(delta)
    }

    /// Advances the clock with no data, so silent nodes turn stale and then lost.
    public mutating func tick(now: Double) -> ClusterUpdate {
        sequence += 1
        let delta = ClusterDelta(sequence: sequence, time: now)
        state.apply(delta)
        return .delta(delta)
    }
}
