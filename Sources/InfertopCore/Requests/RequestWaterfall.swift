/// One request laid out for a waterfall: a row per span and per engine phase, indented by
/// parent, labelled with node, GPU group and replica, the critical path marked on each row,
/// and the biggest gap on that path named in words.
///
/// Built on demand for the one trace on screen, in time proportional to its spans.
public struct RequestWaterfall: Sendable {
    /// What a row shows.
    public enum RowKind: Sendable, Hashable {
        case span
        case stage(RequestStageKind)
    }

    /// One row of the waterfall.
    public struct Row: Sendable, Hashable {
        public let kind: RowKind
        public let name: String
        public let depth: Int
        public let startNanos: UInt64
        public let endNanos: UInt64
        public let node: NodeID?
        public let gpus: String?
        public let replica: ReplicaID?
        /// Its parent span has not arrived (or its parents form a cycle).
        public let isOrphan: Bool
        public let isError: Bool
        /// The stretches of this row on the critical path, in time order.
        public internal(set) var critical: [Range<UInt64>] = []

        public var isCritical: Bool { !critical.isEmpty }
        public var durationNanos: UInt64 { endNanos >= startNanos ? endNanos - startNanos : 0 }
    }

    public let traceID: TraceID
    public let startNanos: UInt64
    public let endNanos: UInt64
    public let rows: [Row]
    /// The longest stretch of the critical path, in words; nil for an empty trace.
    public let gap: RequestGap?
    public let spanCount: Int
    /// Nodes the request touched, in order.
    public let nodes: [NodeID]

    public var durationNanos: UInt64 { endNanos >= startNanos ? endNanos - startNanos : 0 }

    public init(trace: RequestTrace, in state: ClusterState, rules: HealthRules = HealthRules()) {
        let tree = RequestTree(trace)
        traceID = trace.id
        spanCount = trace.spans.count
        startNanos = trace.spans.isEmpty ? 0 : trace.startNanos
        endNanos = trace.spans.isEmpty ? 0 : trace.endNanos
        var rowOf = Array(repeating: -1, count: tree.nodes.count)
        var rows: [Row] = []
        rows.reserveCapacity(tree.order.count)
        for (n, depth) in tree.order {
            let node = tree.nodes[n]
            let span = trace.spans[node.span]
            rowOf[n] = rows.count
            rows.append(
                Row(
                    kind: node.kind, name: node.name, depth: depth, startNanos: node.startNanos,
                    endNanos: node.endNanos, node: span.span.node, gpus: span.gpus, replica: span.replica,
                    isOrphan: node.isOrphan, isError: node.kind == .span && span.span.isFailedRequest))
        }
        let path = CriticalPath(tree, startNanos: startNanos, endNanos: endNanos)
        for segment in path.segments {
            guard let n = segment.node, rowOf[n] >= 0 else { continue }
            rows[rowOf[n]].critical.append(segment.startNanos..<segment.endNanos)
        }
        var seen: [NodeID] = []
        for s in trace.spans { if let n = s.span.node, !seen.contains(n) { seen.append(n) } }
        nodes = seen
        self.rows = rows
        let longest = path.segments.max { a, b in
            a.durationNanos != b.durationNanos ? a.durationNanos < b.durationNanos : a.startNanos > b.startNanos
        }
        gap = longest.map {
            GapDescriber(tree: tree, trace: trace, rows: rows, rowOf: rowOf, state: state, rules: rules)
                .describe($0)
        }
    }
}

/// The longest stretch of a request's critical path, and what it was, in words.
public struct RequestGap: Sendable, Hashable {
    /// What filled the stretch.
    public enum Kind: Sendable, Hashable {
        /// An engine phase: queued, prefill or decode.
        case stage(RequestStageKind)
        /// A span with no children on the path.
        case span
        /// Time that no span covers.
        case uncovered
    }

    public let kind: Kind
    /// The waterfall row it sits on; nil for time between top-level spans.
    public let row: Int?
    public let startNanos: UInt64
    public let endNanos: UInt64
    /// `212 ms queued on node-07 llama-405b/2 (KV cache full)`.
    public let text: String

    public var durationNanos: UInt64 { endNanos - startNanos }
}
