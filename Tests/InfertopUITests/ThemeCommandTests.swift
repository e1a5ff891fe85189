import InfertopTestSupport
import Testing

@testable import InfertopUI

/// `:theme`: switching live, listing, and saying what is wrong.
@Suite struct ThemeCommandTests {
    func type(_ model: inout Model, _ command: String) -> [Effect] {
        var effects = update(&model, .key(.char(":")))
        for character in command { effects += update(&model, .key(.char(character))) }
        return effects + update(&model, .key(.enter))
    }

    @Test func parse() {
        #expect(CommandParser.parse("theme light") == .success(.theme("light")))
        #expect(CommandParser.parse("theme") == .success(.theme(nil)))
        #expect(CommandParser.parse("colours monochrome") == .success(.theme("monochrome")))
        guard case .failure(let error) = CommandParser.parse("theme light dark") else {
            Issue.record("two names parsed")
            return
        }
        #expect(error.description.contains("one name"))
    }

    @Test func themeName_switchesThroughAnEffect() throws {
        var model = Fixtures.model(size: Size(columns: 120, rows: 40))
        let before = view(model)
        let effects = type(&model, "theme Light")
        #expect(effects == [.theme(try #require(BuiltInThemes.theme(named: "light")))])
        #expect(model.themeName == "light")
        #expect(model.status == StatusMessage("theme light"))
        // Views draw roles, not colours: only the footer's status line changes.
        let after = view(model)
        #expect(Array(after.rows.dropLast()) == Array(before.rows.dropLast()))
    }

    @Test func bare_listsTheThemes_markingTheOneInUse() {
        var model = Fixtures.model(size: Size(columns: 120, rows: 40))
        #expect(type(&model, "theme").isEmpty)
        let status = model.status?.text ?? ""
        #expect(status.hasPrefix("themes: [default] "), "\(status)")
        for name in BuiltInThemes.names { #expect(status.contains(name)) }
        _ = type(&model, "theme colorblind")
        _ = type(&model, "theme")
        #expect(model.status?.text.contains("[colorblind]") == true)
        #expect(view(model).rows.last?.hasPrefix("themes: default ") == true, "the list is on screen")
    }

    @Test(arguments: ["solarized", "./mine.toml"])
    func unknownName_saysSoAndListsTheNames(name: String) {
        var model = Fixtures.model(size: Size(columns: 120, rows: 40))
        #expect(type(&model, "theme \(name)").isEmpty)
        let status = model.status
        #expect(status?.isError == true)
        #expect(status?.text.hasPrefix("no theme '\(name)'") == true, "\(String(describing: status))")
        #expect(status?.text.contains(BuiltInThemes.nameList) == true)
        #expect(model.themeName == "default")
    }

    @Test func readOnly_stillSwitchesThemes() {
        var model = Fixtures.model(size: Size(columns: 120, rows: 40))
        model.readOnlyReason = ReadOnlyReason.flag
        #expect(type(&model, "theme light").count == 1)
    }

    @Test func help_listsTheThemeCommand() {
        var model = Fixtures.model(size: Size(columns: 120, rows: 40))
        _ = update(&model, .key(.char("?")))
        #expect(view(model).rows.contains { $0.contains(":theme NAME") && $0.contains("colorblind") })
        model.readOnlyReason = ReadOnlyReason.flag
        #expect(view(model).rows.contains { $0.contains(":theme NAME") && $0.contains("colorblind") })
    }
}
