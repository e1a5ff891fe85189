extension RequestStore {
    /// Traces whose id starts with the hex digits given (either case), longest first.
    ///
    /// Compares the id's leading bits as numbers, so a scan of the whole bounded store is cheap.
    /// - Returns: empty when `hex` is not 1 to 32 hex digits.
    public func traces(withPrefix hex: String, limit: Int = .max) -> [RequestTrace] {
        guard let prefix = TracePrefix(hex) else { return [] }
        var hits = traces.values.filter { prefix.matches($0.id) }
        hits.sort { $0.durationNanos != $1.durationNanos ? $0.durationNanos > $1.durationNanos : $0.id < $1.id }
        return Array(hits.prefix(limit))
    }

    /// The failed traces (newest first), then the slowest that did not fail, each kept when `include` says so.
    public func slowestAndFailed(limit: Int = .max, where include: (RequestTrace) -> Bool = { _ in true })
        -> [RequestTrace]
    {
        var out: [RequestTrace] = []
        for t in failed() where include(t) {
            if out.count >= limit { return out }
            out.append(t)
        }
        for t in slowest() where !t.isFailed && include(t) {
            if out.count >= limit { return out }
            out.append(t)
        }
        return out
    }

    /// Traces touching a model or a node, among the slowest and failed.
    public func requests(model: String? = nil, node: NodeID? = nil, limit: Int = .max) -> [RequestTrace] {
        slowestAndFailed(limit: limit) { t in
            (model == nil || t.model == model) && (node == nil || t.spans.contains { $0.span.node == node })
        }
    }
}

/// A trace-id prefix of 1 to 32 hex digits, as a mask over the id's 128 bits.
public struct TracePrefix: Sendable, Hashable {
    let high: UInt64
    let low: UInt64
    let highMask: UInt64
    let lowMask: UInt64

    public init?(_ hex: String) {
        let n = hex.utf8.count
        guard (1...32).contains(n) else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (i, c) in hex.utf8.enumerated() {
            let v: UInt64
            switch c {
            case 48...57: v = UInt64(c - 48)
            case 97...102: v = UInt64(c - 87)
            case 65...70: v = UInt64(c - 55)
            default: return nil
            }
            if i < 16 { high |= v << UInt64(60 - 4 * i) } else { low |= v << UInt64(60 - 4 * (i - 16)) }
        }
        self.high = high
        self.low = low
        highMask = n >= 16 ? .max : ~(UInt64.max >> UInt64(4 * n))
        lowMask = n <= 16 ? 0 : n == 32 ? .max : ~(UInt64.max >> UInt64(4 * (n - 16)))
    }

    public func matches(_ id: TraceID) -> Bool {
        id.high & highMask == high && id.low & lowMask == low
    }
}
