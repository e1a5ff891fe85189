import Foundation
import InfertopCore
import InfertopTestSupport
import Testing

/// A node drained from the dashboard through a real `infertop-agent` with the slurm executor, on a
/// real Slurm 22.05 (munged, slurmctld, slurmd): `scontrol show node` then shows DRAIN with the
/// operator's name and reason; uncordon brings the node back to IDLE; a drain without a reason is
/// refused before Slurm is called, whichever way it is sent.
///
/// The Slurm is the one `INFERTOP_SLURM_CONF` names (`.ci/run` starts one), else a private one
/// this test starts with `scripts/slurm-lab.sh` and stops at the end. Without Slurm installed the
/// test fails and says how to install it: it never skips.
@Suite(.serialized) struct SlurmTmuxTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let token = "alice-operator-token-0123456789"

    @Test func drainFromTheDashboard_reachesSlurmWithTheReason_uncordonResumes_noReasonNeverCallsSlurm() async throws {
        let lab = try await SlurmLab.open()
        try await withAsyncCleanup {
            try await drainAndResume(lab)
        } cleanup: {
            await lab.close()
        }
    }

    private func drainAndResume(_ lab: SlurmLab) async throws {
        let node = lab.node
        let start = try await lab.state()
        #expect(start.fields == "IDLE", "the node starts IDLE: \(start.line)")
        let folder = NSTemporaryDirectory() + "infertop-slurm-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A stand-in for scontrol that counts each call, then runs the real one.
        let wrapper = folder + "/scontrol"
        try "#!/bin/sh\necho \"$*\" >> \(folder)/scontrol-calls\nexec \(lab.scontrol) \"$@\"\n".write(
            toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        func calls() -> [String] { Self.lines(folder + "/scontrol-calls") }
        func updates() -> [String] { calls().filter { $0.hasPrefix("update") } }

        let port = AgentsTmuxTests.freePort()
        try """
        node = "\(node)"
        listen = "127.0.0.1:\(port)"
        [[tokens]]
        name = "alice"
        token = "\(Self.token)"
        role = "operator"
        [control]
        executor = "slurm"
        scontrol = "\(wrapper)"
        journal = "\(folder)/journal.jsonl"
        audit = "\(folder)/audit.jsonl"
        """.write(toFile: folder + "/agent.toml", atomically: true, encoding: .utf8)
        let agent = try AgentProcess(
            arguments: ["--config", folder + "/agent.toml", "--otlp-grpc", "off", "--otlp-http", "off"],
            environment: ["SLURM_CONF": lab.conf], log: folder + "/agent.log")
        defer { agent.stop() }
        try await agent.waitUntilListening(port: port)
        let agentUp = ContinuousClock.now
        let cluster = folder + "/cluster.toml"
        try "[[agents]]\nname = \"\(node)\"\naddress = \"127.0.0.1:\(port)\"\ntoken = \"\(Self.token)\"\n".write(
            toFile: cluster, atomically: true, encoding: .utf8)

        // The dashboard; USER is not alice: the token names the operator.
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) --cluster \(cluster); echo EXIT=$?; sleep 600", columns: 200,
            rows: 50,
            environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "USER": "someone-else"])
        defer { t.close() }
        // A real node without GPUs (no NVML here) is listed as such, and stays live while its agent
        // talks: past the 10 s after which a node that sends nothing is lost (and a drain of it
        // would need --force).
        let clock = ContinuousClock()
        let overview = try await t.waitFor("the GPU-less node still live 12 s after its agent started") { screen in
            clock.now >= agentUp.advanced(by: .seconds(12)) && screen.contains("1/1 nodes")
                && !screen.contains("\(node) stale")
                && !screen.contains("\(node) lost")
        }
        #expect(
            overview.split(separator: "\n").contains { $0.hasPrefix("\(node) no GPU") },
            "a node without GPUs says so:\n\(overview)")

        try t.command("drain \(node) --reason \"ib port flapping\"")
        let dialog = try await t.waitFor("the impact dialog") {
            $0.contains("DRAIN \(node)") && $0.contains("type \(node)")
        }
        #expect(dialog.contains("[ Cancel ]"), "\(dialog)")
        #expect(updates().isEmpty, "the dialog sends nothing before it is confirmed: \(calls())")
        try t.enter(node)
        let drained = try await lab.waitForState("DRAIN with alice's reason") {
            $0.flags.contains("DRAIN") && $0.reason == "infertop: alice: ib port flapping"
        }
        #expect(drained.base == "IDLE", "\(drained.line)")
        #expect(
            updates() == ["update NodeName=\(node) State=DRAIN Reason=infertop: alice: ib port flapping"], "\(calls())")

        // View 6: the operation, who asked, why, and that it is done; the audit line beside it.
        try t.send("6")
        let events = try await t.waitFor("the drain done in view 6") { screen in
            screen.split(separator: "\n").contains {
                $0.contains("drain \(node)") && $0.contains("alice") && $0.contains("ib port flapping")
                    && $0.contains("done")
            }
        }
        #expect(events.contains("EVENTS"), "\(events)")
        #expect(Self.lines(folder + "/journal.jsonl").last?.contains("succeeded") == true)

        // The node's detail shows it DRAINED (the agent's next sample carries the new lifecycle,
        // up to a second after the operation list says done).
        try t.send("1")
        try await t.waitFor(text: "1/1 nodes")
        try t.send("Enter")
        try await t.waitFor("\(node) DRAINED in its detail") { $0.contains("\(node) · 0 GPUs · DRAINED") }
        try t.send("Escape")
        // Uncordon (its dialog too): Slurm RESUMEs the node, IDLE again once slurmctld has pinged it.
        try await uncordon(t, node: node)
        let resumed = try await lab.waitForState("plain IDLE after RESUME") { $0.fields == "IDLE" && $0.reason == nil }
        #expect(resumed.reason == nil, "\(resumed.line)")
        #expect(updates().last == "update NodeName=\(node) State=RESUME", "\(calls())")
        let before = calls().count
        let auditBefore = Self.lines(folder + "/audit.jsonl").count

        // No reason: refused by `infertop ctl` and by the dashboard before anything is sent...
        let ctl = try await Binaries.run("infertop", ["ctl", "drain", node, "--cluster", cluster, "--yes"])
        #expect(ctl.status != 0, "\(ctl)")
        #expect(ctl.stderr.contains("drain needs --reason"), "\(ctl.stderr)")
        try t.command("drain \(node)")
        try await t.waitFor("the dashboard's refusal") { $0.contains("drain needs --reason") }
        try t.send("Escape")
        #expect(Self.lines(folder + "/audit.jsonl").count == auditBefore, "a refused drain was sent to the agent")
        // ...and by the agent itself, for a client that skips those checks: audited, Slurm untouched.
        let (status, answer) = try await Spawn.run([
            "python3", Self.fixtures.appendingPathComponent("control_drain.py").path, "127.0.0.1:\(port)", Self.token,
            "no-reason-1", node, ""
        ])
        #expect(
            status == 1 && answer.contains("needs a reason"), "the agent accepted a drain without a reason: \(answer)")
        let audit = Self.lines(folder + "/audit.jsonl")
        #expect(audit.count == auditBefore + 1, "\(audit)")
        #expect(audit.last?.contains("refused") == true && audit.last?.contains("alice") == true, "\(audit.last ?? "")")
        #expect(calls().count == before, "Slurm was called for a drain without a reason: \(calls().dropFirst(before))")
        #expect(try await lab.state().fields == "IDLE")

        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
        try await OffPool.run { [agent] in agent.stop() }
        #expect(agent.ending == "exit 0", "the agent stops gracefully on SIGTERM; its log:\n\(agent.logTail)")
    }

    /// `:uncordon NODE`, confirmed in its dialog by the node's name.
    private func uncordon(_ t: TmuxSession, node: String) async throws {
        try t.command("uncordon \(node)")
        try await t.waitFor("the uncordon dialog") { $0.contains("type \(node)") }
        try t.enter(node)
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// The Slurm a test drains: the running one `INFERTOP_SLURM_CONF` names, or a private one started
/// with `scripts/slurm-lab.sh` (on free ports, under /tmp: munged needs every folder on the way
/// to its socket to be executable by all), stopped by `close`.
struct SlurmLab: Sendable {
    let conf: String
    let node: String
    let scontrol: String
    /// The lab folder when this test started the daemons.
    let ownDir: String?

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/slurm-lab.sh").path

    /// The environment for Slurm's tools: sbin on the PATH, where Debian puts the daemons.
    static var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = (env["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin"
        return env
    }

    static func which(_ name: String) -> String? {
        let path = environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    static func open() async throws -> SlurmLab {
        let env = ProcessInfo.processInfo.environment
        let missing = ["munged", "slurmctld", "slurmd", "scontrol"].filter { which($0) == nil }
        guard missing.isEmpty, let scontrol = which("scontrol") else {
            throw TraceTestFailure(
                "Slurm is not installed (no \(missing.joined(separator: ", "))): run ./scripts/install-deps.sh, which installs munge and Slurm from Debian"
            )
        }
        if let conf = env["INFERTOP_SLURM_CONF"], !conf.isEmpty {
            guard let text = try? String(contentsOfFile: conf, encoding: .utf8) else {
                throw TraceTestFailure(
                    "INFERTOP_SLURM_CONF=\(conf): cannot read it (start a lab: scripts/slurm-lab.sh start DIR)")
            }
            // The node: INFERTOP_SLURM_NODE, else the config's one NodeName.
            let named = text.split(separator: "\n").first { $0.hasPrefix("NodeName=") }
                .flatMap { $0.dropFirst("NodeName=".count).split(separator: " ").first.map(String.init) }
            guard let node = env["INFERTOP_SLURM_NODE"] ?? named else {
                throw TraceTestFailure("INFERTOP_SLURM_CONF=\(conf) names no NodeName; set INFERTOP_SLURM_NODE")
            }
            return SlurmLab(conf: conf, node: node, scontrol: scontrol, ownDir: nil)
        }
        let dir = "/tmp/infertop-slurm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var labEnv = environment
        labEnv["SLURMCTLD_PORT"] = "\(AgentsTmuxTests.freePort())"
        labEnv["SLURMD_PORT"] = "\(AgentsTmuxTests.freePort())"
        let (status, output) = try await Spawn.run(
            ["/bin/sh", "-c", "\"$0\" start \"$1\" 2>&1", script, dir], environment: labEnv)
        guard status == 0, let text = try? String(contentsOfFile: dir + "/env", encoding: .utf8) else {
            _ = try? await Spawn.run([script, "stop", dir], environment: labEnv)
            throw TraceTestFailure("scripts/slurm-lab.sh start \(dir) exited \(status):\n\(output)")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        guard let conf = values["SLURM_CONF"], let node = values["INFERTOP_SLURM_NODE"] else {
            throw TraceTestFailure("\(dir)/env lacks SLURM_CONF or INFERTOP_SLURM_NODE:\n\(text)")
        }
        return SlurmLab(conf: conf, node: node, scontrol: scontrol, ownDir: dir)
    }

    /// Stops the daemons this test started (SIGTERM, by their PIDs) and removes their folder.
    func close() async {
        guard let ownDir else { return }
        let (status, output) =
            (try? await Spawn.run(["/bin/sh", "-c", "\"$0\" stop \"$1\" 2>&1", Self.script, ownDir])) ?? (-1, "")
        if status == 0 {
            try? FileManager.default.removeItem(atPath: ownDir)
        } else {
            print("slurm-lab stop: \(output)")
        }
    }

    /// The node as `scontrol show node NODE -o` shows it.
    /// A line of `scontrol show node -o`, read by the agent's own parser (`SlurmNodeState`).
    struct NodeState: Sendable {
        let line: String
        let parsed: SlurmNodeState?
        /// `IDLE`, `IDLE+DRAIN`, `IDLE+NOT_RESPONDING`.
        var fields: String { parsed.map { ([$0.base] + $0.flags).joined(separator: "+") } ?? "" }
        var base: String { parsed?.base ?? "" }
        var flags: [String] { parsed?.flags ?? [] }
        /// Without the ` [user@time]` scontrol adds; nil when the node has none.
        var reason: String? { parsed?.reason }

        init(_ line: String) {
            self.line = line
            parsed = SlurmNodeState(oneLine: line)
        }
    }

    func state() async throws -> NodeState {
        var env = Self.environment
        env["SLURM_CONF"] = conf
        let (status, output) = try await Spawn.run([scontrol, "show", "node", node, "-o"], environment: env)
        guard status == 0 else { throw TraceTestFailure("scontrol show node \(node) -o exited \(status): \(output)") }
        return NodeState(output)
    }

    /// Polls Slurm until `done`, for up to `timeout`.
    @discardableResult
    func waitForState(_ what: String, timeout: Duration = .seconds(120), _ done: (NodeState) -> Bool) async throws
        -> NodeState
    {
        var last: NodeState?
        try await poll(
            what, timeout: timeout, every: .milliseconds(200),
            diagnostics: {
                "Slurm shows:\n\(last?.line ?? "nothing yet")"
            }
        ) {
            let now = try await state()
            last = now
            return done(now)
        }
        return last!
    }
}
