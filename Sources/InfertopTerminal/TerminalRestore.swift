import CNcursesw
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Puts the terminal back the way the shell left it, on every exit path.
///
/// A dashboard that dies in raw mode on the alternate screen leaves the user's shell
/// unusable, so the modes are saved before curses starts and restored by `CursesTerminal.stop()`,
/// by an `atexit` hook if the process exits while curses is still on, and by the fatal-signal
/// handler (`emergencyRestore()`), which may only use async-signal-safe calls: `write` and
/// `tcsetattr` on state that was allocated up front.
public enum TerminalRestore {
    /// Whether curses is on and the terminal would need restoring.
    public static var isActive: Bool { restoreState.active.load(ordering: .acquiring) }

    /// Saves the terminal's modes on `fd` and registers the `atexit` hook (once).
    /// - Returns: false when `fd` is not a terminal.
    @discardableResult
    static func save(fd: Int32) -> Bool {
        guard tcgetattr(fd, restoreState.savedModes) == 0 else { return false }
        restoreState.fd.store(fd, ordering: .releasing)
        if restoreState.atExitRegistered.exchange(true, ordering: .acquiringAndReleasing) == false {
            atexit { TerminalRestore.restoreAtExit() }
        }
        return true
    }

    /// Marks curses as on; from here until `markStopped()` the hooks restore the terminal.
    static func markActive() {
        restoreState.active.store(true, ordering: .releasing)
    }

    /// Restores the saved modes after `endwin()` and marks curses as off.
    ///
    /// `endwin()` already restores the shell modes it saved; setting ours again covers a
    /// terminal whose modes curses did not capture exactly (for example after SIGTSTP).
    static func markStopped() {
        guard restoreState.active.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let fd = restoreState.fd.load(ordering: .acquiring)
        if fd >= 0 { _ = tcsetattr(fd, TCSANOW, restoreState.savedModes) }
    }

    /// Leaves the alternate screen, shows the cursor, resets colours and restores the saved
    /// modes, using only async-signal-safe calls; for the fatal-signal handler.
    static func emergencyRestore() {
        guard restoreState.active.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let fd = restoreState.fd.load(ordering: .acquiring)
        guard fd >= 0 else { return }
        let escapes: StaticString = "\u{1B}[?1049l\u{1B}[?25h\u{1B}[0m\r\n"
        _ = write(fd, escapes.utf8Start, escapes.utf8CodeUnitCount)
        _ = tcsetattr(fd, TCSANOW, restoreState.savedModes)
    }

    /// Touches the shared state so that its lazy initialisation never runs in a signal handler.
    static func prepare() {
        _ = restoreState.active.load(ordering: .relaxed)
    }

    private static func restoreAtExit() {
        guard isActive else { return }
        endwin()
        markStopped()
    }
}

/// State the restore paths share with signal handlers: atomics and memory allocated once,
/// never freed, so a handler reads it without locks or allocation.
private struct RestoreState: ~Copyable, Sendable {
    let active = Atomic<Bool>(false)
    let atExitRegistered = Atomic<Bool>(false)
    let fd = Atomic<Int32>(-1)
    let termiosStorage = UnsafeTermios()

    var savedModes: UnsafeMutablePointer<termios> { termiosStorage.pointer }
}

/// A `termios` buffer that lives for the whole process.
private struct UnsafeTermios: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<termios> = {
        let pointer = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        pointer.initialize(to: termios())
        return pointer
    }()
}

private let restoreState = RestoreState()
