import InfertopUI
import Testing

@Suite struct ScreenANSITests {
    /// Grey text, bold red crit, selection with a blue background; every other role grey.
    private let theme = Theme { role in
        switch role {
        case .crit: ThemeColor(fg: RGB(255, 0, 0), bold: true)
        case .selection: ThemeColor(fg: RGB(255, 255, 255), bg: RGB(0, 0, 255))
        default: ThemeColor(fg: RGB(0x80, 0x80, 0x80))
        }
    }

    private var screen: Screen {
        var screen = Screen(size: Size(columns: 4, rows: 2))
        screen.put("ab", x: 0, y: 0)
        screen.put("c", x: 2, y: 0, style: Style(.crit))
        screen.put("d", x: 3, y: 0, style: Style(.crit))
        screen.put("sel", x: 1, y: 1, style: Style(.selection))
        return screen
    }

    @Test func full_emitsIndexedColoursOnlyWhenTheStyleChanges() {
        let expected =
            "\u{1B}[0;38;5;244mab\u{1B}[0;1;38;5;196mcd\u{1B}[0m\n"
            + "\u{1B}[0;38;5;244m \u{1B}[0;38;5;231;48;5;21msel\u{1B}[0m\n"
        #expect(screen.ansi(theme: theme, depth: .full) == expected)
    }

    @Test func eight_usesTheBasicColours() {
        let expected =
            "\u{1B}[0;37mab\u{1B}[0;1;31mcd\u{1B}[0m\n"
            + "\u{1B}[0;37m \u{1B}[0;37;44msel\u{1B}[0m\n"
        #expect(screen.ansi(theme: theme, depth: .eight) == expected)
    }

    @Test func mono_usesAttributesOnly() {
        let expected = "ab\u{1B}[0;1;7mcd\u{1B}[0m\n" + " \u{1B}[0;7msel\u{1B}[0m\n"
        #expect(screen.ansi(theme: theme, depth: .mono) == expected)
    }

    @Test func emptyScreen_isEmpty() {
        #expect(Screen(size: Size(columns: 0, rows: 0)).ansi(theme: .default, depth: .full) == "")
    }
}
