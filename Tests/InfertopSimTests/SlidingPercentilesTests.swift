import InfertopCore
import Testing

@testable import InfertopSim

/// The simulator's sliding-window percentiles give the nearest rank of a sort of the window,
/// however values arrive and leave.
struct SlidingPercentilesTests {
    @Test(arguments: [UInt64(1), 2, 3])
    func matchesSortingTheWindow(seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        var window = SlidingPercentiles(seconds: 10)
        var kept: [(time: Double, value: Double)] = []
        var time = 0.0
        for step in 0..<3_000 {
            time += rng.unit() * 0.05
            // Repeated values too: removal must take one copy, not all of them.
            let value = step % 7 == 0 ? 0.25 : rng.logNormal(median: 0.1, sigma: 1)
            window.record(value, at: time)
            kept.append((time, value))
            if step % 10 == 0 {
                window.prune(before: time)
                kept.removeAll { $0.time < time - 10 }
                let sorted = kept.map(\.value).sorted()
                #expect(window.count == sorted.count)
                for q in [0.0, 0.5, 0.9, 0.99, 1.0] {
                    let rank = min(sorted.count - 1, max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))
                    #expect(window.percentile(q) == sorted[rank], "seed \(seed) step \(step) q \(q)")
                }
            }
        }
    }

    @Test func emptyWindow_hasNoPercentile() {
        var window = SlidingPercentiles(seconds: 1)
        #expect(window.percentile(0.5) == nil)
        window.record(3, at: 0)
        window.prune(before: 5)
        #expect(window.percentile(0.5) == nil && window.count == 0)
    }
}
