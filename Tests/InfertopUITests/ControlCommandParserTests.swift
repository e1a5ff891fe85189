import InfertopCore
import Testing

@testable import InfertopUI

/// The `:` commands that change the cluster, table-driven as k9s's interpreter tests.
@Suite struct ControlCommandParserTests {
    static let parsed: [(String, ControlCommand)] = [
        ("cordon node-03", .cordon(nodes: ["node-03"], reason: "")),
        ("cordon", .cordon(nodes: [], reason: "")),
        ("uncordon node-03 node-04 --reason back", .uncordon(nodes: ["node-03", "node-04"], reason: "back")),
        (
            "drain node-07 node-08 --reason \"kv full\" --force --evacuate",
            .drain(nodes: ["node-07", "node-08"], reason: "kv full", evacuate: true, force: true)
        ),
        ("drain --reason 'ECC errors'", .drain(nodes: [], reason: "ECC errors", evacuate: false, force: false)),
        (
            "drain node-07 --reason=maintenance",
            .drain(nodes: ["node-07"], reason: "maintenance", evacuate: false, force: false)
        ),
        (
            "  DRAIN   node-07  --reason  \"two  spaces\" ",
            .drain(nodes: ["node-07"], reason: "two  spaces", evacuate: false, force: false)
        ),
        ("rebalance --relieve node-10:6", .rebalance(.relieve(GPUID(node: "node-10", index: 6)), reason: "")),
        ("rebalance --relieve", .rebalance(.relieve(nil), reason: "")),
        ("rebalance --evacuate node-07 --reason \"empty it\"", .rebalance(.evacuate("node-07"), reason: "empty it")),
        ("rebalance --evacuate", .rebalance(.evacuate(nil), reason: "")),
        ("rebalance --move llama-405b/5", .rebalance(.move(ReplicaID(model: "llama-405b", index: 5)), reason: "")),
        ("cancel op-3", .cancel(OperationID("op-3"), reason: "")),
        ("cancel op-3 --reason \"wrong node\"", .cancel(OperationID("op-3"), reason: "wrong node"))
    ]

    @Test(arguments: parsed)
    func parses(text: String, command: ControlCommand) throws {
        #expect(try CommandParser.parse(text).get() == .control(command))
    }

    static let rejected: [(String, String)] = [
        ("drain node-07", "drain needs --reason \"...\": the journal keeps why"),
        ("drain node-07 --reason \"  \"", "drain needs --reason \"...\": the journal keeps why"),
        ("drain node-07 --reason", "--reason needs text after it, in quotes: --reason \"kv full\""),
        ("drain node-07 --reason --force", "--reason needs text after it"),
        ("drain node-07 --reason \"kv full", "a quote (\") is not closed"),
        ("drain node-07 --now --reason x", "drain takes no --now: use --reason \"...\", --evacuate and --force"),
        ("drain node-07 --force --force --reason x", "drain has --force twice"),
        ("cordon node-03 --force", "cordon takes no --force"),
        ("rebalance", "rebalance needs one of --relieve NODE:GPU, --evacuate NODE or --move MODEL/N"),
        ("rebalance --relieve node-10 --move llama-8b/1", "rebalance needs one of"),
        ("rebalance --relieve node-10", "--relieve needs NODE:GPU, e.g. --relieve node-10:6, not 'node-10'"),
        ("rebalance --relieve node-10:x", "--relieve needs NODE:GPU"),
        ("rebalance --move llama-405b", "--move needs MODEL/N, e.g. --move llama-405b/5, not 'llama-405b'"),
        ("rebalance --evacuate node-01 node-02", "rebalance --evacuate takes one subject"),
        ("rebalance --spread", "rebalance takes no --spread"),
        ("cancel", "cancel needs one operation id, e.g. :cancel op-3 (6 lists them)"),
        ("cancel op-1 op-2", "cancel needs one operation id")
    ]

    @Test(arguments: rejected)
    func rejects(text: String, fragment: String) {
        guard case .failure(let error) = CommandParser.parse(text) else {
            Issue.record("'\(text)' parsed")
            return
        }
        #expect(error.description.contains(fragment), "\(error.description)")
    }

    @Test func eachCommandNamesItsAction() throws {
        let actions = try ["cordon", "uncordon x", "drain --reason x", "rebalance --move a/1", "cancel op-1"].map {
            guard case .control(let command) = try CommandParser.parse($0).get() else {
                throw CommandError(description: $0)
            }
            return command.action
        }
        #expect(actions == [.cordon, .uncordon, .drain, .rebalance, .cancel])
        #expect(actions.allSatisfy { $0.isMutating })
    }
}
