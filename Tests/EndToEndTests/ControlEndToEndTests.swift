import Foundation
import InfertopTestSupport
import Testing

/// Operator actions as a new user meets them: from the demo's culprit to a confirmed drain that
/// clears it; a drain that survives the dashboard's SIGHUP; an agent killed mid-drain that resumes
/// from its journal without calling Slurm twice; refusals for a viewer token and `--readonly`.
@Suite(.serialized) struct ControlEndToEndTests {
    /// A fresh folder for an agent's config, journal and audit log.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "infertop-control-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// The demo at 160x45 from its first incident (five times as fast), once the culprit line
    /// names node-10 gpu6; USER is alice, the operator the journal will name.
    static func demoAtTheCulprit() async throws -> TmuxSession {
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) demo --seed 7 --start-at 70 --speed 5; echo EXIT=$?; sleep 600",
            columns: 160, rows: 45, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "USER": "alice"])
        // Every node, the spare among them, must have reported before a plan can place anything:
        // the demo's 17 agents connect one by one, and the culprit can be named before the last.
        try await t.waitFor("the culprit, with every node reporting") {
            $0.contains("CULPRIT node-10 gpu6") && $0.contains("17/17 nodes")
        }
        return t
    }

    @Test func demo_fromTheCulprit_aConfirmedDrainClearsIt() async throws {
        let t = try await Self.demoAtTheCulprit()
        defer { t.close() }
        try t.command("drain node-10 --reason \"KV cache full on gpu6\"")
        let dialog = try await t.waitFor("the dialog") { $0.contains("DRAIN node-10") && $0.contains("type node-10") }
        #expect(dialog.contains("llama-405b/5"), "the impact names the replica:\n\(dialog)")
        #expect(dialog.contains("[ Cancel ]"))
        try t.enter("node-10")
        try await t.waitFor("sent") { $0.contains("drain node-10") && !$0.contains("type node-10") }
        try t.send("5")
        try await t.waitFor("node-10 DRAINED in view 5", timeout: .seconds(240)) { screen in
            screen.split(separator: "\n").contains { $0.contains("node-10") && $0.contains("DRAINED") }
        }
        try t.send("1")
        let after = try await t.waitFor("the culprit gone") { screen in
            screen.contains("NODES") && !screen.contains("CULPRIT node-10 gpu6")
        }
        #expect(after.contains("23/24 replicas"), "the drained replica is out of the header's serving count:\n\(after)")
        try t.send("6")
        let events = try await t.waitFor("the journal in view 6") { $0.contains("accepted") && $0.contains("done") }
        #expect(events.contains("alice"))
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    @Test func demo_relievingTheStarvedGPU_movesItsReplicaToTheSpare_andTheCulpritClears() async throws {
        let t = try await Self.demoAtTheCulprit()
        defer { t.close() }
        try t.command("rebalance --relieve node-10:6 --reason \"KV cache starved on gpu6\"")
        let dialog = try await t.waitFor("the plan") {
            $0.contains("REBALANCE relieve node-10 gpu6") && $0.contains("type rebalance")
        }
        #expect(dialog.contains("llama-405b/5: node-10 gpu0-7 → node-17 gpu0-7"), "the spare takes it:\n\(dialog)")
        try t.enter("rebalance")
        try t.send("5")
        let done = try await t.waitFor("the move done in view 5", timeout: .seconds(240)) { screen in
            screen.split(separator: "\n").contains {
                $0.contains("rebalance relieve node-10 gpu6") && $0.contains("done") && $0.contains("10/10")
            }
        }
        #expect(
            done.split(separator: "\n").contains { $0.contains("llama-405b/5") && $0.contains("node-17") },
            "the replica serves from the spare:\n\(done)")
        try t.send("1")
        try await t.waitFor("the culprit cleared", timeout: .seconds(240)) { screen in
            let culprit = screen.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
            return screen.contains("NODES") && !culprit.contains("node-10 gpu6") && !culprit.contains("llama-405b/5")
        }
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    /// A simulated agent for node-01 that coordinates operations on its own fleet.
    static func coordinator(_ folder: String, port: Int, extra: String = "") throws -> AgentProcess {
        try """
        \(extra)
        [control]
        executor = "simulator"
        journal = "\(folder)/journal.jsonl"
        audit = "\(folder)/audit.jsonl"
        """.write(toFile: folder + "/agent.toml", atomically: true, encoding: .utf8)
        return try AgentProcess(arguments: [
            "--simulate", "--sim-node", "node-01", "--sim-seed", "7", "--sim-speed", "5", "--listen",
            "127.0.0.1:\(port)",
            "--otlp-grpc", "off", "--otlp-http", "off", "--config", folder + "/agent.toml"
        ])
    }

    @Test func aDrainGoesOn_whenTheDashboardThatAskedGetsSIGHUP() async throws {
        let folder = try Self.folder()
        let port = AgentsTmuxTests.freePort()
        let agent = try Self.coordinator(folder, port: port)
        defer { agent.stop() }
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) --agents 127.0.0.1:\(port); echo EXIT=$?; sleep 600", columns: 120,
            rows: 40, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8", "USER": "alice"])
        // Samples on screen (a memory bar on node-01's line, which the agent's first snapshot,
        // sent before its fleet has warmed up, does not have): the fleet has run its first second
        // and its control has a view of the cluster (before that it refuses with "no view of
        // the cluster yet", as it should; a loaded machine takes seconds to warm up).
        try await t.waitFor("the first samples") { screen in
            screen.contains("1/1 nodes")
                && screen.split(separator: "\n").contains { $0.hasPrefix("node-01") && $0.contains("█") }
        }
        try t.command("drain node-01 --reason \"replace the IB cable\" --force")
        try await t.waitFor("the dialog") { $0.contains("type node-01") }
        try t.enter("node-01")
        // The agent's answer (its id for the operation) is on screen: the call reached it.
        try await t.waitFor("accepted by the agent") { $0.contains("op-1-") }
        // The SSH session drops: tmux hangs up on the dashboard.
        t.close()
        let done = try await waitForOperation(port: port) { $0.contains("\"status\":{\"succeeded\"") }
        #expect(done.contains("alice"), "\(done)")
        #expect(Self.lines(folder + "/journal.jsonl").last?.contains("succeeded") == true)
    }

    /// `infertop ctl ops --output json` until `done` says so.
    func waitForOperation(port: Int, timeout: Duration = .seconds(240), _ done: (String) -> Bool) async throws -> String
    {
        var last = ""
        try await poll(
            "the operation", timeout: timeout, every: .milliseconds(250), diagnostics: { "last answer:\n\(last)" }
        ) {
            let r = try await Binaries.run(
                "infertop", ["ctl", "ops", "--agents", "127.0.0.1:\(port)", "--output", "json"])
            last = r.stdout + r.stderr
            return r.status == 0 && done(last)
        }
        return last
    }

    @Test func aViewerToken_isDenied_audited_andReadonlySendsNoCall() async throws {
        let folder = try Self.folder()
        let port = AgentsTmuxTests.freePort()
        let viewer = "viewer-token-0123456789abcdef"
        let agent = try Self.coordinator(
            folder, port: port,
            extra: "[[tokens]]\nname = \"bob\"\ntoken = \"\(viewer)\"\nrole = \"viewer\"\n")
        defer { agent.stop() }
        try "[[agents]]\naddress = \"127.0.0.1:\(port)\"\ntoken = \"\(viewer)\"\n".write(
            toFile: folder + "/cluster.toml", atomically: true, encoding: .utf8)
        // The API itself refuses the viewer, whatever the client does, and audits it.
        var denied = try await Binaries.run(
            "infertop", ["ctl", "drain", "node-01", "--reason", "test", "--yes", "--cluster", folder + "/cluster.toml"])
        for _ in 0..<240 where denied.stderr.contains("unreachable") {
            try await Task.sleep(for: .milliseconds(250))
            denied = try await Binaries.run(
                "infertop",
                ["ctl", "drain", "node-01", "--reason", "test", "--yes", "--cluster", folder + "/cluster.toml"])
        }
        #expect(denied.status == 1, "\(denied)")
        #expect(denied.stderr.contains("viewer"), "\(denied.stderr)")
        let audit = Self.lines(folder + "/audit.jsonl")
        #expect(audit.count == 1 && audit[0].contains("denied") && audit[0].contains("bob"), "\(audit)")
        // --readonly: every mutating command is refused on screen and no call reaches the agent.
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) --cluster \(folder)/cluster.toml --readonly; sleep 600",
            columns: 120,
            rows: 40, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { t.close() }
        try await t.waitFor(text: "1/1 nodes")
        for command in ["drain node-01 --reason test", "cordon node-01", "uncordon node-01"] {
            try t.command(command)
            try await t.waitFor("\(command): refused") { $0.contains("read-only") }
            try t.send("Escape")
        }
        #expect(Self.lines(folder + "/audit.jsonl").count == 1, "a read-only dashboard sent a call")
    }

    /// A stand-in `scontrol` that logs every call and keeps DRAIN while a job still "runs" (until
    /// the file `jobs-done` exists), as Slurm shows MIXED+DRAIN, then IDLE+DRAIN.
    static func fakeScontrol(_ folder: String) throws -> String {
        let path = folder + "/scontrol"
        try """
        #!/bin/sh
        d=\(folder)
        echo "$*" >> $d/scontrol-calls
        if [ "$1" = show ]; then
          s=IDLE; [ -f $d/drain ] && { if [ -f $d/jobs-done ]; then s=IDLE+DRAIN; else s=MIXED+DRAIN; fi; }
          r=""; [ -f $d/drain ] && r=" Reason=$(cat $d/drain) [root@2026-12-06T03:14:00]"
          echo "NodeName=$3 State=$s Partitions=debug$r"; exit 0
        fi
        for a in "$@"; do case "$a" in Reason=*) printf '%s' "${a#Reason=}" > $d/drain;; State=RESUME) rm -f $d/drain;; esac; done
        exit 0
        """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    @Test func anAgentKilledMidDrain_resumesFromItsJournal_andCallsSlurmOnce() async throws {
        let folder = try Self.folder()
        let scontrol = try Self.fakeScontrol(folder)
        let port = AgentsTmuxTests.freePort()
        try """
        node = "gpu-node-07"
        listen = "127.0.0.1:\(port)"
        [control]
        executor = "slurm"
        scontrol = "\(scontrol)"
        journal = "\(folder)/journal.jsonl"
        audit = "\(folder)/audit.jsonl"
        """.write(toFile: folder + "/agent.toml", atomically: true, encoding: .utf8)
        let arguments = ["--config", folder + "/agent.toml", "--otlp-grpc", "off", "--otlp-http", "off"]
        var agent = try AgentProcess(arguments: arguments)
        let drainArguments = [
            "ctl", "drain", "gpu-node-07", "--reason", "ECC errors", "--yes", "--agents", "127.0.0.1:\(port)",
            "--operation-id", "ecc-07"
        ]
        var drain = try await Binaries.run("infertop", drainArguments, environment: ["USER": "carol"])
        for _ in 0..<240 where drain.stderr.contains("unreachable") {
            try await Task.sleep(for: .milliseconds(250))
            drain = try await Binaries.run("infertop", drainArguments, environment: ["USER": "carol"])
        }
        #expect(drain.status == 0, "\(drain)")
        // A second operator's drain of the same node is told who started the first.
        let second = try await Binaries.run(
            "infertop",
            [
                "ctl", "drain", "gpu-node-07", "--reason", "me too", "--yes", "--agents", "127.0.0.1:\(port)",
                "--log-level", "debug"
            ])
        #expect(second.status == 1 && second.stderr.contains("already in ecc-07"), "\(second)")
        // --log-level debug says which agent ctl called.
        #expect(
            second.stderr.contains("level=debug") && second.stderr.contains("calling the controller")
                && second.stderr.contains("addr=127.0.0.1:\(port)"), "\(second.stderr)")
        #expect(second.stderr.contains("carol"), "the second operator is told who started it: \(second.stderr)")
        // The drain waits for the running job; the agent dies.
        _ = try await waitForOperation(port: port) { $0.contains("requests in flight") || $0.contains("\"waiting\"") }
        agent.kill9()
        agent = try AgentProcess(arguments: arguments)
        defer { agent.stop() }
        try "".write(toFile: folder + "/jobs-done", atomically: true, encoding: .utf8)
        let done = try await waitForOperation(port: port) { $0.contains("\"status\":{\"succeeded\"") }
        #expect(done.contains("ECC errors"))
        let updates = Self.lines(folder + "/scontrol-calls").filter { $0.hasPrefix("update") }
        #expect(updates == ["update NodeName=gpu-node-07 State=DRAIN Reason=infertop: carol: ECC errors"], "\(updates)")
    }
}
