import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Signal handling for the dashboard: stop requests become a flag, crashes restore the terminal.
///
/// SIGINT, SIGTERM and SIGHUP (a dropped SSH session) only record the signal in an atomic;
/// the run loop reads keys with a short timeout, sees `stopRequested`, calls
/// `CursesTerminal.stop()` and exits with `128 + requestedSignal()`. Doing the restore in the
/// handler itself would call curses, which is not async-signal-safe. SIGPIPE is ignored so a
/// closed pipe is an error return, not a silent death. Fatal signals (SIGSEGV, SIGBUS, SIGILL,
/// SIGFPE, SIGABRT, SIGTRAP) restore the terminal with `write`/`tcsetattr` only, reinstate
/// the previous handler (the Swift runtime's backtracer, or the default) and re-raise, so the
/// crash report lands on a usable terminal.
public enum TerminalSignals {
    /// Whether SIGINT, SIGTERM or SIGHUP has arrived since `install()`.
    public static var stopRequested: Bool { requestedSignal() != nil }

    /// The stop signal that arrived (the first one), or nil.
    public static func requestedSignal() -> Int32? {
        let signal = signalState.requested.load(ordering: .acquiring)
        return signal == 0 ? nil : signal
    }

    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    /// Installs the handlers, saving the previous ones; repeated calls do nothing.
    static func install() {
        TerminalRestore.prepare()
        guard !signalState.installed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for signal in stopSignals {
            setHandler(signal) { signal in
                _ = signalState.requested.compareExchange(
                    expected: 0, desired: signal, ordering: .acquiringAndReleasing)
            }
        }
        for signal in fatalSignals {
            setHandler(signal) { signal in
                TerminalRestore.emergencyRestore()
                // Put back whatever handled this signal before us and deliver it again; it
                // stays blocked until this handler returns, then runs with that disposition.
                let previous = signalState.previousActions.pointer.advanced(by: Int(signal))
                _ = sigaction(signal, previous, nil)
                _ = raise(signal)
            }
        }
        ignore(SIGPIPE)
    }

    /// Puts back the handlers `install()` replaced; the requested signal stays recorded.
    static func uninstall() {
        guard signalState.installed.exchange(false, ordering: .acquiringAndReleasing) else { return }
        for signal in stopSignals + fatalSignals {
            _ = sigaction(signal, signalState.previousActions.pointer.advanced(by: Int(signal)), nil)
        }
    }

    private static func setHandler(_ signal: Int32, _ handler: @convention(c) (Int32) -> Void) {
        replace(signal, with: handler)
    }

    private static func ignore(_ signal: Int32) {
        replace(signal, with: SIG_IGN)
    }

    /// Installs `handler` for `signal` with an empty mask and no flags, keeping the one it replaces.
    private static func replace(_ signal: Int32, with handler: __sighandler_t?) {
        var action = sigaction()
        #if os(Linux)
            action.__sigaction_handler.sa_handler = handler
        #else
            action.__sigaction_u.__sa_handler = handler
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        _ = sigaction(signal, &action, signalState.previousActions.pointer.advanced(by: Int(signal)))
    }
}

/// Signal state: atomics and a table of previous handlers allocated once and never freed,
/// so handlers touch no locks and allocate nothing.
private struct SignalState: ~Copyable, Sendable {
    let requested = Atomic<Int32>(0)
    let installed = Atomic<Bool>(false)
    let previousActions = SigactionTable()
}

/// Previous `sigaction`s indexed by signal number.
private struct SigactionTable: @unchecked Sendable {
    static let capacity = 65
    let pointer: UnsafeMutablePointer<sigaction> = {
        let pointer = UnsafeMutablePointer<sigaction>.allocate(capacity: SigactionTable.capacity)
        pointer.initialize(repeating: sigaction(), count: SigactionTable.capacity)
        return pointer
    }()
}

private let signalState = SignalState()
