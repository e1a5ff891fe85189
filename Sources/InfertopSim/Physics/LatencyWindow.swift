/// Latency observations over a sliding window of virtual time, for percentiles.
struct LatencyWindow {
    let seconds: Double
    private var times: [Double] = []
    private var values: [Double] = []
    private var head = 0

    init(seconds: Double) { self.seconds = seconds }

    mutating func record(_ value: Double, at time: Double) {
        times.append(time)
        values.append(value)
    }

    mutating func prune(before now: Double) {
        while head < times.count && times[head] < now - seconds { head += 1 }
        if head > 512 && head * 2 > times.count {
            times.removeFirst(head)
            values.removeFirst(head)
            head = 0
        }
    }

    var count: Int { times.count - head }

    /// The nearest-rank percentile of the window (`q` in 0...1); nil when empty.
    func percentile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let sorted = values[head...].sorted()
        let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[rank]
    }
}
