import InfertopUI

/// Something the terminal reports to the run loop: a key press or a new size.
///
/// A resize is an event like a key, not a callback, so the loop handles both in one place:
/// it turns them into `Msg`s and redraws from the model.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    case resize(Size)
}

/// Why the terminal could not start.
///
/// Each case names the fix in its description, because the user sees it on stderr before
/// any screen exists.
public enum TerminalError: Error, CustomStringConvertible, Sendable, Hashable {
    /// stdin or stdout is not a terminal (piped, redirected, or run without a tty).
    case notATerminal
    /// curses has no terminfo entry for `TERM` (the value, possibly empty).
    case unknownTerminal(String)

    public var description: String {
        switch self {
        case .notATerminal:
            "stdin and stdout must be a terminal (use `infertop snapshot` for output to a pipe or file)"
        case .unknownTerminal(let term) where term.isEmpty:
            "TERM is not set (set it, for example TERM=xterm-256color)"
        case .unknownTerminal(let term):
            "unknown terminal type TERM=\(term) (try TERM=xterm-256color, or install its terminfo entry)"
        }
    }
}
