import Dispatch
import Foundation
import InfertopAgent

/// SIGTERM and SIGINT as a request to stop: the first one lets the agent shut its servers down
/// gracefully (systemd's `systemctl stop`, Ctrl-C); a second one exits at once.
enum StopSignals {
    /// Runs `body` until it returns or a stop signal arrives; on a signal, `body`'s task is
    /// cancelled, which every server of the agent turns into a graceful shutdown.
    static func run(_ body: @escaping @Sendable () async throws -> Void) async throws {
        let requested = ShutdownLatch()
        let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if requested.isSet { Foundation.exit(128 + number) }
                Log.info("stopping on signal \(number): closing subscriptions and connections")
                requested.set()
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body() }
            group.addTask { await requested.wait() }
            try await group.next()
            group.cancelAll()
        }
    }
}
