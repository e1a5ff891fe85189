import InfertopUI
import Testing

@Suite struct ColorMappingTests {
    @Test(arguments: [
        (RGB(255, 0, 0), 196), (RGB(0, 255, 0), 46), (RGB(0, 0, 255), 21),
        (RGB(0, 0, 0), 16), (RGB(255, 255, 255), 231), (RGB(0x5F, 0x87, 0xAF), 67),
        (RGB(0xD8, 0xDE, 0xE9), 254), (RGB(0xE0, 0x56, 0x5B), 167)
    ])
    func xterm256_knownValues(rgb: RGB, index: Int) {
        #expect(Int(ColorMapping.xterm256(rgb)) == index)
    }

    @Test(arguments: [
        (RGB(0x80, 0x80, 0x80), 244), (RGB(0x30, 0x30, 0x30), 236),
        (RGB(0xEE, 0xEE, 0xEE), 255), (RGB(0x12, 0x12, 0x12), 233), (RGB(0x7B, 0x7E, 0x80), 244)
    ])
    func xterm256_greysMapToTheGreyRamp(rgb: RGB, index: Int) {
        #expect(Int(ColorMapping.xterm256(rgb)) == index)
    }

    @Test func xterm256_roundTripsEveryPortableIndex() {
        for index in UInt8(16)...UInt8(255) {
            #expect(ColorMapping.xterm256(ColorMapping.rgb(xterm256: index)) == index, "index \(index)")
        }
    }

    @Test(arguments: [
        (RGB(255, 0, 0), 1), (RGB(0, 255, 0), 2), (RGB(255, 255, 0), 3), (RGB(0, 0, 255), 4),
        (RGB(255, 0, 255), 5), (RGB(0, 255, 255), 6), (RGB(255, 255, 255), 7), (RGB(0, 0, 0), 0),
        (RGB(0x7B, 0x83, 0x94), 7), (RGB(0x10, 0x12, 0x14), 0)
    ])
    func ansi8_knownValues(rgb: RGB, index: Int) {
        #expect(Int(ColorMapping.ansi8(rgb)) == index)
    }

    @Test func ansi8_keepsDefaultThemeHuesApart() {
        let expected: [(StyleRole, UInt8)] = [
            (.memWeights, 4), (.memKVUsed, 5), (.memActivations, 3), (.memOther, 6),
            (.ok, 2), (.warn, 3), (.crit, 1), (.heat0, 4), (.heat9, 1), (.text, 7)
        ]
        for (role, index) in expected {
            #expect(ColorMapping.ansi8(Theme.default[role].fg) == index, "\(role.themeKey)")
        }
    }

    @Test func defaultTheme_heatStepsStayDistinctAt256() {
        let heat = (0..<10).map { ColorMapping.xterm256(Theme.default[StyleRole.heat(Double($0) / 9)].fg) }
        #expect(Set(heat).count == 10, "\(heat)")
    }

    @Test(arguments: [ColorDepth.full, .eight])
    func defaultTheme_memorySegmentsStayDistinct(depth: ColorDepth) {
        let segments: [StyleRole] = [.memWeights, .memKVUsed, .memKVFree, .memActivations, .memOther, .memFree]
        let resolved = segments.map { ResolvedStyle(Style($0), theme: .default, depth: depth) }
        #expect(Set(resolved).count == segments.count, "\(resolved)")
    }

    @Test func mono_keepsSeverityAndSelectionVisible() {
        #expect(ColorMapping.monoAttributes(for: .crit) == [.bold, .reverse])
        #expect(ColorMapping.monoAttributes(for: .warn) == .bold)
        #expect(ColorMapping.monoAttributes(for: .title) == .bold)
        #expect(ColorMapping.monoAttributes(for: .selection) == .reverse)
        for role in [StyleRole.dim, .stale, .memKVFree, .memFree] {
            #expect(ColorMapping.monoAttributes(for: role) == .dim, "\(role.themeKey)")
        }
        #expect(ColorMapping.monoAttributes(for: .text) == [])
    }

    @Test func resolved_eightColourGreyBackgroundBecomesReverse() {
        let selection = ResolvedStyle(Style(.selection), theme: .default, depth: .eight)
        #expect(selection.background == nil)
        #expect(selection.attributes.contains(.reverse))
        let border = ResolvedStyle(Style(.border), theme: .default, depth: .eight)
        #expect(border == ResolvedStyle(foreground: 7, attributes: .dim))
    }

    @Test func resolved_fullKeepsCellAttributesAndThemeBold() {
        let title = ResolvedStyle(Style(.title, .underline), theme: .default, depth: .full)
        #expect(title.attributes == [.bold, .underline])
        #expect(title.sgr == "\u{1B}[0;1;4;38;5;255m")
    }

    @Test func full_paintedTheme_givesEveryCellABackground() throws {
        let theme = try #require(BuiltInThemes.theme(named: "catppuccin-mocha"))
        let canvas = ColorMapping.xterm256(theme.canvas.background)
        #expect(ResolvedStyle.canvas(theme: theme, depth: .full)?.background == canvas)
        for role in StyleRole.allCases {
            let resolved = ResolvedStyle(Style(role), theme: theme, depth: .full)
            #expect(resolved.background == theme[role].bg.map(ColorMapping.xterm256) ?? canvas, "\(role.themeKey)")
        }
        #expect(ResolvedStyle.canvas(theme: .default, depth: .full) == nil)
        #expect(ResolvedStyle(Style(.text), theme: .default, depth: .full).background == nil)
    }

    @Test func eight_paintedLightTheme_isBlackOnWhite_neverTextOnItsOwnColour() throws {
        let light = try #require(BuiltInThemes.theme(named: "light"))
        #expect(ResolvedStyle.canvas(theme: light, depth: .eight) == ResolvedStyle(foreground: 0, background: 7))
        #expect(ResolvedStyle(Style(.text), theme: light, depth: .eight) == ResolvedStyle(foreground: 0, background: 7))
        for role in StyleRole.allCases {
            let resolved = ResolvedStyle(Style(role), theme: light, depth: .eight)
            #expect(resolved.background == 7, "\(role.themeKey)")
            #expect(resolved.foreground != 7, "\(role.themeKey) would vanish into the white canvas")
        }
    }
}
