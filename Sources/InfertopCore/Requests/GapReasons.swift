/// Why a stretch of a request took long, from what the cluster state says about where it ran:
/// the replica's KV cache near full or requests waiting (queued), decode steps against the
/// physical floor (decode), a node stale or lost, an erroring port (time with no span).
///
/// Each answer is a few words for the parentheses of the gap line, or nil when nothing stands out.
public enum GapReasons {
    /// Why a request queued: the node gone, the KV cache full, requests waiting, preemptions.
    public static func queue(replica: ReplicaID?, node: NodeID?, state: ClusterState, rules: HealthRules) -> String? {
        if let lost = reachability(node, state) { return lost }
        if let kv = kvUsage(replica: replica, node: node, state: state), kv >= rules.kvWarning {
            return kv >= rules.kvCritical ? "KV cache full" : "KV cache \(Format.percent(kv))"
        }
        if let replica, let sample = state.replicaSamples[replica] {
            if sample.status == .down { return "\(replica) down" }
            if sample.preemptionsPerSecond >= rules.preemptionsPerSecond {
                return "\(Format.fixed(sample.preemptionsPerSecond, 1)) preemptions/s"
            }
            if sample.waitingRequests > 0 { return "\(sample.waitingRequests) waiting" }
        }
        return nil
    }

    /// How decode compares with the floor: the request's own inter-token latency (else the
    /// replica's mean step) over the replica's decode floor, `x3.2 the floor`.
    public static func decode(_ timings: RequestTimings?, replica: ReplicaID?, node: NodeID?, state: ClusterState)
        -> String?
    {
        if let lost = reachability(node, state) { return lost }
        guard let replica, let floor = state.decodeFloorSeconds(replica: replica), floor > 0 else { return nil }
        guard let step = timings?.itlSeconds ?? state.replicaSamples[replica]?.stepSeconds, step > 0 else { return nil }
        return "\(Format.ratio(step / floor)) the floor"
    }

    /// Prefill is compute-bound: its length follows the prompt.
    public static func prefill(_ timings: RequestTimings?, node: NodeID?, state: ClusterState) -> String? {
        if let lost = reachability(node, state) { return lost }
        guard let tokens = timings?.promptTokens, tokens > 0 else { return nil }
        return "\(Format.grouped(tokens)) prompt tokens"
    }

    /// A span on the path: its error, its node gone, or its replica's KV cache full.
    public static func span(_ span: Span, replica: ReplicaID?, state: ClusterState, rules: HealthRules) -> String? {
        if let failure = span.failureText { return failure }
        if let lost = reachability(span.node, state) { return lost }
        if let kv = kvUsage(replica: replica, node: span.node, state: state), kv >= rules.kvCritical {
            return "KV cache full"
        }
        return nil
    }

    /// Time no span covers: a node gone or a port erroring on one of the nodes around it; else `no span`.
    /// `hardware`: name a fault active now (the gap is recent enough for the state to speak for it).
    public static func uncovered(nodes: [NodeID], state: ClusterState, rules: HealthRules, hardware: Bool = true)
        -> String
    {
        for node in nodes {
            if let lost = reachability(node, state) { return lost }
        }
        guard hardware else { return "no span" }
        for node in nodes {
            if let fault = Self.hardware(node: node, replica: nil, state: state, rules: rules) {
                return "\(fault) on \(node)"
            }
        }
        return "no span"
    }

    /// How long ago a gap may have ended for the current state to explain it: a minute.
    static let recentNanos: UInt64 = 60_000_000_000

    /// `node-07 lost` or `node-07 stale`; nil for a live or unknown node.
    static func reachability(_ node: NodeID?, _ state: ClusterState) -> String? {
        guard let node, let status = state.status(node), status.reachability != .live else { return nil }
        return "\(node) \(status.reachability.rawValue)"
    }

    /// The fullest KV cache among the replica's GPUs on the node (or on all its nodes).
    static func kvUsage(replica: ReplicaID?, node: NodeID?, state: ClusterState) -> Double? {
        guard let replica, let spec = state.replica(replica) else { return nil }
        var worst: Double?
        for shard in spec.shards where node == nil || shard.gpu.node == node {
            guard let sample = state.sample(shard.gpu) else { continue }
            worst = max(worst ?? 0, sample.memory.kvUsage)
        }
        return worst
    }
}
