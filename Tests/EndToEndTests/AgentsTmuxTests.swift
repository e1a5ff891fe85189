import Foundation
import InfertopTestSupport
import Testing

/// Four simulated agent processes and the dashboard subscribed to them, in tmux: an agent
/// killed with SIGKILL is marked stale on its node's line while the others keep updating;
/// restarted on the same port, it is live again. (How fast is a figure for the benchmarks:
/// on a loaded machine the stale mark waits for the 2.5 s threshold plus a frame.)
@Suite(.serialized) struct AgentsTmuxTests {
    /// A port nothing listens on now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                _ = bind(fd, p, length)
                return getsockname(fd, p, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func killedAgent_goesStale_othersKeepUpdating_restartGoesLive() async throws {
        let nodes = ["node-01", "node-02", "node-03", "node-04"]
        let ports = nodes.map { _ in Self.freePort() }
        var agents = try zip(nodes, ports).map { try AgentProcess.simulated(node: $0, port: $1) }
        let list = ports.map { "127.0.0.1:\($0)" }.joined(separator: ",")
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) --agents \(list); echo EXIT=$?; sleep 600", columns: 200, rows: 50,
            environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        // Every node has sent GPU samples (a memory bar on each row), not only been heard from.
        try await t.waitFor("4/4 nodes with samples") { screen in
            screen.contains("4/4 nodes")
                && nodes.allSatisfy { node in
                    screen.split(separator: "\n").contains { $0.hasPrefix(node) && $0.contains("█") }
                }
        }
        agents[2].kill9()
        // The culprit line is ranked each half second of feed time, so it may follow the header
        // by one ranking: wait for both.
        let stale = try await t.waitFor("node-03 stale, and named the culprit") { screen in
            screen.split(separator: "\n").contains {
                $0.hasPrefix("node-03") && ($0.contains("agent retrying") || $0.contains("STALE"))
            }
                && screen.contains("3/4 nodes") && screen.contains("CULPRIT node-03 stale")
        }
        #expect(stale.contains("CULPRIT node-03 stale"))
        // The others keep updating: their clock in the header moves on.
        let clockBefore = headerClock(stale)
        try await t.waitFor("the header clock to move") { headerClock($0) != clockBefore }
        agents[2] = try AgentProcess.simulated(node: "node-03", port: ports[2])
        try await t.waitFor("node-03 live again") { $0.contains("4/4 nodes") }
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    /// SIGTERM to an agent process while a dashboard is subscribed and redialling: the agent
    /// ends its streams, closes its connections and exits 0, never by a trap or a signal; five
    /// times over, on the same port, with the dashboard going live in between.
    @Test func sigterm_stopsTheAgentGracefully_whileTheDashboardRedials() async throws {
        let port = Self.freePort()
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) --agents 127.0.0.1:\(port); echo EXIT=$?; sleep 600", columns: 120,
            rows: 40, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { t.close() }
        for round in 1...5 {
            let agent = try AgentProcess.simulated(node: "node-02", port: port)
            try await t.waitFor("round \(round): live") { $0.contains("1/1 nodes") }
            agent.stop()
            #expect(agent.ending == "exit 0", "round \(round): the agent ended with \(agent.ending)")
            try await t.waitFor("round \(round): the dashboard sees it go") { !$0.contains("1/1 nodes") }
        }
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    private func headerClock(_ screen: String) -> String {
        String(screen.split(separator: "\n").first?.suffix(8) ?? "")
    }
}

/// `infertop-agent` run as an operator would, with bad input.
@Suite struct AgentCommandTests {
    @Test(arguments: [
        (["--listen", "0.0.0.0:50999"], "without a token"),
        (["--simulate"], "--simulate needs --sim-node"),
        (["--simulate", "--sim-node", "node-99"], "no node named 'node-99'"),
        (["--listen", "nonsense"], "--listen must be HOST:PORT"),
        (["--config", "/nonexistent/agent.toml"], "/nonexistent/agent.toml: cannot read the file")
    ])
    func badInput_exits2WithOneLine(args: [String], fragment: String) async throws {
        let r = try await Binaries.run("infertop-agent", args)
        #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr: \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func malformedConfig_namesFileLineAndKey() async throws {
        let path = NSTemporaryDirectory() + "agent-\(getpid()).toml"
        try "node = \"node-01\"\nlisten = \"127.0.0.1:50051\"\ninterval_seconds = \"soon\"\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let r = try await Binaries.run("infertop-agent", ["--config", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(path):3: key 'interval_seconds'"), "stderr: \(r.stderr)")
    }

    @Test func printDefault_isAValidConfig() async throws {
        let r = try await Binaries.run("infertop-agent", ["config", "--print-default"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("listen = \"127.0.0.1:50051\""))
        let path = NSTemporaryDirectory() + "agent-default-\(getpid()).toml"
        try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let check = try await Binaries.run("infertop-agent", ["config", "--check", path])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func dashboard_rejectsAMalformedAgentAddress() async throws {
        let r = try await Binaries.run("infertop", ["--agents", "nohostport"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("is not HOST:PORT"))
    }
}
