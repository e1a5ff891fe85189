import Foundation
import InfertopTestSupport
import Testing

/// The running agent's stderr as journald keeps it: logfmt lines, `node` on each, the level
/// and time flags honoured, a SIGTERM said and answered with status 0.
@Suite(.serialized) struct AgentLogTests {
    /// Runs a simulated node-02 agent with `flags` until it listens, stops it with SIGTERM, and
    /// returns its log lines.
    func linesOfARun(_ flags: [String]) async throws -> [String] {
        let port = AgentsTmuxTests.freePort()
        let log = NSTemporaryDirectory() + "infertop-agent-log-\(getpid())-\(port).log"
        defer { unlink(log) }
        let agent = try AgentProcess(
            arguments: [
                "--simulate", "--sim-node", "node-02", "--listen", "127.0.0.1:\(port)", "--otlp-grpc", "off",
                "--otlp-http", "off"
            ] + flags, log: log)
        try await agent.waitUntilListening(port: port)
        agent.stop()
        #expect(agent.ending == "exit 0", "\(agent.logTail)")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        return text.split(separator: "\n").map(String.init)
    }

    @Test func events_areLogfmt_withTheNode() async throws {
        let lines = try await linesOfARun([])
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("level=") && $0.contains(" node=node-02") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix(#"level=info msg="listening" addr=127.0.0.1:"#) }, "\(lines)")
        #expect(
            lines.contains(#"level=info msg="stopping: closing subscriptions and connections" node=node-02 signal=15"#),
            "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("level=debug") })
    }

    @Test func logTime_stampsEveryLine_logLevelWarning_dropsInfo() async throws {
        let timed = try await linesOfARun(["--log-time"])
        let stamp = /^time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=/
        #expect(!timed.isEmpty && timed.allSatisfy { $0.contains(stamp) }, "\(timed)")
        let quiet = try await linesOfARun(["--log-level", "warning"])
        #expect(!quiet.contains { $0.hasPrefix("level=info") }, "\(quiet)")
    }

    @Test func badLogLevel_exits2_withOnePlainLineListingTheLevels() async throws {
        let r = try await Binaries.run("infertop-agent", ["--log-level", "loud"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("infertop-agent: "), "\(r.stderr)")
        #expect(r.stderr.contains("use one of trace, debug, info, notice, warning, error, critical"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        let dashboard = try await Binaries.run("infertop", ["demo", "--log-level", "loud"])
        #expect(dashboard.status == 2)
        #expect(dashboard.stderr.hasPrefix("infertop: "), "\(dashboard.stderr)")
    }
}
