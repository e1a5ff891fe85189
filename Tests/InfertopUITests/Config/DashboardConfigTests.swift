import Testing

@testable import InfertopUI

/// The config file's sections parsed into typed settings, and the default text round-tripping.
@Suite struct DashboardConfigTests {
    @Test func fullConfig_parsesEverySection() throws {
        let text = """
            [sources]
            agents = ["10.0.0.7:50051", "[fe80::1]:50051"]
            controller = "10.0.0.7:50051"

            [display]
            theme = "/etc/infertop/light.toml"
            colors = "8"
            ascii = true
            refresh = "250ms"

            [wall]
            cycle = "45s"
            views = ["requests", "overview"]

            [keys]
            quit = "Q"
            culprit = ["c", "F2"]
            "page-down" = ["PgDn", "^F"]
            """
        let config = try DashboardConfig.parse(text, file: "config.toml")
        #expect(config.sources.agents == ["10.0.0.7:50051", "[fe80::1]:50051"])
        #expect(config.sources.controller == "10.0.0.7:50051")
        #expect(config.sources.cluster == nil)
        #expect(config.display.theme == "/etc/infertop/light.toml")
        #expect(config.display.colors == .eight)
        #expect(config.display.ascii)
        #expect(config.display.refresh == .milliseconds(250))
        #expect(config.wall.cycle == .seconds(45))
        #expect(config.wall.views == [.requests, .overview])
        #expect(config.keymap.primaryKeys(of: .quit) == [.char("Q")])
        #expect(config.keymap.primaryKeys(of: .culprit) == [.char("c"), .function(2)])
        #expect(config.keymap.primaryKeys(of: .pageDown) == [.pageDown, .ctrl("f")])
        #expect(config.keymap.primaryKeys(of: .help) == [.char("?")], "what the file leaves out keeps its default")
    }

    @Test func emptyFile_isTheDefaults() throws {
        #expect(try DashboardConfig.parse("", file: "config.toml") == DashboardConfig())
    }

    @Test func printDefault_parsesBackToTheDefaults() throws {
        let config = try DashboardConfig.parse(DashboardConfig.defaultText, file: "default.toml")
        #expect(config == DashboardConfig())
        #expect(config.keymap == Keymap.default)
    }

    @Test func printDefault_namesEveryKeyOfEverySection_andEveryBindableAction() {
        let text = DashboardConfig.defaultText
        for (section, keys) in DashboardConfig.sectionKeys {
            #expect(text.contains("[\(section)]\n"), "[\(section)]")
            for key in keys { #expect(text.contains("\n\(key) = ") || text.contains("\n# \(key) = "), "\(key)") }
        }
        for action in Action.allCases where !action.isMutating {
            #expect(text.contains("\n\(action.rawValue) = "), "\(action)")
        }
        #expect(text.contains("quit = [\"q\", \"^C\"]"))
    }

    @Test func themeDefault_meansTheBuiltInTheme() throws {
        let config = try DashboardConfig.parse("[display]\ntheme = \"default\"\n", file: "c.toml")
        #expect(config.display.theme == nil)
    }

    @Test func remapKeepsAViewsOwnExtraKeys() throws {
        let config = try DashboardConfig.parse("[keys]\nback = \"x\"\n", file: "c.toml")
        let waterfall = config.keymap.bindings.first { $0.action == .back && $0.context == .waterfall }
        #expect(waterfall?.keys == [.char("x"), .backspace, .enter])
        #expect(config.keymap.action(for: .char("x"), in: .overview) == .back)
        #expect(config.keymap.action(for: .escape, in: .overview) == nil)
    }

    @Test func swappingTwoKeys_isNotAClash() throws {
        let config = try DashboardConfig.parse("[keys]\nculprit = \"w\"\nculprit-request = \"c\"\n", file: "c.toml")
        #expect(config.keymap.action(for: .char("w"), in: .overview) == .culprit)
        #expect(config.keymap.action(for: .char("c"), in: .overview) == .culpritRequest)
    }

    @Test func builtInKeymap_hasNoClashes() {
        #expect(Keymap.default.clashes(rebound: Set(Action.allCases)).isEmpty)
    }
}
