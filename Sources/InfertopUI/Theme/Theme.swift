/// A 24-bit colour, written `#RRGGBB` in theme files.
///
/// Themes are authored in 24-bit colour and mapped down to 256, 8 or no colours at the
/// terminal edge (`ColorMapping`), so one theme file serves every terminal.
public struct RGB: Sendable, Hashable, CustomStringConvertible {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// Parses `#RRGGBB` (hex digits in either case); anything else is nil.
    public init?(hex: String) {
        let scalars = Array(hex.unicodeScalars)
        guard scalars.count == 7, scalars[0] == "#" else { return nil }
        var channels: [UInt8] = []
        for pair in stride(from: 1, to: 7, by: 2) {
            guard let high = RGB.hexDigit(scalars[pair]), let low = RGB.hexDigit(scalars[pair + 1]) else {
                return nil
            }
            channels.append(high << 4 | low)
        }
        self.init(channels[0], channels[1], channels[2])
    }

    /// The colour as `#RRGGBB`, upper case.
    public var hex: String {
        let digits = Array("0123456789ABCDEF".unicodeScalars)
        var text = String.UnicodeScalarView()
        text.append("#")
        for channel in [r, g, b] {
            text.append(digits[Int(channel >> 4)])
            text.append(digits[Int(channel & 0xF)])
        }
        return String(text)
    }

    public var description: String { hex }

    private static func hexDigit(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x30...0x39: UInt8(scalar.value - 0x30)
        case 0x41...0x46: UInt8(scalar.value - 0x41 + 10)
        case 0x61...0x66: UInt8(scalar.value - 0x61 + 10)
        default: nil
        }
    }
}

/// How one style role is coloured: a foreground, an optional background and boldness.
///
/// A nil background means the terminal's own background, so a theme stays usable on
/// translucent and light terminals alike; only roles such as `selection` set one.
public struct ThemeColor: Sendable, Hashable {
    public var fg: RGB
    public var bg: RGB?
    public var bold: Bool

    public init(fg: RGB, bg: RGB? = nil, bold: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
    }
}

/// The background a theme is designed for, and whether infertop paints it.
///
/// Every contrast in a theme is measured against `background` (a test holds each built-in theme
/// to WCAG 2's 4.5:1 for text and 3:1 for bars and heat cells). A theme for dark terminals may
/// leave the terminal's own background showing (`paints == false`); a light theme, or any
/// theme whose colours only read on its own background, paints it behind every cell.
public struct ThemeCanvas: Sendable, Hashable {
    /// The background the theme's colours are chosen for.
    public var background: RGB
    /// Whether the terminal paints `background` behind every cell instead of keeping its own.
    public var paints: Bool

    public init(background: RGB, paints: Bool) {
        self.background = background
        self.paints = paints
    }

    /// A dark background that is not painted: what a theme file without `[canvas]` gets.
    public static let unpaintedDark = ThemeCanvas(background: RGB(0x2E, 0x34, 0x40), paints: false)
}

/// The colours of every `StyleRole`: what the semantic roles on the screen look like.
///
/// A theme is total (every role has a colour), so the terminal layer never has to guess.
/// Views never see a theme: cells carry roles, and the theme is applied at the terminal
/// edge, which keeps golden screens independent of it. Built-in: `Theme.default` and
/// `BuiltInThemes`; from a file: `Theme.load(path:)`. A monochrome theme draws no colour at
/// all, at any colour depth: roles become attributes (`ColorMapping.monoAttributes`).
public struct Theme: Sendable, Hashable {
    /// Colours indexed by `StyleRole.rawValue`.
    private var colors: [ThemeColor]
    /// The background the colours are designed for, and whether it is painted.
    public var canvas: ThemeCanvas
    /// Whether the theme uses attributes only (bold, dim, underline, reverse), never a colour.
    public var isMonochrome: Bool

    /// A theme that colours each role as `color(role)` says.
    public init(
        canvas: ThemeCanvas = .unpaintedDark, monochrome: Bool = false, _ color: (StyleRole) -> ThemeColor
    ) {
        colors = StyleRole.allCases.map(color)
        self.canvas = canvas
        isMonochrome = monochrome
    }

    /// The colour of one role.
    public subscript(role: StyleRole) -> ThemeColor {
        get { colors[Int(role.rawValue)] }
        set { colors[Int(role.rawValue)] = newValue }
    }

    /// The role whose theme key is `key`, if any.
    public static func role(forKey key: String) -> StyleRole? {
        StyleRole.allCases.first { $0.themeKey == key }
    }

    /// The depth to draw at on a terminal that shows `available`: none for a monochrome theme,
    /// so views also pick the shade glyphs they use without colour.
    public func drawingDepth(_ available: ColorDepth) -> ColorDepth {
        isMonochrome ? .mono : available
    }
}
