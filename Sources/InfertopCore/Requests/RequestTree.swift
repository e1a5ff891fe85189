/// The spans of one trace arranged by parent: span ids link children to parents, children are
/// ordered by start, and an engine request span gets its phases as synthetic children.
///
/// A span whose parent has not arrived sits at the top level, marked as an orphan; several top
/// level spans are allowed. A span naming itself or a cycle as parent is broken at the first
/// span met, which becomes an orphan too, so the tree is always a forest.
struct RequestTree: Sendable {
    struct Node: Sendable {
        var kind: RequestWaterfall.RowKind
        var name: String
        var startNanos: UInt64
        var endNanos: UInt64
        /// Index into the trace's spans; for a phase, its engine span's.
        var span: Int
        var isOrphan = false
        /// Children in the tree, by start.
        var children: [Int] = []
    }

    private(set) var nodes: [Node] = []
    /// Top-level nodes, by start.
    private(set) var roots: [Int] = []
    /// Nodes in display order (depth-first, children by start), with their depth.
    private(set) var order: [(node: Int, depth: Int)] = []

    init(_ trace: RequestTrace) {
        var index: [SpanID: Int] = [:]
        for (i, s) in trace.spans.enumerated() {
            nodes.append(
                Node(kind: .span, name: s.span.name, startNanos: s.span.startNanos, endNanos: s.span.endNanos, span: i))
            if index[s.span.spanID] == nil { index[s.span.spanID] = i }
        }
        var links = Array(repeating: [Int](), count: nodes.count)
        var candidates: [Int] = []
        for (i, s) in trace.spans.enumerated() {
            if let p = s.span.parentSpanID.flatMap({ index[$0] }), p != i {
                links[p].append(i)
            } else {
                candidates.append(i)
                nodes[i].isOrphan = s.span.parentSpanID != nil
            }
        }
        for (i, s) in trace.spans.enumerated() {
            for stage in EngineStages.stages(of: s.span) {
                nodes.append(
                    Node(
                        kind: .stage(stage.kind), name: stage.kind.rawValue, startNanos: stage.startNanos,
                        endNanos: stage.endNanos, span: i))
                links[i].append(nodes.count - 1)
                links.append([])
            }
        }
        var visited = Array(repeating: false, count: nodes.count)
        func byStart(_ list: [Int]) -> [Int] {
            list.sorted { a, b in
                let x = nodes[a]
                let y = nodes[b]
                if x.startNanos != y.startNanos { return x.startNanos < y.startNanos }
                if x.endNanos != y.endNanos { return x.endNanos > y.endNanos }
                return a < b
            }
        }
        func visit(_ root: Int) {
            var stack = [(root, 0)]
            visited[root] = true
            while let (n, depth) = stack.popLast() {
                order.append((n, depth))
                let kids = byStart(links[n].filter { !visited[$0] })
                for k in kids { visited[k] = true }
                nodes[n].children = kids
                for k in kids.reversed() { stack.append((k, depth + 1)) }
            }
        }
        for r in byStart(candidates) {
            roots.append(r)
            visit(r)
        }
        // Whatever was not reached hangs on a cycle of parents: show it at the top, as an orphan.
        for i in nodes.indices where !visited[i] {
            nodes[i].isOrphan = true
            roots.append(i)
            visit(i)
        }
    }
}
