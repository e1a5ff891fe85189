import InfertopTestSupport
import Testing

@testable import InfertopUI

/// A `[keys]` remap changes what a key does in `update()`, and the help screen and footer say so.
@Suite struct RemappedKeysTests {
    func model(_ keys: String) throws -> Model {
        var model = Fixtures.model(size: Size(columns: 120, rows: 40))
        model.keymap = try DashboardConfig.parse("[keys]\n" + keys, file: "config.toml").keymap
        return model
    }

    @Test func remappedKey_runsTheAction_andTheOldKeyNoLonger() throws {
        var m = try model("memory = \"m\"\nhelp = \"F1\"\n")
        _ = update(&m, .key(.char("m")))
        #expect(m.view == .memory)
        _ = update(&m, .key(.char("2")))
        #expect(m.view == .memory, "2 no longer switches views")
        #expect(m.status?.text == "no action on 2: F1 shows the keys")
        _ = update(&m, .key(.function(1)))
        #expect(m.showHelp)
    }

    @Test func remappedQuit_quits_andQNoLonger() throws {
        var m = try model("quit = \"Q\"\n")
        #expect(update(&m, .key(.char("q"))).isEmpty)
        #expect(update(&m, .key(.char("Q"))) == [.quit])
    }

    @Test func helpScreen_showsTheRemappedKeys() throws {
        var m = try model("memory = \"m\"\nculprit = [\"c\", \"F2\"]\n")
        m.showHelp = true
        let rows = view(m).rows
        let memoryRow = try #require(rows.first { $0.contains("GPU memory: what fills each GPU") })
        #expect(memoryRow.contains(" m "), "\(memoryRow)")
        #expect(!memoryRow.contains(" 2 "), "\(memoryRow)")
        let culpritRow = try #require(rows.first { $0.contains("go to the culprit") })
        #expect(culpritRow.contains("c F2"), "\(culpritRow)")
        m.view = .memory
        #expect(view(m).rows.contains { $0.contains("GPU memory (m)") }, "the heading names the view's key")
    }

    @Test func footerHints_nameTheRemappedKeys() throws {
        let m = try model("help = \"F1\"\nquit = \"Q\"\n")
        let footer = try #require(view(m).rows.last)
        #expect(footer.contains("F1 help"), "\(footer)")
        #expect(footer.contains("Q quit"), "\(footer)")
        #expect(!footer.contains("? help"), "\(footer)")
    }
}
