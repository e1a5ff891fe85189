import CNcursesw
import InfertopUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one object that talks to the terminal: start, colours, drawing changed cells, keys, stop.
///
/// It receives `CellRun`s from `Screen.diff(from:)` and writes only those cells, and it
/// refreshes only when there is something to write, so an idle dashboard sends no bytes.
/// Curses switches to the alternate screen on start (terminfo `smcup`) and leaves it on
/// `stop()` (`rmcup`), so the shell's scrollback is untouched. Signals and crashes restore
/// the terminal through `TerminalSignals` and `TerminalRestore`. Use it from one thread.
public final class CursesTerminal {
    /// Whether the locale is UTF-8; without it views should draw ASCII glyphs.
    public let unicode: Bool
    /// The colour depth in use: detected from the terminal, lowered by `NO_COLOR` or a flag.
    public let depth: ColorDepth
    /// The terminal size, updated when a resize event is read.
    public private(set) var size: Size

    private var colors: CursesColors
    private var stopped = false

    /// Starts curses on stdin/stdout.
    ///
    /// - Parameters:
    ///   - theme: colours for the style roles.
    ///   - forcedDepth: a depth chosen by the user; it wins over `NO_COLOR` but cannot exceed
    ///     what the terminal reports, because curses refuses colours it does not have.
    /// - Throws: `TerminalError` when stdin/stdout are not a terminal or `TERM` is unknown.
    public init(theme: Theme, forcedDepth: ColorDepth? = nil) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        unicode = Self.setUpLocale()
        TerminalRestore.save(fd: STDOUT_FILENO)
        guard CNcursesw_newterm() != nil else {
            throw TerminalError.unknownTerminal(Self.environment("TERM") ?? "")
        }
        TerminalRestore.markActive()
        TerminalSignals.install()

        let screen = CNcursesw_stdscr()
        _ = cbreak()
        _ = noecho()
        _ = keypad(screen, true)
        _ = curs_set(0)
        _ = set_escdelay(25)

        // COLORS is only known after start_color(), so colour is started unless the user
        // asked for none (a flag, or NO_COLOR without a flag).
        let wanted = forcedDepth ?? (Self.environment("NO_COLOR") != nil ? .mono : .full)
        var chosen = ColorDepth.mono
        var defaultColors = false
        if wanted != .mono, has_colors(), start_color() != CNcursesw_ERR() {
            defaultColors = use_default_colors() != CNcursesw_ERR()
            let available = Self.depth(colors: CNcursesw_colors())
            chosen = Self.rank(wanted) > Self.rank(available) ? available : wanted
        }
        depth = chosen
        colors = CursesColors(
            theme: theme, depth: chosen, defaultColors: defaultColors, pairLimit: CNcursesw_colorPairs())
        size = Size(columns: Int(CNcursesw_cols()), rows: Int(CNcursesw_lines()))
        colors.applyCanvas()
    }

    deinit { stop() }

    /// Writes changed cells and shows them; no runs, no terminal call at all.
    public func draw(_ runs: [CellRun]) {
        guard !runs.isEmpty, !stopped else { return }
        for run in runs {
            for (offset, cell) in run.cells.enumerated() {
                let drawn = colors.drawn(cell.style)
                _ = CNcursesw_put(
                    Int32(run.y), Int32(run.x + offset), glyph(cell.scalar), drawn.attributes, drawn.pair)
            }
        }
        _ = wnoutrefresh(CNcursesw_stdscr())
        _ = doupdate()
    }

    /// Makes the next `draw` repaint the whole terminal, not just what curses thinks changed.
    ///
    /// After a resize, or when another program scribbled on the terminal, curses' idea of
    /// the screen is wrong; the caller should also draw a full frame (`diff(from: nil)`).
    public func forceFullRedraw() {
        guard !stopped else { return }
        _ = clearok(CNcursesw_stdscr(), true)
    }

    /// The depth views should draw at: the terminal's, or none under a monochrome theme.
    public var drawingDepth: ColorDepth { colors.theme.drawingDepth(depth) }

    /// Switches the theme: colour pairs are resolved again and a painted background is set (or
    /// given back to the terminal). The caller draws a full frame afterwards (`diff(from: nil)`),
    /// at `drawingDepth`.
    public func setTheme(_ theme: Theme) {
        colors.setTheme(theme)
        forceFullRedraw()
    }

    /// Waits up to `timeoutMilliseconds` for a key or a resize; nil on timeout or an unbound key.
    public func readEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard !stopped else { return nil }
        let screen = CNcursesw_stdscr()
        wtimeout(screen, Int32(clamping: timeoutMilliseconds))
        var code: wint_t = 0
        let result = CNcursesw_getWideKey(&code)
        if result == CNcursesw_ERR() { return nil }
        let isFunctionKey = result == CNcursesw_KEY_CODE_YES()
        if isFunctionKey && Int32(code) == CNcursesw_KEY_RESIZE() {
            size = Size(columns: Int(CNcursesw_cols()), rows: Int(CNcursesw_lines()))
            return .resize(size)
        }
        let key = KeyDecoder.decode(code: Int32(bitPattern: UInt32(code)), isFunctionKey: isFunctionKey)
        return key.map(TerminalEvent.key)
    }

    /// Ends curses: leaves the alternate screen, shows the cursor, restores the shell's modes
    /// and signal handlers. Safe to call more than once.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = curs_set(1)
        _ = endwin()
        TerminalRestore.markStopped()
        TerminalSignals.uninstall()
    }

    // MARK: - Helpers

    /// The character curses should draw for a cell; control characters and, outside UTF-8,
    /// non-ASCII or double-width glyphs would move curses' cursor, so they become stand-ins.
    private func glyph(_ scalar: Unicode.Scalar) -> wchar_t {
        let value = scalar.value
        if value < 0x20 || value == 0x7F { return wchar_t(0x20) }
        if value < 0x7F { return wchar_t(value) }
        guard unicode, CNcursesw_wcwidth(wchar_t(value)) == 1 else { return wchar_t(0x3F) }
        return wchar_t(value)
    }

    /// Sets the locale from the environment; falls back to C.UTF-8 only when the environment
    /// asks for UTF-8 but names a locale that is not installed (common in containers).
    private static func setUpLocale() -> Bool {
        _ = setlocale(LC_ALL, "")
        if isUTF8() { return true }
        let requested = environment("LC_ALL") ?? environment("LC_CTYPE") ?? environment("LANG") ?? ""
        let lowered = requested.lowercased()
        if lowered.contains("utf-8") || lowered.contains("utf8") { _ = setlocale(LC_ALL, "C.UTF-8") }
        return isUTF8()
    }

    private static func isUTF8() -> Bool {
        guard let codeset = CNcursesw_codeset() else { return false }
        return String(cString: codeset) == "UTF-8"
    }

    private static func depth(colors count: Int32) -> ColorDepth {
        count >= 256 ? .full : count >= 8 ? .eight : .mono
    }

    private static func rank(_ depth: ColorDepth) -> Int {
        switch depth {
        case .mono: 0
        case .eight: 1
        case .full: 2
        }
    }

    /// An environment variable, nil when unset or empty.
    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}
