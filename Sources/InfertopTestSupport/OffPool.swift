import Foundation

/// Runs blocking work (waiting for a child process, polling a terminal) on a thread of its own,
/// so that it never holds one of the few threads of Swift's cooperative pool.
///
/// On a 2-core machine the pool has two threads: a test that blocks one of them for minutes (a
/// tmux session waiting for a screen, a subprocess running to completion) starves every async
/// test beside it, whose servers and timers then stall until their deadlines pass.
public enum OffPool {
    /// Runs `work` on a new thread and returns its result to the awaiting task.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}

extension Spawn {
    /// `run`, waiting on a thread of its own (see `OffPool`).
    public static func run(_ argv: [String], environment: [String: String]? = nil) async throws
        -> (status: Int32, output: String)
    {
        try await OffPool.run { try Spawn.run(argv, environment: environment) as (status: Int32, output: String) }
    }
}

extension Binaries {
    /// `run`, waiting on a thread of its own (see `OffPool`).
    public static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await OffPool.run {
            try Binaries.run(name, arguments, environment: environment)
                as (status: Int32, stdout: String, stderr: String)
        }
    }
}
