import Testing

@testable import InfertopWire

/// The subscription watchdog counts an agent's silence, not this process's stalls: a check that
/// runs seconds late (the machine was loaded) must not cut a healthy stream, while a stream that
/// stays quiet through checks made on time is still cut after the limit.
struct SilenceMeterTests {
    let start = ContinuousClock.now
    let tick = Duration.milliseconds(250)

    private func meter() -> SilenceMeter { SilenceMeter(limit: .seconds(5), tick: tick, now: start) }

    @Test func quietThroughOnTimeChecks_isCutAfterTheLimit() {
        var m = meter()
        var now = start
        var cutAt: Duration?
        for _ in 0..<40 {
            now = now.advanced(by: tick)
            if m.check(now: now) {
                cutAt = now - start
                break
            }
        }
        #expect(cutAt == .milliseconds(5_250))
    }

    @Test func aStalledProcess_doesNotCountAsSilence() {
        var m = meter()
        var now = start.advanced(by: .seconds(1))
        let early = m.check(now: now)
        #expect(!early)
        m.feed(now: now)
        // The process was held up for 8 s: the next check comes 8 s late, and the reader, held
        // up as long, had no chance to feed.
        now = now.advanced(by: .seconds(8))
        let afterStall = m.check(now: now)
        #expect(!afterStall)
        // Back on time: the agent then has its full 5 s (less the tick's own slack) again.
        var cut = false
        for _ in 0..<19 {
            now = now.advanced(by: tick)
            cut = cut || m.check(now: now)
        }
        #expect(!cut)
        for _ in 0..<3 {
            now = now.advanced(by: tick)
            cut = cut || m.check(now: now)
        }
        #expect(cut)
    }

    @Test func feeding_keepsTheStream() {
        var m = meter()
        var now = start
        for _ in 0..<200 {
            now = now.advanced(by: tick)
            m.feed(now: now)
            let cut = m.check(now: now)
            #expect(!cut)
        }
    }
}
