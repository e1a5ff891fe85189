/// A cell style resolved for one terminal: palette indices and attributes.
///
/// This is the meeting point of role, theme and colour depth. Both the curses terminal
/// (colour pairs) and the ANSI renderer (SGR escapes) draw from it, so they agree on what
/// every role looks like at every depth.
public struct ResolvedStyle: Sendable, Hashable {
    /// Palette index: 16...255 at `.full`, 0...7 at `.eight`; nil is the terminal default.
    public var foreground: UInt8?
    /// Palette index like `foreground`; nil is the terminal's own background.
    public var background: UInt8?
    public var attributes: TextAttributes

    public init(foreground: UInt8? = nil, background: UInt8? = nil, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's defaults: no colour, no attributes.
    public static let plain = ResolvedStyle()

    /// Resolves a cell style through a theme at a colour depth.
    ///
    /// A theme that paints its canvas gives every cell an explicit background (its role's, else
    /// the canvas), so a light theme stays light on a dark terminal. At 8 colours a grey role
    /// background would merge with grey text, so it becomes reverse video instead; colours
    /// close to the canvas in lightness and receding roles (those dim without colour) are
    /// dimmed, so borders, free memory and cold heat stay below the text as at 256 colours;
    /// and a painted canvas is black or white, never a hue. With no colour, or a monochrome
    /// theme, roles become attributes (`ColorMapping.monoAttributes`).
    public init(_ style: Style, theme: Theme, depth: ColorDepth) {
        let color = theme[style.role]
        var attributes = style.attributes
        let canvas = ResolvedStyle.canvasBackground(theme: theme, depth: depth)
        switch theme.drawingDepth(depth) {
        case .full:
            if color.bold { attributes.insert(.bold) }
            self.init(
                foreground: ColorMapping.xterm256(color.fg), background: color.bg.map(ColorMapping.xterm256) ?? canvas,
                attributes: attributes)
        case .eight:
            if color.bold { attributes.insert(.bold) }
            var foreground = ColorMapping.ansi8(color.fg)
            if foreground == canvas { foreground = canvas == 0 ? 7 : 0 }
            let recedes = ColorMapping.isDark(color.fg) == ColorMapping.isDark(theme.canvas.background)
            if recedes || ColorMapping.monoAttributes(for: style.role).contains(.dim) {
                attributes.insert(.dim)
            }
            var background = color.bg.map(ColorMapping.ansi8)
            if let bg = background, bg == 0 || bg == 7 || bg == foreground {
                background = nil
                attributes.insert(.reverse)
            }
            self.init(foreground: foreground, background: background ?? canvas, attributes: attributes)
        case .mono:
            self.init(attributes: attributes.union(ColorMapping.monoAttributes(for: style.role)))
        }
    }

    /// What a terminal clears to under a theme that paints its canvas: the text colour on the
    /// canvas background. Nil when the theme keeps the terminal's own colours, or draws none.
    public static func canvas(theme: Theme, depth: ColorDepth) -> ResolvedStyle? {
        guard let background = canvasBackground(theme: theme, depth: depth) else { return nil }
        return ResolvedStyle(
            foreground: ResolvedStyle(.text, theme: theme, depth: depth).foreground, background: background)
    }

    /// The palette index of a painted canvas at a depth: the nearest xterm colour at 256, black
    /// or white at 8 (a hue behind everything would fight the text), nil when not painted.
    private static func canvasBackground(theme: Theme, depth: ColorDepth) -> UInt8? {
        guard theme.canvas.paints else { return nil }
        switch theme.drawingDepth(depth) {
        case .full: return ColorMapping.xterm256(theme.canvas.background)
        case .eight: return ColorMapping.isDark(theme.canvas.background) ? 0 : 7
        case .mono: return nil
        }
    }

    /// The SGR escape that sets exactly this style from any previous one (it starts with a reset).
    public var sgr: String {
        var codes = ["0"]
        if attributes.contains(.bold) { codes.append("1") }
        if attributes.contains(.dim) { codes.append("2") }
        if attributes.contains(.underline) { codes.append("4") }
        if attributes.contains(.reverse) { codes.append("7") }
        if let foreground { codes.append(foreground < 8 ? "3\(foreground)" : "38;5;\(foreground)") }
        if let background { codes.append(background < 8 ? "4\(background)" : "48;5;\(background)") }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
