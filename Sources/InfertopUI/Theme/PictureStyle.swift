/// A cell style resolved to 24-bit colours for a picture of the screen (`Screen.svg`).
///
/// A picture has no terminal behind it, so every colour is explicit: at 256 colours it uses
/// the theme's own `#RRGGBB` (not the xterm approximation a terminal shows), at 8 the colours
/// xterm gives the 8 ANSI indices, and with no colour (or a monochrome theme) one ink on the
/// canvas. Reverse video swaps ink and background; dim mixes a third of the background into the ink.
public struct PictureStyle: Sendable, Hashable {
    /// The glyph's colour.
    public var foreground: RGB
    /// The cell's background; nil where the picture's backdrop shows through.
    public var background: RGB?
    public var bold: Bool
    public var underline: Bool

    public init(foreground: RGB, background: RGB? = nil, bold: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.underline = underline
    }

    /// Resolves a cell style through a theme at a colour depth.
    public init(_ style: Style, theme: Theme, depth: ColorDepth) {
        let backdrop = Self.backdrop(theme: theme, depth: depth)
        var foreground: RGB
        var background: RGB?
        var attributes: TextAttributes
        if theme.drawingDepth(depth) == .full {
            let color = theme[style.role]
            foreground = color.fg
            background = color.bg
            attributes = style.attributes
            if color.bold { attributes.insert(.bold) }
        } else {
            let resolved = ResolvedStyle(style, theme: theme, depth: depth)
            foreground = resolved.foreground.map(ColorMapping.rgb(xterm256:)) ?? Self.ink(on: backdrop)
            background = resolved.background.map(ColorMapping.rgb(xterm256:))
            attributes = resolved.attributes
        }
        if background == backdrop { background = nil }
        if attributes.contains(.reverse) {
            (foreground, background) = (background ?? backdrop, foreground)
        }
        if attributes.contains(.dim) { foreground = Self.mix(foreground, background ?? backdrop) }
        self.init(
            foreground: foreground, background: background, bold: attributes.contains(.bold),
            underline: attributes.contains(.underline))
    }

    /// What the whole picture is drawn on: the theme's canvas, as a painted 8-colour terminal
    /// shows it at 8 colours.
    public static func backdrop(theme: Theme, depth: ColorDepth) -> RGB {
        if theme.drawingDepth(depth) == .eight,
            let painted = ResolvedStyle.canvas(theme: theme, depth: depth)?.background
        {
            return ColorMapping.rgb(xterm256: painted)
        }
        return theme.canvas.background
    }

    /// The terminal's default text colour as a picture shows it: light on a dark backdrop, dark on a light one.
    static func ink(on backdrop: RGB) -> RGB {
        ColorMapping.isDark(backdrop) ? RGB(0xE6, 0xE6, 0xE6) : RGB(0x1A, 0x1A, 0x1A)
    }

    /// Two thirds of `ink` and one of `background`, channel by channel: faint, still readable.
    private static func mix(_ ink: RGB, _ background: RGB) -> RGB {
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((2 * Int(a) + Int(b)) / 3) }
        return RGB(channel(ink.r, background.r), channel(ink.g, background.g), channel(ink.b, background.b))
    }
}
