import Foundation
import InfertopTestSupport
import Testing

/// Real OTLP into a real agent, found in the dashboard: the OpenTelemetry Python SDK sends a
/// trace over gRPC and one over HTTP/protobuf, curl sends OTLP/JSON plain and gzipped; each is
/// then found in view 4 by `/` and the first 12 hex digits of its trace id, and its waterfall
/// opens with the engine's queue, prefill and decode stages.
@Suite(.serialized) struct TracesEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test func otelSDKAndCurl_tracesAreFoundInView4AndOpen() async throws {
        let agentPort = AgentsTmuxTests.freePort()
        let grpcPort = AgentsTmuxTests.freePort()
        let httpPort = AgentsTmuxTests.freePort()
        let agent = try AgentProcess(arguments: [
            "--simulate", "--sim-node", "node-16", "--listen", "127.0.0.1:\(agentPort)",
            "--otlp-grpc", "127.0.0.1:\(grpcPort)", "--otlp-http", "127.0.0.1:\(httpPort)"
        ])
        defer { agent.stop() }
        try await agent.waitUntilListening(port: grpcPort)
        try await agent.waitUntilListening(port: httpPort)
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) --agents 127.0.0.1:\(agentPort); echo EXIT=$?; sleep 600",
            columns: 120, rows: 40, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { t.close() }
        try await t.waitFor(text: "1/1 nodes")

        var traces: [(how: String, id: String)] = []
        traces.append(("OTel SDK over gRPC", try await send(["grpc", "127.0.0.1:\(grpcPort)", "node-16"])))
        traces.append(
            ("OTel SDK over HTTP/protobuf", try await send(["http", "http://127.0.0.1:\(httpPort)", "node-16"])))
        traces.append(("curl OTLP/JSON", try await curl(port: httpPort, gzip: false)))
        traces.append(("curl OTLP/JSON gzipped", try await curl(port: httpPort, gzip: true)))

        try t.send("4")
        try await t.waitFor(text: "LATENCY last 60s")
        for (how, id) in traces {
            let prefix = String(id.prefix(12))
            try t.send("/")
            try t.enter(prefix)
            try await t.waitFor("\(how): \(prefix) listed") { $0.contains(prefix) && $0.contains("filter: \(prefix)") }
            try t.send("Enter")
            let waterfall = try await t.waitFor("\(how): its waterfall") { $0.contains("TRACE \(id)") }
            #expect(waterfall.contains("llm_request"), "\(how):\n\(waterfall)")
            #expect(
                waterfall.contains("queue") && waterfall.contains("prefill") && waterfall.contains("decode"),
                "\(how):\n\(waterfall)")
            #expect(waterfall.contains("biggest gap"), "\(how):\n\(waterfall)")
            try t.send("Escape")
            try t.send("Escape")
            try await t.waitFor("\(how): back to the list") { !$0.contains("filter: ") && $0.contains("LATENCY") }
        }
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    /// Runs the SDK sender; returns the trace id it printed.
    private func send(_ arguments: [String]) async throws -> String {
        let script = Self.fixtures.appendingPathComponent("otlp_send.py").path
        let (status, output) = try await Spawn.run(["python3", script] + arguments)
        let id = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, id.count == 32 else {
            throw TraceTestFailure("otlp_send.py \(arguments[0]) exited \(status): \(output)")
        }
        return id
    }

    /// POSTs a vLLM-shaped trace as OTLP/JSON with curl; returns its trace id.
    private func curl(port: Int, gzip: Bool) async throws -> String {
        let id = (0..<4).map { _ in String(format: "%08x", UInt32.random(in: 1...UInt32.max)) }.joined()
        let now = UInt64(Date().timeIntervalSince1970 * 1e9)
        let json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"vllm"}},
            {"key":"host.name","value":{"stringValue":"node-16"}}]},"scopeSpans":[{"scope":{"name":"curl"},"spans":[
            {"traceId":"\(id.uppercased())","spanId":"00000000000000A1","name":"router","kind":2,
             "startTimeUnixNano":"\(now - 900_000_000)","endTimeUnixNano":"\(now)"},
            {"traceId":"\(id)","spanId":"00000000000000b2","parentSpanId":"00000000000000a1","name":"llm_request","kind":2,
             "startTimeUnixNano":"\(now - 890_000_000)","endTimeUnixNano":\(now - 10_000_000),
             "attributes":[{"key":"gen_ai.response.model","value":{"stringValue":"llama-8b"}},
              {"key":"gen_ai.usage.completion_tokens","value":{"intValue":"48"}},
              {"key":"gen_ai.latency.time_in_queue","value":{"doubleValue":0.3}},
              {"key":"gen_ai.latency.time_in_model_prefill","value":{"doubleValue":0.08}},
              {"key":"gen_ai.latency.time_in_model_decode","value":{"doubleValue":0.5}}]}]}]}]}
            """
        let body = FileManager.default.temporaryDirectory.appendingPathComponent("infertop-otlp-\(id).json")
        try Data(json.utf8).write(to: body)
        defer { try? FileManager.default.removeItem(at: body) }
        var path = body.path
        if gzip {
            let (status, _) = try await Spawn.run(["gzip", "-kf", body.path])
            #expect(status == 0)
            path += ".gz"
        }
        defer { if gzip { try? FileManager.default.removeItem(atPath: path) } }
        var argv = [
            "curl", "-sS", "-o", "/dev/stdout", "-w", "\nHTTP %{http_code}", "-H", "Content-Type: application/json"
        ]
        if gzip { argv += ["-H", "Content-Encoding: gzip"] }
        argv += ["--data-binary", "@\(path)", "http://127.0.0.1:\(port)/v1/traces"]
        let (status, output) = try await Spawn.run(argv)
        #expect(status == 0 && output.hasSuffix("HTTP 200"), "curl\(gzip ? " gzip" : ""): \(output)")
        return id
    }
}

/// An agent process for a test, stopped with SIGTERM (or killed with SIGKILL when a test says so).
final class AgentProcess: @unchecked Sendable {
    let process = Process()
    /// Where its output goes, when a test wants it for a failure message.
    let log: String?

    /// - Parameters:
    ///   - environment: added to the test runner's (SLURM_CONF for `scontrol`, say).
    ///   - log: a file for its stdout and stderr; nil discards them.
    init(arguments: [String], environment: [String: String] = [:], log: String? = nil) throws {
        self.log = log
        process.executableURL = URL(fileURLWithPath: Binaries.path("infertop-agent"))
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let log {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: log)
            process.standardError = FileHandle(forWritingAtPath: log)
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The last lines of its log, for a failure message.
    var logTail: String {
        guard let log else { return "(no log kept)" }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(30).joined(separator: "\n")
    }

    /// Until the agent accepts connections on `port`, or fails with its log.
    func waitUntilListening(port: Int, timeout: Duration = .seconds(120)) async throws {
        let what = "the agent to listen on \(port)"
        try await poll(what, timeout: timeout, every: .milliseconds(50), diagnostics: { "its log:\n\(logTail)" }) {
            guard process.isRunning else {
                throw TraceTestFailure("the agent exited (\(ending)); its log:\n\(logTail)")
            }
            guard let fd = LoopbackSocket.connect(port: port) else { return false }
            close(fd)
            return true
        }
    }

    /// A simulated node's agent on a loopback port, with the OTLP receivers off.
    static func simulated(node: String, port: Int) throws -> AgentProcess {
        try AgentProcess(arguments: [
            "--simulate", "--sim-node", node, "--sim-seed", "7", "--listen", "127.0.0.1:\(port)", "--otlp-grpc", "off",
            "--otlp-http", "off"
        ])
    }

    /// Kills the process outright, as a crash or the OOM killer would.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM, which the agent answers with a graceful shutdown, and waits for the exit.
    /// One that has not exited within 60 s is killed, and `ending` then says `signal 9`.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        while process.isRunning && clock.now < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// How the process ended: `exit 0`, `exit 2`, or `signal 6` for a trap.
    var ending: String {
        process.terminationReason == .exit ? "exit \(process.terminationStatus)" : "signal \(process.terminationStatus)"
    }

    deinit { stop() }
}

struct TraceTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
