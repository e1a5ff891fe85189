import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program with posix_spawn, its output to a temporary file, every other descriptor
/// closed in the child.
///
/// Foundation's `Process` hangs with daemons such as the tmux server: the daemon inherits the
/// descriptors Foundation watches, so the parent never sees them close.
public enum Spawn {
    public static func run(_ argv: [String], environment: [String: String]? = nil) throws -> (
        status: Int32, output: String
    ) {
        let outPath = NSTemporaryDirectory() + "infertop-spawn-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        defer { unlink(outPath) }
        let pid = try launch(argv, environment: environment, output: outPath, append: false, stderrToo: false)
        var wstatus: Int32 = 0
        while waitpid(pid, &wstatus, 0) < 0 && errno == EINTR {}
        let status = (wstatus & 0x7f) == 0 ? (wstatus >> 8) & 0xff : 128 + (wstatus & 0x7f)
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return (status, output)
    }

    /// Starts `argv` (found on PATH) and returns its pid: stdin from /dev/null, stdout to
    /// `output` (stderr too with `stderrToo`, else /dev/null), no descriptor of the test runner.
    ///
    /// The child starts with no signals blocked and default dispositions: a test runner's threads
    /// block some (SIGCHLD, sometimes SIGTERM), and a tmux server that inherits that mask never
    /// reaps its panes, a Python server never sees the SIGTERM that should stop it gracefully.
    /// - Parameter environment: the child's whole environment; nil passes the runner's own.
    public static func launch(
        _ argv: [String], environment: [String: String]?, output: String, append: Bool, stderrToo: Bool
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o600)
        if stderrToo {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        markDescriptorsCloseOnExec()
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let envStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        try withCStrings(argv) { args in
            try withCStrings(envStrings) { envp in
                let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, args, envp)
                guard rc == 0 else {
                    throw SpawnError(message: "cannot start \(argv[0]): \(String(cString: strerror(rc)))")
                }
            }
        }
        return pid
    }

    /// Marks every descriptor above stderr close-on-exec, so no child inherits the test
    /// runner's pipes.
    private static func markDescriptorsCloseOnExec() {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for name in fds {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> R)
        rethrows -> R
    {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return try body(pointers)
    }
}

/// Why a program could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
