/// Exact nearest-rank percentiles of the observations in a sliding window of virtual time (a
/// replica's TTFT or ITL over the last minute).
///
/// The values are also kept sorted, inserted and removed by binary search as they enter and
/// leave the window, so a percentile is one index rather than a sort per query. (Core's
/// request-latency window is a different thing: bucketed HdrHistograms over wall-clock slices.)
struct SlidingPercentiles {
    let seconds: Double
    /// Arrival times and values in arrival order; `head` is the oldest still in the window.
    private var times: [Double] = []
    private var values: [Double] = []
    private var head = 0
    /// The values in the window, ascending.
    private var sorted: [Double] = []

    init(seconds: Double) { self.seconds = seconds }

    /// Adds an observation; `time` never goes backwards.
    mutating func record(_ value: Double, at time: Double) {
        guard !value.isNaN else { return }
        times.append(time)
        values.append(value)
        sorted.insert(value, at: Self.firstIndex(in: sorted) { $0 > value })
    }

    /// Drops the observations older than the window before `now`.
    mutating func prune(before now: Double) {
        while head < times.count && times[head] < now - seconds {
            let value = values[head]
            sorted.remove(at: Self.firstIndex(in: sorted) { $0 >= value })
            head += 1
        }
        if head > 512 && head * 2 > times.count {
            times.removeFirst(head)
            values.removeFirst(head)
            head = 0
        }
    }

    var count: Int { sorted.count }

    /// The nearest-rank percentile of the window (`q` in 0...1); nil when empty.
    func percentile(_ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }

    /// The first index whose element satisfies `isAfter` (which holds for a suffix of `array`).
    private static func firstIndex(in array: [Double], where isAfter: (Double) -> Bool) -> Int {
        var low = 0
        var high = array.count
        while low < high {
            let mid = (low + high) / 2
            if isAfter(array[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
