import Synchronization

/// Fails when nothing was fed for `seconds`: a subscription whose agent hung is cut and redialled
/// instead of waiting forever on a half-open TCP connection.
final class Watchdog: Sendable {
    struct Silence: Error {}

    private let seconds: Double
    private let last = Mutex(ContinuousClock.now)

    init(seconds: Double) { self.seconds = seconds }

    func feed() { last.withLock { $0 = ContinuousClock.now } }

    func run() async throws {
        let clock = ContinuousClock()
        while true {
            try await clock.sleep(for: .milliseconds(250))
            let quiet = clock.now - last.withLock { $0 }
            if quiet > .milliseconds(Int(seconds * 1000)) { throw Silence() }
        }
    }
}
