/// All the spans of one request that have arrived so far, from however many agents, with the
/// figures the request list shows kept up to date as each span arrives.
///
/// Spans of one trace reach the dashboard at different times and in any order; each one
/// updates the summary in constant time, so a list of thousands of requests is never re-read.
public struct RequestTrace: Sendable {
    public let id: TraceID
    /// Spans in arrival order.
    public private(set) var spans: [RequestSpan] = []
    /// The earliest start and the latest end over all spans.
    public private(set) var startNanos: UInt64 = .max
    public private(set) var endNanos: UInt64 = 0
    /// The engine span the summary reads from: the longest one with engine figures, else the first span.
    public private(set) var primary = 0
    public private(set) var isFailed = false
    /// Why it failed (`error: ...`, `abort`), from the first failing span.
    public private(set) var failure: String?
    /// Model, replica and the nodes of every span, lowercased, for the `/` filter.
    public private(set) var searchWords: [String] = []
    /// Arrival order of the trace in its store, for "recent".
    let arrival: UInt64
    /// The heap the spans' own strings and attributes hold, summed as they arrive.
    private var spanHeapBytes = 0

    init(id: TraceID, arrival: UInt64) {
        self.id = id
        self.arrival = arrival
    }

    public var durationNanos: UInt64 { endNanos >= startNanos ? endNanos - startNanos : 0 }
    public var durationSeconds: Double { Double(durationNanos) / 1e9 }

    /// The span the list row describes.
    public var primarySpan: RequestSpan? { spans.indices.contains(primary) ? spans[primary] : nil }
    public var replica: ReplicaID? { primarySpan?.replica ?? spans.lazy.compactMap(\.replica).first }
    public var model: String? { primarySpan?.model ?? spans.lazy.compactMap(\.model).first }
    public var node: NodeID? { primarySpan?.span.node }
    public var ttftSeconds: Double? { primarySpan?.timings?.ttftSeconds }
    public var finishReason: String? { primarySpan?.span.finishReason }
    /// `abort`, `error: ...`, the finish reason, or `ok`.
    public var statusText: String { failure ?? finishReason ?? "ok" }

    /// Whether a span with this id is already here (agents may resend).
    public func contains(_ span: SpanID) -> Bool { spans.contains { $0.span.spanID == span } }

    mutating func add(_ span: RequestSpan) {
        spans.append(span)
        spanHeapBytes += span.heapBytes
        startNanos = min(startNanos, span.span.startNanos)
        endNanos = max(endNanos, span.span.endNanos)
        let current = spans[primary]
        let better =
            spans.count == 1 || (span.isEngine && !current.isEngine)
            || (span.isEngine == current.isEngine && span.isEngine
                && span.span.durationNanos > current.span.durationNanos)
        if better { primary = spans.count - 1 }
        if !isFailed, let text = span.span.failureText {
            isFailed = true
            failure = text
        }
        searchWords = filterWords.filter { !$0.isEmpty }.map { $0.lowercased() }
    }

    /// What the trace costs its store: its entry (id and summary), the array of its spans (header
    /// and room for each), each span's heap, and the filter words.
    public var footprintBytes: Int {
        var bytes = MemoryLayout<TraceID>.stride + MemoryLayout<RequestTrace>.stride + spanHeapBytes
        if spans.capacity > 0 {
            bytes += SpanStrings.arrayHeaderBytes + spans.capacity * MemoryLayout<RequestSpan>.stride
        }
        if searchWords.capacity > 0 {
            bytes += SpanStrings.arrayHeaderBytes + searchWords.capacity * MemoryLayout<String>.stride
        }
        for word in searchWords { bytes += SpanStrings.heapBytes(word) }
        if let failure { bytes += SpanStrings.heapBytes(failure) }
        return bytes
    }

    /// The words the `/` filter matches: trace id, model, replica and the nodes of every span.
    public var filterWords: [String] {
        var words = [model ?? "", replica?.description ?? ""]
        for s in spans {
            if let n = s.span.node?.name, !words.contains(n) { words.append(n) }
        }
        return words
    }
}
