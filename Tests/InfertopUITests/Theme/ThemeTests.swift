import Foundation
import InfertopUI
import Testing

/// The repository root, four levels above this file (Tests/InfertopUITests/Theme/ThemeTests.swift).
private let repositoryRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4)
    return parts.joined(separator: "/")
}()

private let invalidThemes = repositoryRoot + "/Tests/InfertopUITests/Fixtures/themes/invalid/"
private let defaultThemeFile = repositoryRoot + "/themes/default.toml"

@Suite struct ThemeTests {
    @Test func defaultFile_parsesToDefaultTheme() throws {
        // Read over a theme unlike any other, so a key missing from the file shows as a difference.
        let blank = Theme(canvas: ThemeCanvas(background: RGB(1, 2, 3), paints: true)) { _ in
            ThemeColor(fg: RGB(1, 2, 3))
        }
        let theme = try Theme.parse(try #require(readText(defaultThemeFile)), file: defaultThemeFile, over: blank)
        for role in StyleRole.allCases {
            #expect(theme[role] == Theme.default[role], "\(role.themeKey)")
        }
        #expect(theme == Theme.default)
        #expect(theme.canvas == ThemeCanvas(background: RGB(0x2E, 0x34, 0x40), paints: false))
    }

    @Test func defaultFile_hasEveryRoleKeyWithAComment() throws {
        let text = try #require(readText(defaultThemeFile))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for role in StyleRole.allCases {
            let index = lines.firstIndex { $0.hasPrefix(role.themeKey + " = ") }
            #expect(index != nil, "themes/default.toml has no key \(role.themeKey)")
            if let index, index > 0 {
                #expect(lines[index - 1].hasPrefix("#"), "no comment above \(role.themeKey)")
            }
        }
    }

    @Test(arguments: [
        ("unknown_key.toml", 4, "accnet", "unknown key"),
        ("bad_colour.toml", 5, "warn", "expected #RRGGBB"),
        ("syntax_error.toml", 4, "crit", "TOML syntax"),
        ("wrong_type.toml", 5, "title", "bold"),
        ("bad_canvas.toml", 5, "paint", "expected true or false, not a string"),
        ("monochrome_with_colors.toml", 4, "colors", "a monochrome theme draws no colour")
    ])
    func invalidFile_namesFileLineAndKey(file: String, line: Int, key: String, fragment: String) throws {
        let path = invalidThemes + file
        let error = try #require(throws: ThemeError.self) { try Theme.load(path: path) }
        #expect(error.file == path)
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.description.hasPrefix("\(path):\(line): key '\(key)': "))
        #expect(error.description.contains(fragment))
        #expect(!error.description.contains("\n"))
    }

    @Test func unknownKey_suggestsTheClosestKey() throws {
        let error = try #require(throws: ThemeError.self) {
            try Theme.parse("[colors]\naccnet = \"#88C0D0\"\n", file: "t.toml")
        }
        #expect(error.description.contains("did you mean 'accent'?"))
        #expect(error.description.contains("mem_weights"))
    }

    @Test func missingKeysAndFields_keepDefaults() throws {
        let theme = try Theme.parse(
            """
            [colors]
            ok = "#00ff00"
            selection = { bg = "none" }
            crit = { fg = "#FF5555" }
            """, file: "partial.toml")
        #expect(theme[.ok] == ThemeColor(fg: RGB(0, 255, 0)))
        #expect(theme[.selection] == ThemeColor(fg: Theme.default[.selection].fg, bg: nil))
        #expect(theme[.crit] == ThemeColor(fg: RGB(0xFF, 0x55, 0x55), bold: true))
        #expect(theme[.text] == Theme.default[.text])
    }

    @Test func emptyFile_isTheDefaultTheme() throws {
        #expect(try Theme.parse("# nothing here\n", file: "empty.toml") == Theme.default)
    }

    @Test func colourOfWrongType_isNamed() throws {
        let error = try #require(throws: ThemeError.self) {
            try Theme.parse("[colors]\n\ntext = 12\n", file: "t.toml")
        }
        #expect(error.description.hasPrefix("t.toml:3: key 'text': expected a colour, not an integer"))
    }

    @Test func unknownTopLevelKey_isAnError() throws {
        let error = try #require(throws: ThemeError.self) { try Theme.parse("colours = 1\n", file: "t.toml") }
        #expect(error.line == 1)
        #expect(error.key == "colours")
    }

    @Test func canvasAndMonochrome_areRead() throws {
        let painted = try Theme.parse("[canvas]\nbackground = \"#fdf6e3\"\npaint = true\n", file: "t.toml")
        #expect(painted.canvas == ThemeCanvas(background: RGB(0xFD, 0xF6, 0xE3), paints: true))
        #expect(painted[.text] == Theme.default[.text])
        let mono = try Theme.parse("monochrome = true\n", file: "t.toml")
        #expect(mono.isMonochrome)
        #expect(mono.canvas == Theme.default.canvas)
    }

    @Test(arguments: [
        ("[canvas]\nbackground = 3\n", 2, "background", "expected a colour, not an integer"),
        ("[canvas]\nbackground = \"#FFF\"\n", 2, "background", "malformed colour"),
        ("[canvas]\nborder = true\n", 2, "border", "unknown key"),
        ("canvas = 1\n", 1, "canvas", "expected a table"),
        ("monochrome = \"yes\"\n", 1, "monochrome", "expected true or false")
    ])
    func badCanvas_isNamed(text: String, line: Int, key: String, fragment: String) throws {
        let error = try #require(throws: ThemeError.self) { try Theme.parse(text, file: "t.toml") }
        #expect(error.line == line)
        #expect(error.key == key)
        #expect(error.description.contains(fragment), "\(error)")
    }

    @Test func missingFile_saysItCannotBeRead() throws {
        let error = try #require(throws: ThemeError.self) { try Theme.load(path: "/nonexistent/theme.toml") }
        #expect(error.description.hasPrefix("/nonexistent/theme.toml: cannot read the file"))
    }

    @Test(arguments: ["#D8DEE9", "#d8dee9", "#000000", "#FFFFFF"])
    func rgb_parsesHex(hex: String) throws {
        let rgb = try #require(RGB(hex: hex))
        #expect(rgb.hex == hex.uppercased())
    }

    @Test(arguments: ["D8DEE9", "#D8DEE", "#D8DEE9F", "#G8DEE9", "", "#FC0"])
    func rgb_rejectsMalformed(hex: String) {
        #expect(RGB(hex: hex) == nil)
    }
}

private func readText(_ path: String) -> String? {
    try? String(contentsOfFile: path, encoding: .utf8)
}
