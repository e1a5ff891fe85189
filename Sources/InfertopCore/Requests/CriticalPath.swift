/// The chain of spans and phases that set a request's end time, as segments of time.
///
/// The standard walk back from the end (as Jaeger computes it): within a span, start at its
/// end, take the child that finished last before that point, follow the path inside it, then
/// continue from that child's start with the child that finished last before it; children that
/// overlap one already taken ran in parallel and are off the path. Time in a span that no
/// child on the path covers is the span's own (for a span with children: time with no span).
/// Top-level spans hang under a virtual root covering the whole trace.
struct CriticalPath: Sendable {
    /// One stretch of the path.
    struct Segment: Sendable, Hashable {
        /// The tree node, or nil for the virtual root (time between top-level spans).
        let node: Int?
        let startNanos: UInt64
        let endNanos: UInt64
        /// Whether the node has children, so that this stretch is time no child covers.
        let isUncovered: Bool
        /// The child that ended where this stretch starts, and the one that starts where it ends.
        let before: Int?
        let after: Int?

        var durationNanos: UInt64 { endNanos - startNanos }
    }

    /// Segments in time order.
    private(set) var segments: [Segment] = []

    init(_ tree: RequestTree, startNanos: UInt64, endNanos: UInt64) {
        walk(nil, tree, lo: startNanos, hi: endNanos)
        segments.sort { $0.startNanos < $1.startNanos }
    }

    private mutating func walk(_ n: Int?, _ tree: RequestTree, lo: UInt64, hi: UInt64) {
        let kids = n.map { tree.nodes[$0].children } ?? tree.roots
        // Children clipped to this span, latest end first.
        var clipped: [(node: Int, start: UInt64, end: UInt64)] = []
        for k in kids {
            let s = max(lo, tree.nodes[k].startNanos)
            let e = min(hi, tree.nodes[k].endNanos)
            if e > s { clipped.append((k, s, e)) }
        }
        clipped.sort { $0.end != $1.end ? $0.end > $1.end : $0.start < $1.start }
        let hasChildren = !clipped.isEmpty
        var cursor = hi
        var after: Int?
        for kid in clipped where kid.end <= cursor {
            if kid.end < cursor {
                segments.append(
                    Segment(
                        node: n, startNanos: kid.end, endNanos: cursor, isUncovered: true, before: kid.node,
                        after: after))
            }
            walk(kid.node, tree, lo: kid.start, hi: kid.end)
            cursor = kid.start
            after = kid.node
            if cursor <= lo { break }
        }
        if cursor > lo {
            segments.append(
                Segment(
                    node: n, startNanos: lo, endNanos: cursor, isUncovered: hasChildren || n == nil,
                    before: nil, after: after))
        }
    }
}
