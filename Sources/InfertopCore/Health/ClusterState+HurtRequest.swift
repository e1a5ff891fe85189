/// The request a culprit hurt most, measured the way that culprit hurts: what `w` opens.
public struct HurtRequest: Sendable, Hashable {
    public var trace: TraceID
    /// `longest queue 2.1 s`, `slowest decode 94 ms a token`, `slowest pipeline hop 310 ms`, `longest 41 s`.
    public var measure: String
}

extension ClusterState {
    /// The request `culprit` hurt most since it began (`sinceNanos`, on the spans' clock; nil
    /// when unknown): the longest queue for KV starvation, the slowest decode per token for a
    /// straggler or a degraded link, the slowest pipeline hop across the node for a port fault,
    /// a request it cut for a lost node,
    /// else the longest request. Only requests on the culprit's replica count (else on its
    /// node), and only those still running when it began. Nil when none arrived yet.
    public func requestHurtMost(by culprit: Culprit, sinceNanos: UInt64?) -> HurtRequest? {
        var replicas = Set<ReplicaID>()
        if let r = culprit.replica { replicas.insert(r) }
        if case .replica(let r) = culprit.subject { replicas.insert(r) }
        if let gpu = culprit.subject.gpu, let n = topology.nodeIndex(of: gpu.node),
            placement.replicasOnGPU[n].indices.contains(gpu.index)
        {
            for i in placement.replicasOnGPU[n][gpu.index] { replicas.insert(self.replicas[i].id) }
        }
        // A lost node exports nothing: its requests are found by its replicas' spans elsewhere.
        if case .node(let lost) = culprit.subject {
            for r in self.replicas where r.nodes.contains(lost) { replicas.insert(r.id) }
        }
        let node = culprit.subject.node
        let recent = requests.latency.newestEndNanos &- UInt64(requests.latency.windowSeconds * 1e9)
        let mine: (RequestSpan) -> Bool =
            replicas.isEmpty
            ? { $0.span.node == node } : { $0.replica.map(replicas.contains) ?? false }
        let touching = requests.traces.values.filter { $0.spans.contains(where: mine) }
        guard !touching.isEmpty else { return nil }
        let metric = HurtMetric(culprit.kind, node: node)
        // A lost node is seen seconds after it went (stale after 2.5 s): the requests it cut
        // just before count too.
        let since = sinceNanos.map { metric.measure == .cut ? $0 &- Self.detectionLagNanos : $0 } ?? recent
        // Requests still running when it began (a long queue, a slow decode or hop then is its
        // doing); for plain length, those that began after it, so a long request from before
        // the incident is not the answer. Else any.
        let during = touching.filter { $0.endNanos >= since }
        let began = metric.measure == .duration ? during.filter { $0.startNanos >= since } : []
        let pool = !began.isEmpty ? began : !during.isEmpty ? during : touching
        let scored = pool.compactMap { t in metric.value(t, mine).map { (t, $0) } }
        if let best = scored.max(by: { a, b in a.1 != b.1 ? a.1 < b.1 : a.0.id > b.0.id }) {
            return HurtRequest(trace: best.0.id, measure: metric.describe(best.1))
        }
        let longest = pool.max { a, b in
            a.durationNanos != b.durationNanos ? a.durationNanos < b.durationNanos : a.id > b.id
        }
        return longest.map { HurtRequest(trace: $0.id, measure: "longest \(Format.duration($0.durationSeconds))") }
    }

    /// How long after a node went its loss may first be seen.
    static let detectionLagNanos: UInt64 = 5_000_000_000
}

/// How a kind of culprit hurts a request, in seconds (bigger is worse).
struct HurtMetric {
    enum Measure { case queue, decodePerToken, pipelineHop, cut, duration }
    let measure: Measure
    let node: NodeID?

    init(_ kind: CulpritKind, node: NodeID?) {
        self.node = node
        switch kind {
        case .kvPressure: measure = .queue
        case .straggler, .fabricDegraded: measure = .decodePerToken
        case .portDown: measure = .pipelineHop
        case .nodeLost, .nodeStale: measure = .cut
        default: measure = .duration
        }
    }

    /// The trace's worst value among its spans that `mine` selects (pipeline hops: those sent
    /// from or to the culprit's node); nil when the trace has no such span.
    func value(_ trace: RequestTrace, _ mine: (RequestSpan) -> Bool) -> Double? {
        switch measure {
        case .queue: return trace.spans.filter(mine).compactMap { $0.timings?.queueSeconds }.max()
        case .decodePerToken: return trace.spans.filter(mine).compactMap { $0.timings?.itlSeconds }.max()
        case .duration: return trace.durationSeconds
        case .cut: return trace.isFailed ? trace.durationSeconds : nil
        case .pipelineHop:
            return trace.spans.compactMap { s -> Double? in
                guard s.span.name == Self.hopSpanName,
                    s.span.node == node || s.span.attributes[Self.peerKey]?.text == node?.name
                else { return nil }
                let hops = max(1, s.span.attributes[Self.hopCountKey]?.number ?? 1)
                return s.span.durationSeconds / hops
            }.max()
        }
    }

    func describe(_ seconds: Double) -> String {
        switch measure {
        case .queue: "longest queue \(Format.duration(seconds))"
        case .decodePerToken: "slowest decode \(Format.duration(seconds)) a token"
        case .pipelineHop: "slowest pipeline hop \(Format.duration(seconds))"
        case .cut: "failed after \(Format.duration(seconds))"
        case .duration: "longest \(Format.duration(seconds))"
        }
    }

    /// The span a pipeline stage's activations travel in (`pp send`, a CLIENT span on the
    /// sending node), and its attribute counting the hops it sums.
    static let hopSpanName = "pp send"
    static let hopCountKey = "infertop.pp.hops"
    /// The receiving stage's node, as OpenTelemetry names a client span's peer.
    static let peerKey = "server.address"
}
