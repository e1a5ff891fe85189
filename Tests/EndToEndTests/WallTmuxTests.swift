import Foundation
import InfertopTestSupport
import Testing

/// `infertop wall` as it runs on a wall: in tmux panes of a wall's sizes, against the demo and
/// against real agent processes that all die.
@Suite(.serialized) struct WallTmuxTests {
    let env = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]

    /// `infertop wall ARGUMENTS` in a tmux pane of that size; the shell prints `EXIT=<status>` after.
    func wall(_ arguments: String, columns: Int, rows: Int) throws -> TmuxSession {
        try TmuxSession(
            command: "\(Binaries.path("infertop")) wall \(arguments); echo EXIT=$?; sleep 600", columns: columns,
            rows: rows, environment: env)
    }

    /// During the KV squeeze (1:00) the wall holds on view 2 with the GPU in large type; keys
    /// that would act in the dashboard (drain, culprit, waterfall, views, a command) do nothing.
    @Test func demo_holdsOnTheCulpritInLargeType_andNoKeyActs() async throws {
        let t = try wall("--demo --start-at 70", columns: 100, rows: 30)
        defer { t.close() }
        let held = try await t.waitFor("the culprit held in large type") { screen in
            screen.contains("holding on the culprit") && screen.contains("CULPRIT node-10 gpu6")
                && screen.contains("█ █")
        }
        #expect(held.contains("KV FREE"), "view 2 shows a KV-starved GPU")
        for key in ["d", "c", "w", "4", ":", "Enter", "p", "?"] { try t.send(key) }
        try t.send(":drain node-10 --reason test")
        try t.send("Enter")
        let after = try await t.waitFor("still the wall") { $0.contains("holding on the culprit") }
        #expect(!after.contains("DRAIN node-10") && !after.contains("PAUSED") && !after.contains("TRACE "))
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    /// In calm the wall cycles its views on its own.
    @Test func demo_cyclesTheViews() async throws {
        let t = try wall("--demo --start-at 10 --cycle 5s --views overview,interconnect", columns: 200, rows: 50)
        defer { t.close() }
        try await t.waitFor("overview") { $0.contains("overview 1/2") && $0.contains("NODES") }
        try await t.waitFor("interconnect") { $0.contains("interconnect 2/2") }
        try await t.waitFor("overview again") { $0.contains("overview 1/2") }
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    /// A 40x12 pane gets the compact layout: freshness, the culprit, the key figures.
    @Test func smallPane_compactLayout() async throws {
        let t = try wall("--demo --start-at 70", columns: 40, rows: 12)
        defer { t.close() }
        let screen = try await t.waitFor("the compact wall") { $0.contains("node-10 gpu6") && $0.contains("tok/s") }
        #expect(screen.contains(" old "))
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    /// Every agent killed: the whole pane says NO DATA, with the time of the last data, instead
    /// of a frozen picture; the time it took is printed for the record.
    @Test func everyAgentKilled_showsNoData() async throws {
        let ports = [AgentsTmuxTests.freePort(), AgentsTmuxTests.freePort()]
        let agents = try zip(["node-01", "node-02"], ports).map { try AgentProcess.simulated(node: $0, port: $1) }
        let list = ports.map { "127.0.0.1:\($0)" }.joined(separator: ",")
        let t = try wall("--agents \(list)", columns: 100, rows: 30)
        defer { t.close() }
        try await t.waitFor("both agents live") { $0.contains("2/2 nodes") && $0.contains(" old ") }
        let killed = ContinuousClock.now
        for agent in agents { agent.kill9() }
        let screen = try await t.waitFor("NO DATA") { $0.contains("NO DATA since") }
        print("wall: NO DATA on screen \(ContinuousClock.now - killed) after the last agent was killed")
        #expect(!screen.contains("nodes"), "no frozen picture under NO DATA")
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    @Test(arguments: [
        (["wall"], "say what to show"),
        (["wall", "--demo", "--cycle", "2s"], "--cycle"),
        (["wall", "--demo", "--views", "overview,events"], "--views: 'events'"),
        (["wall", "--agents", "127.0.0.1:1", "--controller", "127.0.0.1:1"], "read-only")
    ])
    func badFlags_exit2_namingTheFlag(arguments: [String], expected: String) async throws {
        let r = try await Binaries.run("infertop", arguments)
        #expect(r.status == 2, "\(arguments): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(expected), "stderr: \(r.stderr)")
    }
}
