import InfertopCore

/// Finished requests waiting to be taken as spans, bounded by the spans they will make.
///
/// Requests are kept as they finished and turned into spans only when taken, so a simulator
/// whose spans nobody reads pays little. When holding one more would pass `capacity` spans, the
/// oldest requests go first and their spans are counted in `dropped`.
struct FinishedSpanBuffer {
    let capacity: Int
    private(set) var factory: RequestSpanFactory
    private var pending: [FinishedRequest] = []
    private var head = 0
    /// Spans the pending requests will make.
    private(set) var buffered = 0
    /// Spans dropped to stay within `capacity`, since the start.
    private(set) var dropped: UInt64 = 0

    init(capacity: Int, factory: RequestSpanFactory) {
        self.capacity = max(0, capacity)
        self.factory = factory
    }

    /// A new engine's placement, for the spans of the requests it will finish.
    mutating func addEngine(_ replica: ReplicaSpec) { factory.add(replica) }

    mutating func append(_ finished: FinishedRequest) {
        var finished = finished
        finished.spanCount = factory.spanCount(finished)
        pending.append(finished)
        buffered += finished.spanCount
        while buffered > capacity, head < pending.count {
            buffered -= pending[head].spanCount
            dropped += UInt64(pending[head].spanCount)
            head += 1
        }
        if head > 1024, head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
    }

    /// The spans of every pending request, oldest request first; empties the buffer.
    mutating func take() -> [Span] {
        var spans: [Span] = []
        spans.reserveCapacity(buffered)
        for finished in pending[head...] { factory.spans(for: finished, into: &spans) }
        pending.removeAll(keepingCapacity: true)
        head = 0
        buffered = 0
        return spans
    }
}
