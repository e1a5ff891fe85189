/// Merges what every source reports into the updates that make one cluster state, and says
/// what the receiver must do: rebuild over a new shape when the set of nodes or replicas
/// changed (`reshaped`), else apply a delta.
///
/// Sources speak `NodeReport`s (each converts its own messages at its edge): an agent reports
/// its one node, a fleet source (a Prometheus server) reports many nodes per refresh. An agent
/// wins for the node it covers: while it is live, a fleet source's values for that node are
/// left out.
///
/// It keeps no cluster state of its own, only what merging needs (the shape, the sources, the
/// span counts): the receiver's state, which applies each update once, is the one copy, and
/// spans are folded once, there. `MergedCluster` pairs a merger with a state for receivers
/// without a screen (snapshot, a replay's cursor, tests).
///
/// Pure and single-threaded: the feed that owns it serialises calls. Every sample is stamped
/// with the receiver's clock (`now`), so liveness compares like with like across sources whose
/// clocks differ; the sources' own times are kept as `reportedTime` for the header.
public struct ClusterMerger: Sendable {
    private var nodes: [NodeID: NodeSpec] = [:]
    private var replicas: [ReplicaID: ReplicaSpec] = [:]
    /// Every source as the receiver last heard of it, by address.
    private var sources: [String: SourceStatus] = [:]
    private var sequence: UInt64 = 0
    /// Each node's span storage as its agent last reported it, and the spans each connection
    /// lost in transit (a slow reader): the dashboard shows their sum as dropped.
    private var reportedStorage: [NodeID: SpanStorageStatus] = [:]
    private var droppedInTransit: [String: UInt64] = [:]

    public init() {}

    /// The node the source at `address` described last, if any.
    public func node(of address: String) -> NodeID? { sources[address]?.node }

    /// Names every source the feed will follow, all connecting, as a first snapshot (the screen
    /// shows connection states before any source answers).
    public mutating func start(sources addresses: [String], now: Double) -> ClusterUpdate {
        var state = ClusterState.empty
        for address in addresses { state.apply(receive(SourceStatus(address: address), now: now)) }
        return .snapshot(state, sequence: 0)
    }

    /// Folds one agent's report in; returns the update to forward.
    public mutating func receive(_ report: NodeReport, from address: String, version: String?, now: Double)
        -> ClusterUpdate
    {
        sequence += 1
        var status = sources[address] ?? SourceStatus(address: address)
        status.lastMessageTime = now
        status.version = version
        status.state = .live
        switch report.content {
        case .full(let node, let hosted, let values):
            status.node = node.id
            let changed = absorb(node, hosted)
            var delta = stamped(values, now: now)
            delta.sources = [status]
            delta.reportedTime = report.reportedTime
            foldSpanDrops(report, node: node.id, address: address, into: &delta)
            return changed ? rebuilt(applying: delta, now: now) : applied(delta)
        case .values(let values):
            var delta = ClusterDelta(sequence: sequence, time: now)
            if let node = status.node {
                delta = stamped(values, now: now)
                foldSpanDrops(report, node: node, address: address, into: &delta)
            }
            delta.sources = [status]
            delta.reportedTime = report.reportedTime
            return applied(delta)
        case .heartbeat:
            var delta = ClusterDelta(sequence: sequence, time: now)
            delta.sources = [status]
            return applied(delta)
        }
    }

    /// Folds one refresh of a fleet source (many nodes, e.g. a Prometheus server) in, as one
    /// update. Only full reports count; nodes a live agent covers are skipped. `notes` says what
    /// the source lacks (`no NVLink series`) and is shown beside it.
    public mutating func receive(
        fleet reports: [NodeReport], from address: String, version: String?, notes: [String], now: Double
    ) -> ClusterUpdate {
        sequence += 1
        var status = sources[address] ?? SourceStatus(address: address, kind: .fleet)
        status.kind = .fleet
        status.lastMessageTime = now
        status.version = version ?? status.version
        status.state = .live
        status.notes = notes
        let covered = Set(sources.values.filter { $0.kind == .agent && $0.state.isLive }.compactMap(\.node))
        var changed = false
        var delta = ClusterDelta(sequence: sequence, time: now)
        for report in reports {
            guard case .full(let node, let hosted, let reported) = report.content, !covered.contains(node.id) else {
                continue
            }
            changed = absorb(node, hosted) || changed
            var values = stamped(reported, now: now - report.age)
            values.time = now
            values.reportedTime = report.reportedTime
            if values.gpuSamples.isEmpty, report.age > 0 {
                // A node the source still lists but no longer hears: its last sample time, so
                // it turns stale, then lost, on the usual rules.
                values.lastHeard[node.id] = now - report.age
            }
            delta.append(values)
        }
        delta.sources = [status]
        return changed ? rebuilt(applying: delta, now: now) : applied(delta)
    }

    /// Records a connection state change.
    public mutating func receive(_ status: SourceStatus, now: Double) -> ClusterUpdate {
        sequence += 1
        var merged = status
        if let old = sources[status.address] {
            merged.node = status.node ?? old.node
            merged.version = status.version ?? old.version
            merged.lastMessageTime = old.lastMessageTime
            if merged.notes.isEmpty { merged.notes = old.notes }
        }
        var delta = ClusterDelta(sequence: sequence, time: now)
        delta.sources = [merged]
        return applied(delta)
    }

    /// Puts past KV-cache values in front of each named GPU's history (sparklines on open).
    public mutating func receive(history: GPUHistory, now: Double) -> ClusterUpdate {
        sequence += 1
        var delta = ClusterDelta(sequence: sequence, time: now)
        delta.pastKVUsage = history.kvUsage
        return applied(delta)
    }

    /// Advances the clock with no data, so silent nodes turn stale and then lost.
    public mutating func tick(now: Double) -> ClusterUpdate {
        sequence += 1
        return applied(ClusterDelta(sequence: sequence, time: now))
    }

    /// Takes a node's topology and replicas in; true when either differs from what we had.
    private mutating func absorb(_ node: NodeSpec, _ hosted: [ReplicaSpec]) -> Bool {
        var changed = nodes[node.id] != node
        nodes[node.id] = node
        for r in hosted where replicas[r.id] != r {
            replicas[r.id] = r
            changed = true
        }
        return changed
    }

    /// The report's values with this update's sequence, and every GPU sample at `now`.
    private func stamped(_ values: ClusterDelta, now: Double) -> ClusterDelta {
        var delta = values
        delta.sequence = sequence
        delta.time = now
        for i in delta.gpuSamples.indices { delta.gpuSamples[i].time = now }
        return delta
    }

    private mutating func applied(_ delta: ClusterDelta) -> ClusterUpdate {
        remember(delta.sources)
        return .delta(delta)
    }

    /// A new topology or replica set: the receiver rebuilds over it, then applies the delta.
    private mutating func rebuilt(applying delta: ClusterDelta, now: Double) -> ClusterUpdate {
        remember(delta.sources)
        let topology = Topology(nodes: nodes.values.sorted { $0.id < $1.id })
        return .reshaped(topology, replicas: replicas.values.sorted { $0.id < $1.id }, delta)
    }

    /// Keeps each source as the update leaves it, as the receiver's state will.
    private mutating func remember(_ changed: [SourceStatus]) {
        for source in changed { sources[source.address] = source }
    }

    /// Adds what this connection lost in transit to the node's reported span drops.
    private mutating func foldSpanDrops(
        _ report: NodeReport, node: NodeID, address: String, into delta: inout ClusterDelta
    ) {
        let transitChanged = report.spansDroppedInTransit != droppedInTransit[address, default: 0]
        droppedInTransit[address] = report.spansDroppedInTransit
        if let reported = delta.spanStorage[node] { reportedStorage[node] = reported }
        guard delta.spanStorage[node] != nil || transitChanged, var shown = reportedStorage[node] else { return }
        shown.dropped += report.spansDroppedInTransit
        delta.spanStorage[node] = shown
    }
}
