import Foundation
import InfertopUI
import Testing

/// WCAG 2 contrast of every role against what it is drawn on, in every built-in theme.
///
/// Which roles are text and which are graphics follows how the views draw them:
/// - text (at least 4.5:1, WCAG 2 SC 1.4.3): `text`, `dim`, `accent`, `title`, `selection`,
///   `footer`, `key`, `ok`, `warn`, `crit`, `stale`. All of them carry words or numbers: `dim`
///   labels and units, `stale` a lost node's figures, `ok`/`warn`/`crit` numbers and culprit
///   lines, `footer` the key hints, `selection` the selected row's text.
/// - graphics (at least 3:1, SC 1.4.11 non-text contrast): `border` (box-drawing lines only,
///   HelpView and DialogView), the six memory segments (bar glyphs in MemoryBar and Legend),
///   and the ten heat steps (one level glyph per cell in GPUCell, FabricGrid and the NVLink
///   heatmap).
/// A role is measured against its own background where it sets one (the selection), else the
/// theme's canvas. Reverse video swaps the two colours and keeps the ratio, so `warn` reversed
/// in the footer is covered by `warn`. The high-contrast theme promises AAA: 7:1 for text and
/// 4.5:1 for graphics.
@Suite struct ContrastTests {
    static let textRoles: Set<StyleRole> = [
        .text, .dim, .accent, .title, .selection, .footer, .key, .ok, .warn, .crit, .stale
    ]
    static let graphicRoles: Set<StyleRole> = Set(StyleRole.allCases).subtracting(textRoles)

    static let coloured = BuiltInThemes.names.filter { BuiltInThemes.theme(named: $0)?.isMonochrome == false }

    @Test func everyRoleIsTextOrGraphic() {
        #expect(
            Self.graphicRoles == [
                .border, .memWeights, .memKVUsed, .memKVFree, .memActivations, .memOther, .memFree,
                .heat0, .heat1, .heat2, .heat3, .heat4, .heat5, .heat6, .heat7, .heat8, .heat9
            ])
    }

    @Test func wcag_knownRatios() {
        #expect(abs(WCAG.contrast(RGB(0, 0, 0), RGB(0xFF, 0xFF, 0xFF)) - 21) < 0.001)
        #expect(WCAG.contrast(RGB(0x12, 0x34, 0x56), RGB(0x12, 0x34, 0x56)) == 1)
        // #767676 on white is the classic just-passing grey (4.54:1); #777777 just fails (4.48:1).
        #expect(abs(WCAG.contrast(RGB(0x76, 0x76, 0x76), RGB(0xFF, 0xFF, 0xFF)) - 4.54) < 0.01)
        #expect(abs(WCAG.contrast(RGB(0xFF, 0xFF, 0xFF), RGB(0x77, 0x77, 0x77)) - 4.48) < 0.01)
    }

    @Test(arguments: coloured)
    func everyRole_meetsItsContrast(name: String) throws {
        let theme = try #require(BuiltInThemes.theme(named: name))
        let failures = Self.shortfalls(
            theme, textMinimum: name == "high-contrast" ? 7 : 4.5,
            graphicMinimum: name == "high-contrast" ? 4.5 : 3)
        #expect(failures.isEmpty, "\(name): \(failures.joined(separator: "; "))")
    }

    /// The check is not vacuous: the old default theme's dim text and borders fail it.
    @Test func aLowContrastTheme_fails() {
        var theme = Theme.default
        theme[.dim] = ThemeColor(fg: RGB(0x7B, 0x83, 0x94))
        theme[.border] = ThemeColor(fg: RGB(0x4C, 0x56, 0x6A))
        let failures = Self.shortfalls(theme, textMinimum: 4.5, graphicMinimum: 3)
        #expect(failures.count == 2, "\(failures)")
        #expect(failures.first?.hasPrefix("dim #7B8394 on #2E3440 is 3.28:1") == true, "\(failures)")
    }

    @Test func lightAndPaletteThemes_paintTheirBackground() throws {
        for name in ["light", "high-contrast", "colorblind", "catppuccin-mocha"] {
            let theme = try #require(BuiltInThemes.theme(named: name))
            #expect(theme.canvas.paints, "\(name) must paint its background")
        }
        // The default keeps the terminal's own dark background; every colour in it is lighter than
        // its declared #2E3440, so on a darker terminal every ratio only grows.
        #expect(!Theme.default.canvas.paints)
        let canvas = WCAG.luminance(Theme.default.canvas.background)
        for role in StyleRole.allCases {
            #expect(WCAG.luminance(Theme.default[role].fg) > canvas, "\(role.themeKey)")
        }
    }

    @Test func monochrome_usesNoColourAtAnyDepth() throws {
        let theme = try #require(BuiltInThemes.theme(named: "monochrome"))
        #expect(theme.isMonochrome)
        for depth in ColorDepth.allCases {
            #expect(ResolvedStyle.canvas(theme: theme, depth: depth) == nil)
            #expect(theme.drawingDepth(depth) == .mono)
            for role in StyleRole.allCases {
                for attributes in [TextAttributes(), .bold, .reverse, .underline] {
                    let resolved = ResolvedStyle(Style(role, attributes), theme: theme, depth: depth)
                    #expect(resolved.foreground == nil && resolved.background == nil, "\(role.themeKey) at \(depth)")
                    #expect(resolved.attributes.isSuperset(of: ColorMapping.monoAttributes(for: role)))
                }
            }
        }
        var screen = Screen(size: Size(columns: StyleRole.allCases.count, rows: 1))
        for (column, role) in StyleRole.allCases.enumerated() { screen[column, 0] = Cell("x", Style(role)) }
        // Every escape sets attributes only: reset, bold, dim, underline, reverse.
        let escapes = screen.ansi(theme: theme, depth: .full).split(separator: "\u{1B}").dropFirst()
        #expect(!escapes.isEmpty)
        for escape in escapes {
            let parameters = escape.dropFirst().prefix { $0 != "m" }.split(separator: ";")
            #expect(parameters.allSatisfy { ["0", "1", "2", "4", "7"].contains($0) }, "\(escape)")
        }
        let fills = Set(screen.svg(theme: theme).split(separator: "fill=\"").dropFirst().map { $0.prefix(7) })
        let isGrey = { (hex: Substring) in
            hex.dropFirst(1).prefix(2) == hex.dropFirst(3).prefix(2) && hex.dropFirst(3).prefix(2) == hex.dropFirst(5)
        }
        #expect(fills.count > 1 && fills.allSatisfy(isGrey), "only greys: \(fills)")
    }

    /// Each role that falls short, as `dim #7B8394 on #2E3440 is 3.28:1, needs 4.5:1`.
    static func shortfalls(_ theme: Theme, textMinimum: Double, graphicMinimum: Double) -> [String] {
        StyleRole.allCases.compactMap { role in
            let color = theme[role]
            let background = color.bg ?? theme.canvas.background
            let ratio = WCAG.contrast(color.fg, background)
            let minimum = textRoles.contains(role) ? textMinimum : graphicMinimum
            guard ratio < minimum else { return nil }
            let shown = (ratio * 100).rounded(.down) / 100
            return "\(role.themeKey) \(color.fg.hex) on \(background.hex) is \(shown):1, needs \(minimum):1"
        }
    }
}

/// WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance).
enum WCAG {
    /// An sRGB channel (0...255) made linear.
    static func linear(_ channel: UInt8) -> Double {
        let c = Double(channel) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    /// Relative luminance, 0 for black to 1 for white.
    static func luminance(_ rgb: RGB) -> Double {
        0.2126 * linear(rgb.r) + 0.7152 * linear(rgb.g) + 0.0722 * linear(rgb.b)
    }

    /// (lighter + 0.05) / (darker + 0.05), from 1 to 21.
    static func contrast(_ a: RGB, _ b: RGB) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }
}
