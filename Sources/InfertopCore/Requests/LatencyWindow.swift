import Histogram

/// One sliding window of latencies: a ring of time slices, each with an HdrHistogram per
/// figure (microseconds, two significant digits, growing to the values it meets).
///
/// A slice is named by its epoch (end time over the slice length); recording into a slot whose
/// epoch is older resets it first, and reading ignores slices that fell out of the window. So
/// the window advances with the newest end time seen, never with a wall clock.
struct LatencyWindow: Sendable {
    struct Slice: Sendable {
        var epoch: Int64 = .min
        var ttft: Histogram<UInt32>?
        var itl: Histogram<UInt32>?
        var e2e: Histogram<UInt32>?
    }

    private(set) var slices: [Slice]

    init(sliceCount: Int) { slices = Array(repeating: Slice(), count: max(1, sliceCount)) }

    mutating func record(_ t: RequestTimings, epoch: Int64) {
        let slot = Int(epoch.magnitude % UInt64(slices.count))
        if slices[slot].epoch != epoch { slices[slot] = Slice(epoch: epoch) }
        Self.record(t.e2eSeconds, into: &slices[slot].e2e)
        if let v = t.ttftSeconds { Self.record(v, into: &slices[slot].ttft) }
        if let v = t.itlSeconds { Self.record(v, into: &slices[slot].itl) }
    }

    private static func record(_ seconds: Double, into histogram: inout Histogram<UInt32>?) {
        guard seconds.isFinite, seconds >= 0 else { return }
        // Cap at a day: a runaway value must not grow the histogram without bound.
        let micros = UInt64(min(seconds, 86_400) * 1e6)
        if histogram == nil { histogram = Histogram<UInt32>(numberOfSignificantValueDigits: .two) }
        histogram?.record(micros)
    }

    /// Percentiles over the slices inside the window ending at `newest`.
    func summary(newest: Int64) -> LatencySummary {
        let live = slices.filter { $0.epoch <= newest && $0.epoch > newest - Int64(slices.count) }
        func merged(_ path: KeyPath<Slice, Histogram<UInt32>?>) -> Percentiles? {
            var total: Histogram<UInt32>?
            for slice in live {
                guard let h = slice[keyPath: path], h.totalCount > 0 else { continue }
                if total == nil { total = h } else { total?.add(h) }
            }
            guard let total, total.totalCount > 0 else { return nil }
            func at(_ p: Double) -> Double { Double(total.valueAtPercentile(p)) / 1e6 }
            return Percentiles(p50: at(50), p90: at(90), p99: at(99))
        }
        let count = live.reduce(0) { $0 + Int($1.e2e?.totalCount ?? 0) }
        return LatencySummary(count: count, ttft: merged(\.ttft), itl: merged(\.itl), e2e: merged(\.e2e))
    }
}
