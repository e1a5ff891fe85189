import Foundation
import InfertopUI
import Testing

/// The repository root, four levels above this file (Tests/InfertopUITests/Theme/BuiltInThemesTests.swift).
private let repositoryRoot: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4)
    return parts.joined(separator: "/")
}()

/// The themes in `themes/` and the copies embedded in the binary.
@Suite struct BuiltInThemesTests {
    static let folder = repositoryRoot + "/themes"

    static func files() throws -> [String: String] {
        var files: [String: String] = [:]
        for entry in try FileManager.default.contentsOfDirectory(atPath: folder) where entry.hasSuffix(".toml") {
            files[String(entry.dropLast(".toml".count))] = try String(
                contentsOfFile: folder + "/" + entry, encoding: .utf8)
        }
        return files
    }

    @Test func embedded_equalsTheThemesFolder() throws {
        let files = try Self.files()
        #expect(Set(BuiltInThemes.names) == Set(files.keys), "run scripts/embed-themes.sh")
        for (name, text) in files {
            #expect(
                BuiltInThemes.source(named: name) == text,
                "themes/\(name).toml differs from its embedded copy: run scripts/embed-themes.sh")
        }
    }

    @Test func atLeastSix_defaultFirst() {
        #expect(BuiltInThemes.names.first == "default")
        for name in ["default", "light", "high-contrast", "colorblind", "monochrome", "catppuccin-mocha"] {
            #expect(BuiltInThemes.names.contains(name), "\(name)")
        }
    }

    @Test(arguments: BuiltInThemes.names)
    func everyTheme_parsesAndDeclaresItsCanvas(name: String) throws {
        let text = try #require(BuiltInThemes.source(named: name))
        let theme = try #require(BuiltInThemes.theme(named: name))
        #expect(try Theme.parse(text, file: name) == theme)
        #expect(text.contains("\n[canvas]\n"), "\(name) declares no [canvas]")
        #expect(text.contains("\nbackground = \"#"), "\(name) declares no background")
        #expect(text.contains("\npaint = "), "\(name) does not say whether it paints")
        guard !theme.isMonochrome else { return }
        // Complete, so no built-in theme depends on the default's values.
        for role in StyleRole.allCases {
            #expect(text.contains("\n\(role.themeKey) = "), "\(name) has no \(role.themeKey)")
        }
    }

    @Test func unknownName_isNil() {
        #expect(BuiltInThemes.theme(named: "solarised") == nil)
        #expect(BuiltInThemes.theme(named: "") == nil)
        #expect(BuiltInThemes.theme(named: "default") == Theme.default)
    }
}
