/// One histogram series: cumulative bucket counts by upper bound (`le`), plus `_sum` and `_count`.
public struct PrometheusHistogram: Sendable, Hashable {
    /// One `_bucket` line: observations less than or equal to `upperBound`, cumulative.
    public struct Bucket: Sendable, Hashable {
        public var upperBound: Double
        public var cumulativeCount: Double
    }

    /// The series' labels without `le`.
    public var labels: [String: String]
    /// Sorted by upper bound; a complete histogram ends with `+Inf`.
    public var buckets: [Bucket]
    public var sum: Double?
    public var count: Double?

    public init(labels: [String: String] = [:], buckets: [Bucket], sum: Double? = nil, count: Double? = nil) {
        self.labels = labels
        self.buckets = buckets.sorted { $0.upperBound < $1.upperBound }
        self.sum = sum
        self.count = count
    }

    /// Observations in the histogram: the `+Inf` bucket, else `_count`.
    public var observations: Double {
        if let last = buckets.last, last.upperBound == .infinity { return last.cumulativeCount }
        return count ?? 0
    }

    /// The `q`-quantile (0...1) estimated as Prometheus `histogram_quantile` does: find the bucket
    /// holding rank `q × observations` and interpolate linearly inside it (from 0 for the first
    /// bucket). A rank in the `+Inf` bucket gives the highest finite bound. Nil when `q` is outside
    /// 0...1, there are no observations, fewer than two buckets, or no `+Inf` bucket.
    public func quantile(_ q: Double) -> Double? {
        guard q >= 0, q <= 1, buckets.count >= 2, buckets.last?.upperBound == .infinity else { return nil }
        var cumulative: [Double] = []  // made monotonic, as Prometheus does for float noise
        for bucket in buckets { cumulative.append(max(bucket.cumulativeCount, cumulative.last ?? 0)) }
        let total = cumulative[cumulative.count - 1]
        guard total > 0 else { return nil }
        var rank = q * total
        let last = buckets.count - 1
        let b = cumulative[..<last].firstIndex { $0 >= rank } ?? last
        if b == last { return buckets[last - 1].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0
        var inBucket = cumulative[b]
        if b > 0 {
            start = buckets[b - 1].upperBound
            inBucket -= cumulative[b - 1]
            rank -= cumulative[b - 1]
        }
        guard inBucket > 0 else { return buckets[b].upperBound }
        return start + (buckets[b].upperBound - start) * (rank / inBucket)
    }

    /// The observations made since `previous` (bucket by bucket). With no previous scrape, other
    /// bucket bounds, or a counter that went down (the engine restarted), the histogram itself:
    /// everything it holds was observed since the restart.
    public func delta(since previous: PrometheusHistogram?) -> PrometheusHistogram {
        guard let previous, previous.buckets.map(\.upperBound) == buckets.map(\.upperBound) else { return self }
        var out = self
        for i in buckets.indices {
            let d = buckets[i].cumulativeCount - previous.buckets[i].cumulativeCount
            if d < 0 { return self }
            out.buckets[i].cumulativeCount = d
        }
        if let count, let old = previous.count {
            if count < old { return self }
            out.count = count - old
        }
        if let sum, let old = previous.sum { out.sum = sum - old }
        return out
    }

    /// Several series of one family summed into one (e.g. the engines of one data-parallel server).
    /// Bounds missing from a series count what it holds at its next lower bound. Nil when empty.
    public static func merged(_ histograms: [PrometheusHistogram], labels: [String: String] = [:])
        -> PrometheusHistogram?
    {
        guard let first = histograms.first else { return nil }
        if histograms.count == 1 {
            var only = first
            only.labels = labels
            return only
        }
        let bounds = Set(histograms.flatMap { $0.buckets.map(\.upperBound) }).sorted()
        let buckets = bounds.map { bound in
            Bucket(
                upperBound: bound,
                cumulativeCount: histograms.reduce(0) { total, h in
                    total + (h.buckets.last { $0.upperBound <= bound }?.cumulativeCount ?? 0)
                })
        }
        let sums = histograms.compactMap(\.sum)
        let counts = histograms.compactMap(\.count)
        return PrometheusHistogram(
            labels: labels, buckets: buckets,
            sum: sums.count == histograms.count ? sums.reduce(0, +) : nil,
            count: counts.count == histograms.count ? counts.reduce(0, +) : nil)
    }
}
