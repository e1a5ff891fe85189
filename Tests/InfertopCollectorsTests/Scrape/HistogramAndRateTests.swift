import Testing

@testable import InfertopCollectors

@Suite("Histogram quantiles, deltas and counter rates")
struct HistogramAndRateTests {
    private func histogram(_ pairs: [(Double, Double)], sum: Double? = nil) -> PrometheusHistogram {
        PrometheusHistogram(
            buckets: pairs.map { PrometheusHistogram.Bucket(upperBound: $0.0, cumulativeCount: $0.1) }, sum: sum,
            count: pairs.last?.1)
    }

    @Test func interpolatesInsideTheBucketLikeHistogramQuantile() {
        let h = histogram([(0.1, 10), (0.2, 30), (0.4, 90), (.infinity, 100)])
        #expect(close(h.quantile(0.5), 0.2 + 0.2 * (20.0 / 60.0)))  // rank 50: 20 of 60 into (0.2, 0.4]
        #expect(close(h.quantile(0.05), 0.05))  // first bucket starts at 0
        #expect(close(h.quantile(0.3), 0.2))  // exactly at a bound
        #expect(h.quantile(0.95) == 0.4)  // in +Inf: the highest finite bound
        #expect(h.quantile(1.5) == nil && h.quantile(-0.1) == nil)
    }

    @Test func noObservationsOrNoInfBucketGiveNil() {
        #expect(histogram([(0.1, 0), (.infinity, 0)]).quantile(0.5) == nil)
        #expect(histogram([(0.1, 5), (1, 10)]).quantile(0.5) == nil)
        #expect(histogram([(.infinity, 10)]).quantile(0.5) == nil)
    }

    @Test func nonMonotonicBucketsAreEvenedOut() {
        let h = histogram([(1, 10), (2, 8), (4, 20), (.infinity, 20)])
        #expect(close(h.quantile(0.5), 1))  // rank 10: the whole first bucket
        #expect(close(h.quantile(0.75), 3))  // bucket 2 counts as 10, so (2, 4] holds 10: rank 15 is half-way
    }

    @Test func negativeFirstBoundIsReturnedAsIs() {
        let h = histogram([(-1, 5), (0, 10), (.infinity, 10)])
        #expect(h.quantile(0.2) == -1)
    }

    @Test func deltaSubtractsBucketsAndFallsBackOnReset() {
        let before = histogram([(0.1, 10), (1, 20), (.infinity, 20)], sum: 5)
        let after = histogram([(0.1, 10), (1, 30), (.infinity, 32)], sum: 9)
        let d = after.delta(since: before)
        #expect(d.buckets.map(\.cumulativeCount) == [0, 10, 12])
        #expect(d.count == 12 && d.sum == 4)
        let restarted = histogram([(0.1, 1), (1, 2), (.infinity, 2)])
        #expect(restarted.delta(since: before) == restarted)
        #expect(after.delta(since: nil) == after)
        #expect(after.delta(since: histogram([(0.5, 1), (.infinity, 1)])) == after)  // other bounds
    }

    @Test func mergedSumsInstancesBoundByBound() {
        let a = histogram([(0.1, 1), (1, 3), (.infinity, 4)], sum: 2)
        let b = histogram([(0.1, 2), (1, 2), (.infinity, 5)], sum: 3)
        let m = PrometheusHistogram.merged([a, b])
        #expect(m?.buckets.map(\.cumulativeCount) == [3, 5, 9])
        #expect(m?.sum == 5 && m?.count == 9)
        #expect(PrometheusHistogram.merged([]) == nil)
    }

    @Test func counterRatesAcrossScrapesWithReset() {
        var rates = CounterRates()
        #expect(rates.rate(of: "x", value: 100, at: 10) == nil)  // first sight
        #expect(rates.rate(of: "x", value: 150, at: 20) == 5)
        #expect(rates.rate(of: "x", value: 30, at: 30) == 3)  // restarted: 30 since the reset
        #expect(rates.rate(of: "x", value: 40, at: 30) == nil)  // no time passed
        #expect(rates.rate(of: "x", value: .nan, at: 40) == nil)
        #expect(rates.rate(of: "x", value: 60, at: 40) == 2)
        #expect(CounterRates.increase(from: 10, to: 4) == 4)
    }

    @Test func ratesForgetSeriesThatVanish() {
        var rates = CounterRates()
        _ = rates.rate(of: "gone", value: 1, at: 0)
        rates.endPass()
        rates.endPass()  // not asked about in a whole pass: forgotten
        #expect(rates.rate(of: "gone", value: 5, at: 10) == nil)
    }

    @Test func histogramDeltasRememberThePreviousScrape() {
        var deltas = HistogramDeltas()
        let first = histogram([(1, 5), (.infinity, 10)])
        let second = histogram([(1, 6), (.infinity, 14)])
        #expect(deltas.delta(of: "k", first) == first)
        #expect(deltas.hasPrevious("k"))
        #expect(deltas.delta(of: "k", second).buckets.map(\.cumulativeCount) == [1, 4])
    }
}
