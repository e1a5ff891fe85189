/// The recent requests the dashboard knows, as trees of spans grouped by trace, with latency
/// statistics per model and replica.
///
/// A value type kept inside `ClusterState` (`requests`): everything lives in copy-on-write
/// collections, so copying the state into the UI model each frame costs a few reference counts.
/// Bounded: at most `limits.traces` traces, `limits.spans` spans and `limits.bytes` bytes (each
/// trace's `footprintBytes`: its spans, their strings and attributes); the traces that ended
/// longest ago (whatever order they arrived in) are evicted and counted. Inserting a span costs the same however full the store is:
/// a hash lookup, a queue push, and an O(`limits.listLength`) update of the ranked lists.
public struct RequestStore: Sendable {
    /// How much the store keeps.
    public struct Limits: Sendable, Hashable {
        public var traces: Int
        public var spans: Int
        /// Spans kept per trace; more are refused and counted.
        public var spansPerTrace: Int
        /// Length of the slowest and failed lists.
        public var listLength: Int
        /// The most bytes the traces may hold (`RequestTrace.footprintBytes` summed).
        public var bytes: Int

        /// The default byte bound: the dashboard's whole state stays small however long it runs.
        public static let defaultBytes = 8 << 20

        public init(
            traces: Int = 8_192, spans: Int = 65_536, spansPerTrace: Int = 512, listLength: Int = 256,
            bytes: Int = Limits.defaultBytes
        ) {
            self.traces = max(1, traces)
            self.spans = max(1, spans)
            self.bytes = max(1, bytes)
            self.spansPerTrace = max(1, min(spansPerTrace, spans))
            self.listLength = max(1, listLength)
        }
    }

    public let limits: Limits
    public private(set) var traces: [TraceID: RequestTrace] = [:]
    public private(set) var spanCount = 0
    /// What the traces hold, `RequestTrace.footprintBytes` summed; at most `limits.bytes` (but
    /// for the newest trace, which always stays).
    public private(set) var byteCount = 0
    /// Traces evicted to stay within the limits, and the spans they held.
    public private(set) var evictedTraces: UInt64 = 0
    public private(set) var evictedSpans: UInt64 = 0
    /// Spans refused: over the per-trace limit, or resent with an id already held.
    public private(set) var refusedSpans: UInt64 = 0
    /// TTFT, ITL and end-to-end percentiles over a sliding window.
    public private(set) var latency: LatencyStats

    private var latencyRefreshedAt = -Double.infinity
    private var arrivals = TraceQueue()
    private var nextArrival: UInt64 = 0
    private var ranked: RankedTraces
    /// Failed traces, oldest first.
    private var failedOrder: [TraceID] = []

    public init(limits: Limits = Limits(), latency: LatencyStats = LatencyStats()) {
        self.limits = limits
        self.latency = latency
        ranked = RankedTraces(capacity: limits.listLength)
    }

    public var count: Int { traces.count }
    public var isEmpty: Bool { traces.isEmpty }
    public subscript(id: TraceID) -> RequestTrace? { traces[id] }

    /// Folds spans in (from any agents, in any order), then refreshes the latency percentiles
    /// once, unless the caller batches that itself (`refreshLatency(at:)`).
    public mutating func insert(_ spans: [RequestSpan], refreshingLatency: Bool = true) {
        guard !spans.isEmpty else { return }
        for span in spans { add(span) }
        if refreshingLatency { latency.refresh() }
    }

    /// How often, in seconds of the caller's clock, `refreshLatency(at:)` recomputes percentiles.
    public static let latencyRefreshSeconds = 0.5

    /// Recomputes the percentiles that changed, at most every `latencyRefreshSeconds` of `time`:
    /// many agents' deltas each frame then cost one refresh, not one each.
    public mutating func refreshLatency(at time: Double) {
        guard latency.needsRefresh, !(time - latencyRefreshedAt < Self.latencyRefreshSeconds) else { return }
        latency.refresh()
        latencyRefreshedAt = time
    }

    private mutating func add(_ span: RequestSpan) {
        let id = span.span.traceID
        var isNew = false
        if traces[id] == nil {
            traces[id] = RequestTrace(id: id, arrival: nextArrival)
            nextArrival += 1
            arrivals.push(id, endNanos: span.span.endNanos)
            isNew = true
        }
        guard let trace = traces[id], trace.spans.count < limits.spansPerTrace, !trace.contains(span.span.spanID)
        else {
            refusedSpans += 1
            return
        }
        let oldNanos = trace.durationNanos
        let wasFailed = trace.isFailed
        let oldBytes = isNew ? 0 : trace.footprintBytes
        traces[id]?.add(span)
        spanCount += 1
        guard let updated = traces[id] else { return }
        byteCount += updated.footprintBytes - oldBytes
        ranked.update(id, from: isNew ? nil : oldNanos, to: updated.durationNanos)
        if updated.isFailed && !wasFailed {
            failedOrder.append(id)
            if failedOrder.count > limits.listLength { failedOrder.removeFirst(failedOrder.count - limits.listLength) }
        }
        if let timings = span.timings, let model = span.model {
            latency.record(timings, model: model, replica: span.replica, endNanos: span.span.endNanos)
        }
        evictIfNeeded(keeping: id)
    }

    private mutating func evictIfNeeded(keeping newest: TraceID) {
        while traces.count > limits.traces || spanCount > limits.spans || byteCount > limits.bytes {
            guard let (oldest, endNanos) = arrivals.pop() else { return }
            if let current = traces[oldest]?.endNanos, current > endNanos {
                arrivals.push(oldest, endNanos: current)
                continue
            }
            if oldest == newest && arrivals.isEmpty {
                arrivals.push(oldest, endNanos: endNanos)
                return
            }
            guard let trace = traces.removeValue(forKey: oldest) else { continue }
            spanCount -= trace.spans.count
            byteCount -= trace.footprintBytes
            evictedTraces += 1
            evictedSpans += UInt64(trace.spans.count)
            ranked.remove(oldest, nanos: trace.durationNanos)
            if trace.isFailed, let at = failedOrder.firstIndex(of: oldest) { failedOrder.remove(at: at) }
        }
    }

    /// The slowest traces, longest first (only the `limits.listLength` longest are ranked).
    public func slowest(limit: Int = .max) -> [RequestTrace] {
        ranked.entries.prefix(limit).compactMap { traces[$0.id] }
    }

    /// The most recent failed traces, newest first.
    public func failed(limit: Int = .max) -> [RequestTrace] {
        failedOrder.reversed().prefix(limit).compactMap { traces[$0] }
    }
}
