import CNcursesw
import InfertopUI

/// Turns cell styles into curses attributes and colour pairs, allocating pairs lazily.
///
/// Curses colours text through numbered (foreground, background) pairs, and terminals
/// offer few: 64 under `TERM=xterm`, so pairs are created on first use, one per distinct
/// resolved colour combination. When they run out, a style falls back to a pair with the
/// same foreground on the default background, then to the terminal's default pair; the
/// attributes (bold, reverse) still apply, so the screen degrades rather than breaks. A theme
/// that paints its canvas gives every pair an explicit background, and `applyCanvas` makes
/// curses clear to it too.
struct CursesColors {
    /// A style as curses draws it.
    struct Drawn {
        var attributes: attr_t
        var pair: Int16
    }

    private struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    private(set) var theme: Theme
    let depth: ColorDepth
    /// Whether -1 may name the terminal's default colour (`use_default_colors` succeeded).
    private let defaultColors: Bool
    private let pairLimit: Int32
    private var styles: [Style: Drawn] = [:]
    private var pairs: [PairKey: Int16] = [:]
    private var nextPair: Int32 = 1

    init(theme: Theme, depth: ColorDepth, defaultColors: Bool, pairLimit: Int32) {
        self.theme = theme
        self.depth = depth
        self.defaultColors = defaultColors
        self.pairLimit = min(pairLimit, Int32(Int16.max))
    }

    /// Switches theme; pairs are redefined as styles are drawn again, and the canvas at once.
    mutating func setTheme(_ theme: Theme) {
        self.theme = theme
        styles = [:]
        pairs = [:]
        nextPair = 1
        applyCanvas()
    }

    /// Sets what curses clears to (pair 0): the theme's painted canvas, else the terminal's own colours.
    func applyCanvas() {
        guard depth != .mono else { return }
        if let canvas = ResolvedStyle.canvas(theme: theme, depth: depth), let background = canvas.background {
            _ = assume_default_colors(Int32(canvas.foreground ?? 7), Int32(background))
        } else {
            _ = assume_default_colors(Int32(defaultForeground), Int32(defaultBackground))
        }
    }

    /// The attributes and pair for a style, cached per style.
    mutating func drawn(_ style: Style) -> Drawn {
        if let cached = styles[style] { return cached }
        let resolved = ResolvedStyle(style, theme: theme, depth: depth)
        let result = Drawn(attributes: Self.attributes(resolved.attributes), pair: pair(for: resolved))
        styles[style] = result
        return result
    }

    private mutating func pair(for resolved: ResolvedStyle) -> Int16 {
        guard depth != .mono, resolved.foreground != nil || resolved.background != nil else { return 0 }
        let key = PairKey(
            foreground: resolved.foreground.map { Int16($0) } ?? defaultForeground,
            background: resolved.background.map { Int16($0) } ?? defaultBackground)
        if let existing = pairs[key] { return existing }
        if nextPair < pairLimit, init_pair(Int16(nextPair), key.foreground, key.background) != CNcursesw_ERR() {
            let pair = Int16(nextPair)
            nextPair += 1
            pairs[key] = pair
            return pair
        }
        // Out of pairs: keep the foreground if some pair has it on the default background.
        return pairs[PairKey(foreground: key.foreground, background: defaultBackground)] ?? 0
    }

    private var defaultForeground: Int16 { defaultColors ? -1 : 7 }
    private var defaultBackground: Int16 { defaultColors ? -1 : 0 }

    private static func attributes(_ attributes: TextAttributes) -> attr_t {
        var result = attr_t(CNcursesw_A_NORMAL())
        if attributes.contains(.bold) { result |= attr_t(CNcursesw_A_BOLD()) }
        if attributes.contains(.dim) { result |= attr_t(CNcursesw_A_DIM()) }
        if attributes.contains(.reverse) { result |= attr_t(CNcursesw_A_REVERSE()) }
        if attributes.contains(.underline) { result |= attr_t(CNcursesw_A_UNDERLINE()) }
        return result
    }
}
