import InfertopCore

/// The current values of one node: what a snapshot carries and a delta updates.
///
/// The agent keeps one of these per node and merges newer readings into it by key (GPU
/// index, link pair, port, replica), which is also how a slow subscriber's pending update is
/// coalesced: the newest value of each thing, never a queue of them.
public struct NodeValues: Sendable, Hashable {
    public var node: NodeID
    public var gpus: [Int: GPUSample] = [:]
    public var fabricLinks: [FabricLinkSample]?
    public var ports: [PortSample]?
    public var replicas: [ReplicaID: ReplicaSample] = [:]
    /// What the agent could not read this pass; nil when unchanged, empty when cleared.
    public var problems: [String]?
    /// Finished spans, oldest first. Unlike samples these are a stream, not a latest value:
    /// merging appends, keeping at most `spanLimit` (the oldest go, counted in `spansDropped`).
    public var spans: [Span] = []
    /// The agent's span storage; nil when unchanged.
    public var spanStorage: SpanStorageStatus?
    /// The node's lifecycle (cordoned, draining...); nil when unchanged.
    public var lifecycle: NodeLifecycle?
    /// Spans merged away because more than `spanLimit` were pending.
    public var spansDropped: UInt64 = 0
    /// The most spans one pending update holds.
    public static let spanLimit = 8_192

    public init(node: NodeID) { self.node = node }

    public var isEmpty: Bool {
        gpus.isEmpty && fabricLinks == nil && ports == nil && replicas.isEmpty && problems == nil && spans.isEmpty
            && spanStorage == nil && lifecycle == nil
    }

    /// Folds newer values in; later values win.
    public mutating func merge(_ newer: NodeValues) {
        for (k, v) in newer.gpus { gpus[k] = v }
        if let links = newer.fabricLinks { fabricLinks = links }
        if let p = newer.ports { ports = p }
        for (k, v) in newer.replicas { replicas[k] = v }
        if let p = newer.problems { problems = p }
        if let s = newer.spanStorage { spanStorage = s }
        if let l = newer.lifecycle { lifecycle = l }
        spansDropped += newer.spansDropped
        spans.append(contentsOf: newer.spans)
        if spans.count > Self.spanLimit {
            let excess = spans.count - Self.spanLimit
            spans.removeFirst(excess)
            spansDropped += UInt64(excess)
        }
    }

    /// The same values without spans: what the agent keeps as its node's current state.
    public var withoutSpans: NodeValues {
        var copy = self
        copy.spans = []
        copy.spansDropped = 0
        return copy
    }

    /// The values of one node taken from a cluster-wide delta (replicas: those listed).
    public init(node: NodeID, from delta: ClusterDelta, replicas wanted: Set<ReplicaID>) {
        self.node = node
        for s in delta.gpuSamples where s.gpu.node == node { gpus[s.gpu.index] = s }
        let links = delta.fabricLinks.filter { $0.node == node }
        if !links.isEmpty { fabricLinks = links }
        let p = delta.ports.filter { $0.node == node }
        if !p.isEmpty { ports = p }
        for r in delta.replicaSamples where wanted.contains(r.replica) { replicas[r.replica] = r }
        problems = delta.problems[node]
        lifecycle = delta.lifecycles[node]
    }

    public var wire: Infertop_V1_Delta {
        var m = Infertop_V1_Delta()
        m.gpus = gpus.keys.sorted().compactMap { gpus[$0]?.wire }
        m.fabricLinks = (fabricLinks ?? []).map(\.wire)
        m.ports = (ports ?? []).map(\.wire)
        m.replicas = replicas.keys.sorted().compactMap { replicas[$0]?.wire }
        if let problems {
            m.problems = problems
            m.problemsChanged = true
        }
        m.spans = spans.map(\.wire)
        if let spanStorage { m.spanStorage = spanStorage.wire }
        if let lifecycle { m.lifecycle = lifecycle.wire }
        return m
    }

    /// The values as a Core delta, stamped with `time` (the receiver's clock).
    public static func delta(from m: Infertop_V1_Delta, node: NodeID, sequence: UInt64, time: Double) -> ClusterDelta {
        var delta = ClusterDelta(
            sequence: sequence, time: time,
            gpuSamples: m.gpus.map {
                var s = GPUSample(wire: $0, node: node)
                s.time = time
                return s
            },
            fabricLinks: m.fabricLinks.map { FabricLinkSample(wire: $0, node: node) },
            ports: m.ports.map { PortSample(wire: $0, node: node) },
            replicaSamples: m.replicas.map { ReplicaSample(wire: $0) },
            problems: m.problemsChanged ? [node: m.problems] : [:])
        delta.spans = m.spans.compactMap { Span(wire: $0, node: node) }
        if m.hasSpanStorage { delta.spanStorage = [node: SpanStorageStatus(wire: m.spanStorage)] }
        if let lifecycle = NodeLifecycle(wire: m.lifecycle) { delta.lifecycles = [node: lifecycle] }
        return delta
    }
}
