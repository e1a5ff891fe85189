import Foundation
import InfertopTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `infertop snapshot --prometheus` against a real Prometheus (Debian's, installed by
/// `scripts/install-deps.sh`) scraping stand-in dcgm-exporter, vLLM and node_exporter targets for
/// 128 nodes x 8 GPUs (`Fixtures/prometheus_targets.py`): every GPU shows with the targets' memory
/// and the engines' KV cache; a killed target's node goes stale; a stopped Prometheus is said,
/// and the next snapshot after it returns shows the fleet again.
@Suite(.serialized) struct PrometheusEndToEndTests {
    static let nodes = (1...128).map { String(format: "node-%03d", $0) }
    static let victim = "node-128"

    @Test func snapshot_showsEveryGPU_aKilledTargetGoesStale_andAStoppedPrometheusIsSaid() async throws {
        let lab = try PrometheusLab()
        defer { lab.stop() }
        try lab.startTargets(Array(Self.nodes.dropLast()), victim: Self.victim)
        try lab.startPrometheus()
        try await lab.waitFor("Prometheus to hold all 1,024 GPUs and 128 engines", timeout: .seconds(180)) {
            lab.count("DCGM_FI_DEV_FB_USED") == 1024 && lab.count("vllm:kv_cache_usage_perc") == 128
                && lab.count("node_infiniband_port_data_transmitted_bytes_total") == 256
        }

        // Every GPU, with the targets' memory (the HBM total) and each engine's KV cache (each cell).
        var frame = ""
        try await lab.waitFor("a snapshot with all 128 nodes and every family", timeout: .seconds(90)) {
            frame = try lab.snapshot().frame
            // Rates need two scrapes in their window: until then the frame names the families it lacks.
            return frame.contains("128/128 nodes") && !frame.contains("prometheus http")
        }
        let header = frame.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.contains("1024 GPUs"), "\(header)")
        var used = 0.0
        var total = 0.0
        for n in 1...128 {
            for g in 0..<8 {
                used += Double(40960 + 1024 * ((3 * n + g) % 30))
                total += 81559
            }
        }
        let tib = { (mib: Double) in String(format: "%.1f", mib / 1_048_576) }
        #expect(header.contains("HBM \(tib(used))/\(tib(total)) TiB"), "the targets' memory: \(header)")
        #expect(!frame.contains("no NVLink series") && !frame.contains("no InfiniBand series"), "\(frame)")
        for (i, node) in Self.nodes.enumerated() {
            let cells = try #require(Self.cells(of: node, in: frame), "node \(node) is on screen:\n\(frame)")
            let kv = Double((7 * (i + 1)) % 90 + 5)
            #expect(cells.count == 8, "\(node): 8 GPUs")
            #expect(cells.allSatisfy { abs(Double($0) - kv) <= 1 }, "\(node): KV \(kv)% on every GPU, got \(cells)")
        }

        // The dashboard records what Prometheus gives it (`--record`), and the recording replays it.
        try await recordAndReplay(lab)

        // A target that dies: its node goes stale on screen (the overview counts it out; its
        // detail says so), and it is still listed, not forgotten.
        lab.killVictim()
        try await lab.waitFor("\(Self.victim) to show as stale", timeout: .seconds(60)) {
            frame = try lab.snapshot(["--node", Self.victim]).frame
            return frame.split(separator: "\n").contains {
                $0.hasPrefix(Self.victim + " · 8x ") && $0.contains("ACTIVE · stale (last sample")
            }
        }
        #expect(frame.contains("127/128 nodes"), "\(frame.split(separator: "\n").first ?? "")")

        // Prometheus stops: said plainly; it returns: the next snapshot shows the fleet again.
        lab.stopPrometheus()
        let down = try lab.snapshot()
        #expect(down.status == 1 && down.frame.contains("prometheus unreachable"), "\(down.frame)")
        try lab.startPrometheus()
        try await lab.waitFor("the fleet to show again once Prometheus is back", timeout: .seconds(120)) {
            let again = try lab.snapshot()
            return again.status == 0 && again.frame.contains("127/128 nodes") && !again.frame.contains("unreachable")
        }
    }

    /// `infertop --prometheus URL --record FILE` in a pane until it shows the whole fleet; then
    /// `snapshot --replay FILE` shows the same fleet from the file alone.
    func recordAndReplay(_ lab: PrometheusLab) async throws {
        let file = lab.folder + "/fleet.rec"
        let command = "\(Binaries.path("infertop")) --prometheus \(lab.url) --record \(file); echo EXIT=$?; sleep 600"
        let pane = try TmuxSession(
            command: command, columns: 200, rows: 50, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { pane.close() }
        try await pane.waitFor(text: "128/128 nodes", timeout: .seconds(90))
        try pane.send("q")
        try await pane.waitFor(text: "EXIT=0")
        let replayed = try await Binaries.run("infertop", ["snapshot", "--replay", file, "--size", "200x50"])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let header = replayed.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(
            header.contains("1024 GPUs") && replayed.stdout.contains("128/128 nodes"), "the replayed fleet: \(header)")
        for node in [Self.nodes[0], Self.nodes[63]] {
            #expect(
                Self.cells(of: node, in: replayed.stdout)?.count == 8,
                "\(node) replayed with 8 GPUs:\n\(replayed.stdout)")
        }
    }

    /// The text after `node`'s name in the overview's node rows (below its `NODES` title, not in
    /// the culprit line above), up to the next node's column.
    static func segment(of node: String, in frame: String) -> Substring? {
        for line in frame.split(separator: "\n").drop(while: { !$0.hasPrefix("NODES ") }) {
            guard let range = line.range(of: node + " ") else { continue }
            let rest = line[range.upperBound...]
            let end = rest.range(of: " node-")?.lowerBound ?? rest.endIndex
            return rest[..<end]
        }
        return nil
    }

    /// The KV% of each GPU cell in `node`'s row (`▂13 ▂13 ...`).
    static func cells(of node: String, in frame: String) -> [Int]? {
        guard let segment = segment(of: node, in: frame) else { return nil }
        let words = segment.split(separator: " ").dropFirst()  // the GPU model
        var numbers: [Int] = []
        for word in words {
            let digits = word.filter(\.isNumber)
            if !digits.isEmpty { numbers.append(Int(String(digits)) ?? -1) }
        }
        return numbers
    }
}

/// A real Prometheus on a loopback port with a temporary config and TSDB, scraping the stand-in
/// targets every second, and what the test needs to drive it.
final class PrometheusLab: @unchecked Sendable {
    let folder: String
    let binary: String
    let port = AgentsTmuxTests.freePort()
    private var prometheus: ChildProcess?
    private var targets: ChildProcess?
    private var victim: ChildProcess?
    private var nodes: [String] = []
    private var victimName = ""

    var url: String { "http://127.0.0.1:\(port)" }

    /// - Throws: when no `prometheus` binary is installed, naming the script that installs it.
    init() throws {
        let candidates = [
            ProcessInfo.processInfo.environment["PROMETHEUS"], "/usr/bin/prometheus", "/usr/local/bin/prometheus"
        ]
        guard
            let found = candidates.compactMap({ $0 }).first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw TraceTestFailure(
                "no prometheus binary (looked at $PROMETHEUS, /usr/bin/prometheus, /usr/local/bin/prometheus): "
                    + "run ./scripts/install-deps.sh, which installs Debian's prometheus package")
        }
        binary = found
        folder = NSTemporaryDirectory() + "infertop-prometheus-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Starts one process serving `fleet` and another serving `victim` alone (so it can be killed).
    func startTargets(_ fleet: [String], victim: String) throws {
        nodes = fleet + [victim]
        victimName = victim
        targets = try startTargetProcess(fleet, name: "fleet")
        self.victim = try startTargetProcess([victim], name: "victim")
        let fleetPort = try waitForPortFile("fleet")
        let victimPort = try waitForPortFile("victim")
        var config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: gpu-nodes
                static_configs:

            """
        for node in nodes {
            let port = node == victim ? victimPort : fleetPort
            config += """
                      - targets: ['127.0.0.1:\(port)']
                        labels: {instance: '\(node)', __metrics_path__: '/nodes/\(node)/metrics'}

                """
        }
        try config.write(toFile: folder + "/prometheus.yml", atomically: true, encoding: .utf8)
    }

    private func startTargetProcess(_ list: [String], name: String) throws -> ChildProcess {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/prometheus_targets.py").path
        return try ChildProcess(
            [
                "/usr/bin/env", "python3", script, "--nodes", list.joined(separator: ","), "--port", "0",
                "--port-file", folder + "/\(name).port"
            ],
            environment: ProcessInfo.processInfo.environment, log: folder + "/\(name).log")
    }

    /// The port a target process wrote; waits for the file (written once it listens).
    private func waitForPortFile(_ name: String) throws -> Int {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: folder + "/\(name).port", encoding: .utf8), let port = Int(text) {
                return port
            }
            usleep(50_000)
        }
        throw TraceTestFailure("the \(name) target never wrote its port\n\(diagnostics())")
    }

    /// Starts (or restarts) Prometheus on the same port and TSDB; waits until it is ready.
    func startPrometheus() throws {
        prometheus = try ChildProcess(
            [
                binary, "--config.file=\(folder)/prometheus.yml", "--storage.tsdb.path=\(folder)/tsdb",
                "--storage.tsdb.retention.time=1h", "--web.listen-address=127.0.0.1:\(port)"
            ],
            environment: ProcessInfo.processInfo.environment, log: folder + "/prometheus.log")
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while ContinuousClock.now < deadline {
            if (try? Spawn.run(["curl", "-sf", "\(url)/-/ready"]).status) == 0 { return }
            guard prometheus?.isRunning == true else { break }
            usleep(50_000)
        }
        throw TraceTestFailure("prometheus did not become ready\n\(diagnostics())")
    }

    /// SIGTERM to Prometheus; waits for it to exit.
    func stopPrometheus() {
        prometheus?.signal(SIGTERM)
        _ = prometheus?.wait(upTo: .seconds(30))
        prometheus = nil
    }

    func killVictim() {
        victim?.signal(SIGTERM)
        _ = victim?.wait(upTo: .seconds(30))
    }

    /// `count(name)` now, or nil when Prometheus did not answer.
    func count(_ name: String) -> Int? {
        guard
            let reply = try? Spawn.run([
                "curl", "-s", "-G", "\(url)/api/v1/query", "--data-urlencode", "query=count(\(name))"
            ]),
            reply.status == 0, let range = reply.output.range(of: #""[0-9]+"\]"#, options: .regularExpression)
        else { return nil }
        return Int(reply.output[range].filter(\.isNumber))
    }

    /// `infertop snapshot --prometheus URL --size 200x50`: its status and the frame it printed.
    func snapshot(_ extra: [String] = []) throws -> (status: Int32, frame: String) {
        let run = try Binaries.run("infertop", ["snapshot", "--prometheus", url, "--size", "200x50"] + extra)
        return (run.status, run.stdout + run.stderr)
    }

    func waitFor(_ what: String, timeout: Duration, _ condition: () async throws -> Bool) async throws {
        try await poll(what, timeout: timeout, every: .milliseconds(200), diagnostics: diagnostics, condition)
    }

    func diagnostics() -> String {
        let log = (try? String(contentsOfFile: folder + "/prometheus.log", encoding: .utf8)) ?? ""
        return "folder \(folder); prometheus log tail:\n"
            + log.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    /// SIGTERM to every process it started, each waited for.
    func stop() {
        for child in [prometheus, targets, victim].compactMap({ $0 }) { child.signal(SIGTERM) }
        for child in [prometheus, targets, victim].compactMap({ $0 }) { _ = child.wait(upTo: .seconds(30)) }
        try? FileManager.default.removeItem(atPath: folder)
    }
}
