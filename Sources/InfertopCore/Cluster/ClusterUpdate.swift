/// What a feed delivers: a full snapshot first, then deltas, each with a sequence number.
///
/// A feed that merges many sources keeps no state of its own (the receiver's is the one copy):
/// when a node joins or its replicas change it sends `reshaped`, and the receiver rebuilds its
/// state over the new shape, keeping every value of the nodes that remain, before the delta.
public enum ClusterUpdate: Sendable {
    case snapshot(ClusterState, sequence: UInt64)
    case delta(ClusterDelta)
    /// The nodes or the replicas changed: rebuild over them (values kept by name), then apply.
    case reshaped(Topology, replicas: [ReplicaSpec], ClusterDelta)

    public var sequence: UInt64 {
        switch self {
        case .snapshot(_, let sequence): sequence
        case .delta(let delta), .reshaped(_, _, let delta): delta.sequence
        }
    }

    /// The receiver's time of the update.
    public var time: Double {
        switch self {
        case .snapshot(let state, _): state.time
        case .delta(let delta), .reshaped(_, _, let delta): delta.time
        }
    }
}

/// The values that changed since the previous update.
///
/// Link and port samples replace the whole list of each node they name.
public struct ClusterDelta: Sendable {
    public var sequence: UInt64
    public var time: Double
    public var gpuSamples: [GPUSample]
    public var fabricLinks: [FabricLinkSample]
    public var ports: [PortSample]
    public var replicaSamples: [ReplicaSample]
    public var nodeStatus: [(NodeID, NodeStatus)]
    /// Agents whose connection state changed.
    public var sources: [SourceStatus] = []
    /// What each named node's agent could not read (replaces that node's list).
    public var problems: [NodeID: [String]] = [:]
    /// The time on the source's own clock, when it differs from `time` (the receiver's).
    public var reportedTime: Double?
    /// Finished spans that arrived with this update, their nodes resolved.
    public var spans: [Span] = []
    /// Each named agent's span storage (replaces that node's entry).
    public var spanStorage: [NodeID: SpanStorageStatus] = [:]
    /// Nodes whose lifecycle changed (cordoned, draining, drained...), as their agents report it.
    public var lifecycles: [NodeID: NodeLifecycle] = [:]
    /// Nodes a fleet source still lists but no longer hears: when it last had data of each (the
    /// node then turns stale, then lost, on the usual rules).
    public var lastHeard: [NodeID: Double] = [:]
    /// Past KV-cache use of named GPUs, oldest first, to put in front of their history rings
    /// (sparklines filled on open from a fleet source's range query).
    public var pastKVUsage: [GPUID: [Float]] = [:]

    public init(
        sequence: UInt64, time: Double, gpuSamples: [GPUSample] = [], fabricLinks: [FabricLinkSample] = [],
        ports: [PortSample] = [], replicaSamples: [ReplicaSample] = [], nodeStatus: [(NodeID, NodeStatus)] = [],
        problems: [NodeID: [String]] = [:]
    ) {
        self.problems = problems
        self.sequence = sequence
        self.time = time
        self.gpuSamples = gpuSamples
        self.fabricLinks = fabricLinks
        self.ports = ports
        self.replicaSamples = replicaSamples
        self.nodeStatus = nodeStatus
    }

    /// Adds another delta's values (of other nodes) to this one; sequence and time stay.
    public mutating func append(_ other: ClusterDelta) {
        gpuSamples += other.gpuSamples
        fabricLinks += other.fabricLinks
        ports += other.ports
        replicaSamples += other.replicaSamples
        nodeStatus += other.nodeStatus
        sources += other.sources
        problems.merge(other.problems) { $1 }
        if let t = other.reportedTime { reportedTime = max(reportedTime ?? t, t) }
        spans += other.spans
        spanStorage.merge(other.spanStorage) { $1 }
        lifecycles.merge(other.lifecycles) { $1 }
        lastHeard.merge(other.lastHeard) { max($0, $1) }
        pastKVUsage.merge(other.pastKVUsage) { $1 }
    }

    public var isEmpty: Bool {
        gpuSamples.isEmpty && fabricLinks.isEmpty && ports.isEmpty && replicaSamples.isEmpty && nodeStatus.isEmpty
            && sources.isEmpty && problems.isEmpty && spans.isEmpty && spanStorage.isEmpty && lifecycles.isEmpty
            && lastHeard.isEmpty && pastKVUsage.isEmpty
    }
}

extension ClusterState {
    /// Folds a delta into the state; samples for unknown nodes or GPUs are ignored.
    public mutating func apply(_ delta: ClusterDelta) {
        time = max(time, delta.time)
        applyHardware(delta)
        for sample in delta.replicaSamples { replicaSamples[sample.replica] = sample }
        applySources(delta.sources)
        for (node, list) in delta.problems { problems[node] = list.isEmpty ? nil : list }
        if let reported = delta.reportedTime { reportedTime = max(reportedTime ?? reported, reported) }
        applyNodeStatus(delta)
        prependHistory(delta.pastKVUsage)
        refreshReachability()
        applyRequests(delta)
        if !delta.replicaSamples.isEmpty {
            tokensHistory.append(Float(replicaSamples.values.reduce(0) { $0 + $1.tokensPerSecond }))
        }
    }

    /// GPU samples (and their KV history), fabric links and network ports (and their history);
    /// a node's links or ports in a delta replace all it had.
    private mutating func applyHardware(_ delta: ClusterDelta) {
        for sample in delta.gpuSamples {
            guard let n = topology.nodeIndex(of: sample.gpu.node), gpuSamples[n].indices.contains(sample.gpu.index)
            else { continue }
            gpuSamples[n][sample.gpu.index] = sample
            kvHistory[n][sample.gpu.index].append(Float(sample.memory.kvUsage))
            nodeStatus[n].lastSampleTime = max(nodeStatus[n].lastSampleTime, sample.time)
        }
        var touchedLinks = Set<Int>()
        for link in delta.fabricLinks {
            guard let n = topology.nodeIndex(of: link.node) else { continue }
            if touchedLinks.insert(n).inserted { fabricLinks[n] = [] }
            fabricLinks[n].append(link)
        }
        var touchedPorts = Set<Int>()
        for port in delta.ports {
            guard let n = topology.nodeIndex(of: port.node) else { continue }
            if touchedPorts.insert(n).inserted { ports[n] = [] }
            ports[n].append(port)
            if let p = topology.nodes[n].ports.firstIndex(where: { $0.name == port.port }) {
                let busier = max(port.txBytesPerSecond, port.rxBytesPerSecond)
                let share = port.state == .active && port.rateBytesPerSecond > 0 ? busier / port.rateBytesPerSecond : 0
                portHistory[n][p].append(Float(share))
            }
        }
    }

    /// Each source's status; a source's messages also age its node until its first GPU sample.
    private mutating func applySources(_ changed: [SourceStatus]) {
        for source in changed {
            sources[source.address] = source
            guard let node = source.node, let heard = source.lastMessageTime, let n = topology.nodeIndex(of: node)
            else { continue }
            if topology.nodes[n].gpus.isEmpty {
                // A node without GPUs sends no GPU samples: its agent's messages are its sign of life.
                nodeStatus[n].lastSampleTime = max(nodeStatus[n].lastSampleTime, heard)
            } else if !hasSampledGPUs(n), nodeStatus[n].lastSampleTime == 0 {
                // A GPU node is aged from when its agent was first heard until its first sample,
                // not from time zero; heartbeats do not stand in for samples, so an agent that
                // answers but never reads its GPUs goes stale, then lost, as a silent one does.
                nodeStatus[n].lastSampleTime = heard
            }
        }
    }

    /// Node statuses, lifecycles and when a fleet source last heard a node.
    private mutating func applyNodeStatus(_ delta: ClusterDelta) {
        for (node, status) in delta.nodeStatus {
            guard let n = topology.nodeIndex(of: node) else { continue }
            nodeStatus[n] = status
        }
        for (node, lifecycle) in delta.lifecycles {
            if let n = topology.nodeIndex(of: node) { nodeStatus[n].lifecycle = lifecycle }
        }
        for (node, heard) in delta.lastHeard {
            guard let n = topology.nodeIndex(of: node) else { continue }
            // Never heard before (0): the source's time stands, even before the receiver's zero.
            let never = nodeStatus[n].lastSampleTime == 0 && !hasSampledGPUs(n)
            nodeStatus[n].lastSampleTime = never ? heard : max(nodeStatus[n].lastSampleTime, heard)
        }
    }

    /// Whether any GPU sample ever arrived from node `n` (false for a node without GPUs).
    public func hasSampledGPUs(_ n: Int) -> Bool {
        gpuSamples[n].contains { $0 != nil }
    }

    /// Marks nodes stale or lost from the silence since their last sample.
    public mutating func refreshReachability(rules: HealthRules = HealthRules()) {
        for n in nodeStatus.indices {
            let age = time - nodeStatus[n].lastSampleTime
            nodeStatus[n].reachability =
                age >= rules.lostAfterSeconds ? .lost : age >= rules.staleAfterSeconds ? .stale : .live
        }
    }

    /// Puts past KV-cache values in front of each named GPU's history ring.
    private mutating func prependHistory(_ past: [GPUID: [Float]]) {
        for (gpu, values) in past {
            guard let n = topology.nodeIndex(of: gpu.node), kvHistory[n].indices.contains(gpu.index) else { continue }
            let ring = kvHistory[n][gpu.index]
            var merged = HistoryRing<Float>(capacity: ring.capacity)
            for v in values + ring.values { _ = merged.append(v) }
            kvHistory[n][gpu.index] = merged
        }
    }

    /// Folds any update: a snapshot replaces the state, a delta advances it, a reshaped update
    /// rebuilds it over the new nodes and replicas and then advances it.
    public mutating func apply(_ update: ClusterUpdate) {
        switch update {
        case .snapshot(let state, _): self = state
        case .delta(let delta): apply(delta)
        case .reshaped(let topology, let replicas, let delta):
            self = rebuilt(topology: topology, replicas: replicas)
            apply(delta)
        }
    }
}
