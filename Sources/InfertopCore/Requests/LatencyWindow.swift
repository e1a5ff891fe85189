import Histogram

/// One sliding window of latencies: a ring of time slices, each with an HdrHistogram per
/// figure (microseconds, two significant digits, growing to the values it meets), plus one
/// running total per figure over the live slices.
///
/// A slice is named by its epoch (end time over the slice length). Recording adds to the slice
/// and to the totals; when a slice leaves the window (its slot is reused, or reading finds it
/// too old) it is cleared and the totals are rebuilt from the slices left, once per slice
/// length. So the window advances with the newest end time seen, never with a wall clock, and
/// reading percentiles is one pass over each total.
struct LatencyWindow: Sendable {
    /// The three figures, as indexes into a slice's histograms.
    enum Figure: Int, CaseIterable {
        case ttft, itl, e2e
    }

    struct Slice: Sendable {
        var epoch: Int64 = .min
        var histograms: [Histogram<UInt32>?] = [nil, nil, nil]
        var isEmpty: Bool { histograms.allSatisfy { $0 == nil } }
    }

    private(set) var slices: [Slice]
    private var totals: [Histogram<UInt32>?] = [nil, nil, nil]

    init(sliceCount: Int) { slices = Array(repeating: Slice(), count: max(1, sliceCount)) }

    mutating func record(_ t: RequestTimings, epoch: Int64) {
        let slot = Int(epoch.magnitude % UInt64(slices.count))
        if slices[slot].epoch != epoch {
            let stale = !slices[slot].isEmpty
            slices[slot] = Slice(epoch: epoch)
            if stale { rebuildTotals() }
        }
        let values: [(Figure, Double?)] = [(.e2e, t.e2eSeconds), (.ttft, t.ttftSeconds), (.itl, t.itlSeconds)]
        for case (let figure, let seconds?) in values where seconds.isFinite && seconds >= 0 {
            // Cap at a day: a runaway value must not grow the histograms without bound.
            let micros = UInt64(min(seconds, 86_400) * 1e6)
            Self.record(micros, into: &slices[slot].histograms[figure.rawValue])
            Self.record(micros, into: &totals[figure.rawValue])
        }
    }

    /// A fresh histogram already covers a minute: growing one from nothing resized its counts
    /// a bucket at a time for each new slice (10% of the demo's CPU, measured with perf), and
    /// ten seconds more cost one bucket (a few hundred bytes). Rarer, longer values still grow it.
    static let presizedMicros: UInt64 = 60_000_000

    private static func record(_ micros: UInt64, into histogram: inout Histogram<UInt32>?) {
        if histogram == nil {
            var fresh = Histogram<UInt32>(highestTrackableValue: presizedMicros, numberOfSignificantValueDigits: .two)
            fresh.autoResize = true
            histogram = fresh
        }
        histogram?.record(micros)
    }

    private mutating func rebuildTotals() {
        totals = [nil, nil, nil]
        for slice in slices {
            for (i, h) in slice.histograms.enumerated() {
                guard let h else { continue }
                if totals[i] == nil { totals[i] = h } else { totals[i]?.add(h) }
            }
        }
    }

    /// Percentiles over the window ending at epoch `newest`, first dropping slices that left it.
    mutating func summary(newest: Int64) -> LatencySummary {
        var pruned = false
        for i in slices.indices where slices[i].epoch <= newest - Int64(slices.count) && !slices[i].isEmpty {
            slices[i] = Slice()
            pruned = true
        }
        if pruned { rebuildTotals() }
        let count = Int(totals[Figure.e2e.rawValue]?.totalCount ?? 0)
        return LatencySummary(
            count: count, ttft: Self.percentiles(totals[Figure.ttft.rawValue]),
            itl: Self.percentiles(totals[Figure.itl.rawValue]), e2e: Self.percentiles(totals[Figure.e2e.rawValue]))
    }

    /// p50, p90 and p99 in one pass over the recorded values, as `valueAtPercentile` reads them.
    static func percentiles(_ histogram: Histogram<UInt32>?) -> Percentiles? {
        guard let h = histogram, h.totalCount > 0 else { return nil }
        let total = Double(h.totalCount)
        let targets = [50.0, 90.0, 99.0].map { max(1, UInt64(($0.nextDown * total / 100).rounded(.up))) }
        var found: [UInt64] = []
        for v in h.recordedValues() {
            while found.count < targets.count, v.totalCountToThisValue >= targets[found.count] {
                found.append(min(v.value, h.maxRecorded))
            }
            if found.count == targets.count { break }
        }
        while found.count < targets.count { found.append(h.maxRecorded) }
        return Percentiles(p50: Double(found[0]) / 1e6, p90: Double(found[1]) / 1e6, p99: Double(found[2]) / 1e6)
    }
}
