import Synchronization

/// Fails when nothing was fed for `seconds`: a subscription whose agent hung is cut and redialled
/// instead of waiting forever on a half-open TCP connection.
///
/// Only time in which this process was running counts as silence. When the watchdog itself wakes
/// far later than it asked to (a loaded machine, a process stopped by `^Z`, a laptop asleep), the
/// reader beside it was held up just as long, so the overshoot says nothing about the agent and is
/// not counted.
final class Watchdog: Sendable {
    struct Silence: Error {}

    private let seconds: Double
    private let silence: Mutex<SilenceMeter>
    private static let tick = Duration.milliseconds(250)

    init(seconds: Double) {
        self.seconds = seconds
        silence = Mutex(SilenceMeter(limit: .milliseconds(Int(seconds * 1000)), tick: Self.tick, now: .now))
    }

    func feed() { silence.withLock { $0.feed(now: .now) } }

    func run() async throws {
        let clock = ContinuousClock()
        while true {
            try await clock.sleep(for: Self.tick)
            if silence.withLock({ $0.check(now: clock.now) }) { throw Silence() }
        }
    }
}

/// The arithmetic of `Watchdog`: silence since the last message, less the time the checks were
/// late by more than a few ticks (the process was not running, so neither was the reader).
struct SilenceMeter: Sendable {
    let limit: Duration
    let tick: Duration
    private var lastFeed: ContinuousClock.Instant
    private var lastCheck: ContinuousClock.Instant
    /// Lateness past this is the process being held up, not the agent being quiet.
    private var grace: Duration { tick * 4 }

    init(limit: Duration, tick: Duration, now: ContinuousClock.Instant) {
        self.limit = limit
        self.tick = tick
        lastFeed = now
        lastCheck = now
    }

    mutating func feed(now: ContinuousClock.Instant) { lastFeed = now }

    /// True when the silence, counted in running time only, is past the limit.
    mutating func check(now: ContinuousClock.Instant) -> Bool {
        let late = now - lastCheck - tick
        if late > grace { lastFeed = lastFeed.advanced(by: late) }
        lastCheck = now
        return now - lastFeed > limit
    }
}
