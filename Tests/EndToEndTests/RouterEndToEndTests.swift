import Foundation
import InfertopTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `router` executor against the real sglang-router 0.3.2 (from PyPI, installed by
/// `scripts/install-deps.sh`) with three stand-in engine workers (`Fixtures/router_worker.py`):
/// a drain of the node whose replica is worker 1 lets a request in flight there finish, waits for
/// it, and sends no new request to worker 1; uncordon adds worker 1 back and it serves again.
@Suite(.serialized) struct RouterEndToEndTests {
    static let node = "gpu-node-01"
    static let operatorToken = "operator-token-router-e2e-0123456789"
    static let apiKey = "inf3r-key-router-e2e"
    static let adminKey = "adm1n-key-router-e2e"

    @Test func drain_takesTheWorkerOutAfterItsRequestInFlight_uncordonAddsItBack() async throws {
        let started = ContinuousClock.now
        let lab = try RouterLab()
        defer { lab.stop() }
        try await lab.startWorkers(3)
        try await lab.startRouter()
        let w1 = lab.workers[0]

        // The agent serves one replica, whose engine is worker 1 (derived from its [[scrape]] URL).
        let agentPort = AgentsTmuxTests.freePort()
        try "\(Self.adminKey)\n".write(toFile: lab.folder + "/router.key", atomically: true, encoding: .utf8)
        try """
        node = "\(Self.node)"
        listen = "127.0.0.1:\(agentPort)"

        [[tokens]]
        name = "dana"
        token = "\(Self.operatorToken)"
        role = "operator"

        [[scrape]]
        kind = "sglang"
        url = "\(w1.url)/metrics"
        replica = "fake-model/0"

        [control]
        executor = "router"
        journal = "\(lab.folder)/journal.jsonl"
        audit = "\(lab.folder)/audit.jsonl"

        [control.min_available]
        "fake-model" = 0

        [control.router]
        url = "\(lab.routerURL)"
        admin_key_file = "\(lab.folder)/router.key"
        timeout_seconds = 5
        """.write(toFile: lab.folder + "/agent.toml", atomically: true, encoding: .utf8)
        try """
        [[agents]]
        name = "\(Self.node)"
        address = "127.0.0.1:\(agentPort)"
        token = "\(Self.operatorToken)"
        """.write(toFile: lab.folder + "/cluster.toml", atomically: true, encoding: .utf8)
        let agent = try AgentProcess(arguments: [
            "--config", lab.folder + "/agent.toml", "--otlp-grpc", "off", "--otlp-http", "off"
        ])
        lab.agent = agent
        let cluster = ["--cluster", lab.folder + "/cluster.toml"]
        try await lab.waitFor("the agent to answer", timeout: .seconds(120)) {
            try await Binaries.run("infertop", ["ctl", "ops"] + cluster).status == 0
        }

        // A slow request lands on worker 1: send until round robin gives it one.
        try await lab.setDelay(w1, seconds: 5)
        var slow: Task<String, any Error>?
        for attempt in 0..<9 where slow == nil {
            let rid = "probe-\(attempt)"
            let request = Task { try await lab.generate(rid) }
            let worker = try await lab.waitForRequest(rid)
            if worker == w1.name {
                slow = request
            } else {
                #expect(try await request.value == "200", "\(rid) on \(worker)")
            }
        }
        guard let slow else { throw TraceTestFailure("round robin never sent a request to w1:\n\(lab.diagnostics())") }
        #expect(lab.inFlight(on: w1) == 1, "the slow request is in flight on w1")

        // Drain the node: worker 1 leaves the router while its request is still running.
        let drainStarted = ContinuousClock.now
        let drain = Task {
            let result = try await Binaries.run(
                "infertop",
                ["ctl", "drain", Self.node, "--reason", "router e2e: replace the NIC", "--yes", "--wait"] + cluster,
                environment: ["USER": "dana"])
            return (result: result, ended: Date().timeIntervalSince1970)
        }
        try await lab.waitFor("w1 to leave the router's list", timeout: .seconds(90)) {
            try await !lab.listedWorkers().contains { $0.url == w1.url }
        }
        #expect(lab.inFlight(on: w1) == 1, "w1 still serves its request after leaving the router")
        for i in 0..<20 {
            #expect(try await lab.generate("after-drain-\(i)") == "200")
        }
        let afterDrain = lab.counts(prefix: "after-drain-")
        #expect(afterDrain[w1.name, default: 0] == 0, "w1 got requests after the drain: \(afterDrain)")
        #expect(afterDrain.values.reduce(0, +) == 20, "the other two workers served all 20: \(afterDrain)")

        #expect(try await slow.value == "200", "the request in flight on w1 completed")
        let (drained, drainEnded) = try await drain.value
        let drainTook = ContinuousClock.now - drainStarted
        #expect(drained.status == 0, "ctl drain: \(drained)\n\(lab.diagnostics())")
        #expect(drained.stdout.contains("drain \(Self.node)  done"), "\(drained.stdout)")
        #expect(
            drained.stdout.contains("removed fake-model/0 (\(w1.url))"),
            "the journal line says what the router did: \(drained.stdout)")
        let slowDone = try #require(
            lab.events(w1).first { $0.event == "done" && $0.rid.hasPrefix("probe-") && $0.path == "/generate" })
        #expect(slowDone.ts <= drainEnded, "ctl drain --wait returned before the request in flight had finished")
        let journal = (try? String(contentsOfFile: lab.folder + "/journal.jsonl", encoding: .utf8)) ?? ""
        #expect(
            journal.contains("1 requests in flight on \(Self.node)"),
            "the drain waited for the request in flight:\n\(journal)")

        // Uncordon: worker 1 is added back, listed healthy, and serves again.
        let uncordon = try await Binaries.run(
            "infertop", ["ctl", "uncordon", Self.node, "--yes", "--wait"] + cluster, environment: ["USER": "dana"])
        #expect(uncordon.status == 0, "ctl uncordon: \(uncordon)\n\(lab.diagnostics())")
        #expect(uncordon.stdout.contains("added fake-model/0 (\(w1.url))"), "\(uncordon.stdout)")
        let listed = try await lab.listedWorkers()
        #expect(listed.contains { $0.url == w1.url && $0.healthy }, "w1 is listed healthy: \(listed)")
        try await lab.setDelay(w1, seconds: 0)
        for i in 0..<6 {
            #expect(try await lab.generate("after-uncordon-\(i)") == "200")
        }
        let afterUncordon = lab.counts(prefix: "after-uncordon-")
        #expect(afterUncordon[w1.name, default: 0] >= 1, "w1 serves again: \(afterUncordon)")
        let audit = (try? String(contentsOfFile: lab.folder + "/audit.jsonl", encoding: .utf8)) ?? ""
        #expect(audit.contains("dana"), "\(audit)")
        let routerLog = (try? String(contentsOfFile: lab.folder + "/router.log", encoding: .utf8)) ?? ""
        #expect(!routerLog.lowercased().contains("huggingface"), "the router stayed offline (no tokenizer download)")
        let killed = lab.stop()
        #expect(killed.isEmpty, "stopped by SIGTERM: every process but \(killed)")
        print(
            "router e2e: drain took \(drainTook) (the request in flight lasts 5 s); whole test \(ContinuousClock.now - started)"
        )
    }
}

/// Three stand-in workers, the real router and the agent, in one folder; every process stopped by
/// SIGTERM at the end.
final class RouterLab: @unchecked Sendable {
    struct Worker {
        let name: String
        let port: Int
        let process: ChildProcess
        var url: String { "http://127.0.0.1:\(port)" }
    }

    struct Event {
        let ts: Double
        let event: String
        let path: String
        let rid: String
    }

    let folder: String
    let venv: String
    var workers: [Worker] = []
    var router: ChildProcess?
    var routerURL = ""
    var agent: AgentProcess?

    /// The router's venv: `$INFERTOP_ROUTER_VENV`, else where `scripts/install-deps.sh` puts it.
    static var venvPath: String {
        ProcessInfo.processInfo.environment["INFERTOP_ROUTER_VENV"]
            ?? (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory())
            + "/.cache/infertop/sglang-router-venv"
    }

    init() throws {
        venv = Self.venvPath
        let python = venv + "/bin/python"
        let status =
            FileManager.default.isExecutableFile(atPath: python)
            ? try Spawn.run([python, "-c", "import sglang_router"]).status : -1
        guard status == 0 else {
            throw TraceTestFailure(
                "the real sglang-router 0.3.2 is not installed in \(venv) "
                    + "(\(status == -1 ? "no \(python)" : "python -c 'import sglang_router' exited \(status)")): "
                    + "run ./scripts/install-deps.sh (or set INFERTOP_ROUTER_VENV to a venv that has it)")
        }
        folder = NSTemporaryDirectory() + "infertop-router-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    static var fixture: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/router_worker.py")
            .path
    }

    func startWorkers(_ count: Int) async throws {
        for i in 1...count {
            let name = "w\(i)"
            let process = try launch(
                "/usr/bin/env",
                [
                    "python3", Self.fixture, "--name", name, "--log", "\(folder)/\(name).jsonl", "--port-file",
                    "\(folder)/\(name).port"
                ],
                log: "\(folder)/\(name).out")
            workers.append(Worker(name: name, port: 0, process: process))
        }
        for i in workers.indices {
            let path = "\(folder)/\(workers[i].name).port"
            try await waitFor("\(workers[i].name) to listen", timeout: .seconds(60)) {
                FileManager.default.fileExists(atPath: path)
            }
            let port =
                Int((try String(contentsOfFile: path, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines))
                ?? 0
            workers[i] = Worker(name: workers[i].name, port: port, process: workers[i].process)
        }
    }

    /// The real router: round robin, health checks every second, its own API key for inference
    /// and an admin key for the worker API, offline (no tokenizer download can leave the host).
    func startRouter() async throws {
        let port = AgentsTmuxTests.freePort()
        var metricsPort = AgentsTmuxTests.freePort()
        while metricsPort == port { metricsPort = AgentsTmuxTests.freePort() }
        routerURL = "http://127.0.0.1:\(port)"
        let offline = "http://127.0.0.1:9"
        router = try launch(
            venv + "/bin/python",
            [
                "-m", "sglang_router.launch_router", "--host", "127.0.0.1", "--port", "\(port)", "--policy",
                "round_robin",
                "--prometheus-host", "127.0.0.1", "--prometheus-port", "\(metricsPort)", "--health-check-interval-secs",
                "1",
                "--health-failure-threshold", "2", "--health-success-threshold", "1", "--shutdown-grace-period-secs",
                "10",
                "--api-key", RouterEndToEndTests.apiKey, "--control-plane-api-keys",
                "ops:Ops:admin:\(RouterEndToEndTests.adminKey)",
                "--worker-urls"
            ] + workers.map(\.url),
            log: folder + "/router.log",
            environment: [
                "HTTP_PROXY": offline, "HTTPS_PROXY": offline, "ALL_PROXY": offline, "http_proxy": offline,
                "https_proxy": offline, "all_proxy": offline, "NO_PROXY": "127.0.0.1,localhost,::1",
                "no_proxy": "127.0.0.1,localhost,::1", "HF_HUB_OFFLINE": "1"
            ])
        try await waitFor("the router to list \(workers.count) healthy workers", timeout: .seconds(120)) {
            let listed = (try? await self.listedWorkers()) ?? []
            return listed.filter(\.healthy).count == self.workers.count
        }
    }

    private func launch(_ executable: String, _ arguments: [String], log: String, environment: [String: String] = [:])
        throws
        -> ChildProcess
    {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        return try ChildProcess([executable] + arguments, environment: env, log: log)
    }

    /// `curl`, with no proxy, returning stdout.
    func curl(_ arguments: [String]) async throws -> String {
        try await Spawn.run(["curl", "-s", "--noproxy", "*", "--max-time", "60"] + arguments).output
    }

    /// One generation through the router; its HTTP status.
    func generate(_ rid: String) async throws -> String {
        try await curl([
            "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(RouterEndToEndTests.apiKey)",
            "-H", "Content-Type: application/json", "-H", "X-Request-Id: \(rid)", "-d", "{\"text\":\"\(rid)\"}",
            routerURL + "/generate"
        ])
    }

    func setDelay(_ worker: Worker, seconds: Double) async throws {
        _ = try await curl(["-X", "POST", "\(worker.url)/_fake/delay?secs=\(seconds)"])
    }

    /// `GET /workers` with the admin key: each worker's URL and health.
    func listedWorkers() async throws -> [(url: String, healthy: Bool)] {
        let body = try await curl([
            "-H", "Authorization: Bearer \(RouterEndToEndTests.adminKey)", routerURL + "/workers"
        ])
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let list = json["workers"] as? [[String: Any]]
        else { throw TraceTestFailure("GET /workers: \(body)") }
        return list.map { (url: $0["url"] as? String ?? "", healthy: $0["is_healthy"] as? Bool ?? false) }
    }

    /// The worker's request log.
    func events(_ worker: Worker) -> [Event] {
        let text = (try? String(contentsOfFile: "\(folder)/\(worker.name).jsonl", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return nil
            }
            return Event(
                ts: json["ts"] as? Double ?? 0, event: json["event"] as? String ?? "",
                path: json["path"] as? String ?? "",
                rid: json["rid"] as? String ?? "")
        }
    }

    /// Generations started and not finished on `worker`.
    func inFlight(on worker: Worker) -> Int {
        let generations = events(worker).filter { $0.path == "/generate" }
        return generations.filter { $0.event == "request" }.count - generations.filter { $0.event == "done" }.count
    }

    /// Generations each worker received whose request id starts with `prefix`.
    func counts(prefix: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for worker in workers {
            counts[worker.name] = events(worker).filter { $0.event == "request" && $0.rid.hasPrefix(prefix) }.count
        }
        return counts
    }

    /// The worker the router sent request `rid` to.
    func waitForRequest(_ rid: String) async throws -> String {
        var found = ""
        try await waitFor("request \(rid) to reach a worker", timeout: .seconds(90)) {
            found =
                self.workers.first { w in self.events(w).contains { $0.event == "request" && $0.rid == rid } }?.name
                ?? ""
            return !found.isEmpty
        }
        return found
    }

    func waitFor(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        try await poll(what, timeout: timeout, every: .milliseconds(100), diagnostics: diagnostics, condition)
    }

    /// The router's log tail and the folder, for a failure message.
    func diagnostics() -> String {
        let log = (try? String(contentsOfFile: folder + "/router.log", encoding: .utf8)) ?? ""
        let tail = log.split(separator: "\n").suffix(30).joined(separator: "\n")
        return "folder \(folder); router log tail:\n\(tail)"
    }

    /// SIGTERM to every process (agent, router, workers), then waits for each; one still running
    /// after 30 s is killed.
    /// - Returns: what did not stop by itself (empty when all did).
    @discardableResult
    func stop() -> [String] {
        var killed: [String] = []
        if let agent {
            agent.stop()
            if agent.ending != "exit 0" { killed.append("agent (\(agent.ending))") }
        }
        let children =
            [("router", router)].compactMap { name, p in p.map { (name, $0) } } + workers.map { ($0.name, $0.process) }
        for (_, child) in children { child.signal(SIGTERM) }
        for (name, child) in children where !child.wait(upTo: .seconds(30)) { killed.append(name) }
        return killed
    }
}
