import Testing

@testable import InfertopUI

@Suite struct KeymapTests {
    @Test func everyBindingHasHelpText() {
        for b in Keymap.default.bindings { #expect(!b.help.isEmpty && !b.keys.isEmpty, "\(b.action)") }
    }

    @Test func noKeyIsBoundTwiceInOneContext() {
        for context in KeyContext.allCases {
            var seen: [Key: Action] = [:]
            for b in Keymap.default.bindings where b.context == context {
                for key in b.keys {
                    #expect(seen[key] == nil, "\(key) is bound to both \(seen[key]!) and \(b.action) in \(context)")
                    seen[key] = b.action
                }
            }
        }
    }

    @Test func everyActionIsReachable() {
        let bound = Set(Keymap.default.bindings.map(\.action) + Keymap.default.commands.map(\.action))
        for action in Action.allCases { #expect(bound.contains(action), "\(action) has no key and no listed command") }
    }

    @Test func noKeyChangesTheCluster_theHelpListsTheCommandsInstead() {
        for b in Keymap.default.bindings { #expect(!b.action.isMutating, "\(b.keys) runs \(b.action)") }
        let listed = Set(Keymap.default.commands.map(\.action))
        #expect(listed == Set(Action.allCases.filter(\.isMutating)))
        var model = Model(size: Size(columns: 120, rows: 40))
        model.showHelp = true
        let text = view(model).rows.joined(separator: "\n")
        for c in Keymap.default.commands { #expect(text.contains(c.syntax), "\(c.syntax)") }
    }

    @Test func contextBindingsWinOverGlobalOnes() {
        #expect(Keymap.default.action(for: .char("s"), in: .memory) == .sort)
        #expect(Keymap.default.action(for: .char("s"), in: .overview) == nil)
        #expect(Keymap.default.action(for: .char("q"), in: .memory) == .quit)
    }

    @Test func helpOverlay_listsTheKeymap() {
        var model = Model(size: Size(columns: 120, rows: 40))
        model.showHelp = true
        let text = view(model).rows.joined(separator: "\n")
        for b in Keymap.default.bindings where b.context == .global { #expect(text.contains(b.help), "\(b.help)") }
    }
}

@Suite struct CommandParserTests {
    @Test(arguments: [
        ("q", Command.action(.quit)), ("quit", .action(.quit)), ("view memory", .view(.memory)),
        ("view overview", .view(.overview)), ("view interconnect", .view(.interconnect)), ("3", .view(.interconnect)),
        ("2", .view(.memory)), ("sort other", .sort(.other)),
        ("node node-07", .node("node-07")), ("filter !h100", .filter("!h100")), ("help", .action(.help)),
        ("  view   mem ", .view(.memory)), ("4", .view(.requests)), ("view requests", .view(.requests)),
        ("5", .view(.shards)), ("view shards", .view(.shards)), ("6", .view(.events)), ("audit", .view(.events))
    ])
    func parses(text: String, command: Command) throws {
        #expect(try CommandParser.parse(text).get() == command)
    }

    @Test(arguments: [
        ("", "empty command"), ("view", "view needs a name"), ("view bogus", "unknown view 'bogus'"),
        ("sort size", "sort needs one of"), ("drain node-07", "drain needs --reason"), ("node", "node needs a name"),
        ("evict node-07", "unknown command 'evict'")
    ])
    func rejects(text: String, fragment: String) {
        guard case .failure(let error) = CommandParser.parse(text) else {
            Issue.record("'\(text)' parsed")
            return
        }
        #expect(error.description.contains(fragment))
    }
}
