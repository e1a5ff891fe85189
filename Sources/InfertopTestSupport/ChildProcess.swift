import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with posix_spawn with no signal blocked and default dispositions, its
/// output appended to a log file.
///
/// Foundation's `Process` passes on the test runner's signal mask, in which SIGTERM may be
/// blocked: a Python worker or the router started that way never sees the SIGTERM that should
/// stop it gracefully.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private var exited = false

    /// Starts `argv`, its stdout and stderr appended to `log`.
    /// - Parameter environment: the child's whole environment.
    public init(_ argv: [String], environment: [String: String], log: String) throws {
        pid = try Spawn.launch(argv, environment: environment, output: log, append: true, stderrToo: true)
    }

    public var isRunning: Bool {
        guard !exited else { return false }
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid || (r < 0 && errno == ECHILD) { exited = true }
        return !exited
    }

    public func signal(_ number: Int32) {
        if isRunning { kill(pid, number) }
    }

    /// Waits for the exit; kills the process when it is still running after `limit`.
    /// - Returns: whether it exited by itself.
    @discardableResult
    public func wait(upTo limit: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        guard isRunning else { return true }
        kill(pid, SIGKILL)
        while isRunning { usleep(20_000) }
        return false
    }

    deinit {
        signal(SIGTERM)
        wait(upTo: .seconds(10))
    }
}
