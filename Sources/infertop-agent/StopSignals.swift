import Dispatch
import Foundation
import InfertopAgent
import InfertopCLI
import Logging

/// SIGTERM and SIGINT as a request to stop: the first one lets the agent shut its servers down
/// gracefully (systemd's `systemctl stop`, Ctrl-C) and exit 0; a second one exits at once with
/// 128 + the signal (``StoppedBySignal``).
enum StopSignals {
    /// Runs `body` until it returns or a stop signal arrives; on a signal, `body`'s task is
    /// cancelled, which every server of the agent turns into a graceful shutdown.
    static func run(logger: Logger, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let requested = ShutdownLatch()
        let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if requested.isSet { Foundation.exit(StoppedBySignal(signal: number).exitStatus) }
                logger.info("stopping: closing subscriptions and connections", metadata: ["signal": "\(number)"])
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
