import Foundation
import InfertopTestSupport
import Testing

/// The dashboard's log while its screen is up: never on the screen; in `INFERTOP_LOG_FILE`
/// when one is named. A cordon from the keyboard makes the demo's coordinator log its operation.
@Suite(.serialized) struct DashboardLogTests {
    /// The demo at debug level with `environment`, a cordon of node-05 confirmed from the
    /// keyboard and seen done in view 6; checks no screen shows a log line, and returns the pane.
    func cordonFromTheDemo(environment: [String: String] = [:]) async throws -> TmuxSession {
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) demo --seed 7 --log-level debug; echo EXIT=$?; sleep 600",
            columns: 160, rows: 45,
            environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "USER": "alice"].merging(environment) { $1 })
        try await t.waitFor(text: "17/17 nodes")
        try t.command("cordon node-05 --reason \"log test\"")
        try await t.waitFor("the dialog") { $0.contains("CORDON node-05") && $0.contains("type node-05") }
        try t.enter("node-05")
        try t.send("6")
        let journal = try await t.waitFor("the cordon done in view 6") { screen in
            screen.split(separator: "\n").contains { $0.contains("cordon") && $0.contains("done") }
        }
        #expect(!journal.contains("level="), "a log line on the screen:\n\(journal)")
        return t
    }

    @Test func withoutALogFile_noLogLineReachesTheScreen() async throws {
        let t = try await cordonFromTheDemo()
        defer { t.close() }
        try t.send("q")
        let after = try await t.waitFor(text: "EXIT=0")
        #expect(!after.contains("level="), "a log line from while the screen was up:\n\(after)")
    }

    @Test func withALogFile_theOperationIsLoggedThere_underItsID() async throws {
        let path = NSTemporaryDirectory() + "infertop-dashboard-\(getpid()).log"
        unlink(path)
        defer { unlink(path) }
        let t = try await cordonFromTheDemo(environment: ["INFERTOP_LOG_FILE": path])
        defer { t.close() }
        // The journal shows done a moment before the coordinator logs it: wait for the line.
        var text = ""
        try await poll(
            "the operation finished line", timeout: .seconds(60), every: .milliseconds(50),
            diagnostics: { "the log so far:\n\(text)" }
        ) {
            text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            return text.contains(#"msg="operation finished""#)
        }
        let lines = text.split(separator: "\n")
        let accepted = try #require(lines.first { $0.hasPrefix(#"level=info msg="operation accepted""#) }, "\(text)")
        #expect(accepted.contains("by=alice") && accepted.contains("kind=cordon") && accepted.contains("nodes=node-05"))
        let op = try #require(accepted.split(separator: " ").first { $0.hasPrefix("op=") })
        #expect(lines.contains { $0.contains(#"msg="step done""#) && $0.contains(op) }, "\(text)")
        #expect(
            lines.contains {
                $0.contains(#"msg="operation finished""#) && $0.contains(op) && $0.contains("status=done")
            })
        try t.send("q")
        let after = try await t.waitFor(text: "EXIT=0")
        #expect(!after.contains("level="), "\(after)")
    }
}
