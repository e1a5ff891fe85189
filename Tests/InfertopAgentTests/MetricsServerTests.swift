import Dispatch
import InfertopCore
import InfertopTestSupport
import InfertopWire
import Testing

@testable import InfertopAgent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct MetricsServerTests {
    /// A raw HTTP/1.1 response: status code, headers (lower-cased names), body.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    enum SocketError: Error { case failed(String) }

    /// One request over a plain POSIX socket with `Connection: close`, read to EOF. Runs on a
    /// Dispatch thread so the blocking calls stay off the concurrency pool; a receive timeout
    /// bounds a hung server.
    static func request(port: Int, method: String = "GET", path: String) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try requestBlocking(port: port, method: method, path: path) })
            }
        }
    }

    static func requestBlocking(port: Int, method: String, path: String) throws -> Response {
        guard let fd = LoopbackSocket.connect(port: port) else { throw SocketError.failed("connect: errno \(errno)") }
        defer { close(fd) }
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw SocketError.failed("send: errno \(errno)") }
            sent += n
        }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw SocketError.failed("recv: errno \(errno)") }
            data += chunk[..<n]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw SocketError.failed("no header end in \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { throw SocketError.failed("bad status line in \(text)") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    /// Runs a server on 127.0.0.1:0 for the body, handing it the bound port.
    static func withServer(_ metrics: AgentMetrics, _ body: @Sendable (Int) async throws -> Void) async throws {
        let server = MetricsServer(host: "127.0.0.1", port: 0, metrics: metrics)
        let (ports, bound) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { bound.finish() }
                try await server.run { bound.yield($0) }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                Issue.record("the server stopped before listening")
                return
            }
            #expect(port > 0)
            #expect(server.boundPort == port)
            do {
                try await body(port)
            } catch {
                server.stop()
                throw error
            }
            server.stop()
            try await group.waitForAll()
        }
        #expect(server.boundPort == nil, "run returns once stopped")
    }

    static func hub() -> SubscriptionHub {
        let node = NodeSpec(
            id: "node-01",
            gpus: (0..<2).map { GPUSpec(id: GPUID(node: "node-01", index: $0), model: .h100, island: 0) },
            ports: [])
        return SubscriptionHub(topology: node, replicas: [])
    }

    static func values(time: Double) -> NodeValues {
        var v = NodeValues(node: "node-01")
        for i in 0..<2 {
            v.gpus[i] = GPUSample(
                gpu: GPUID(node: "node-01", index: i), time: time, memory: .empty(capacityBytes: 80 * gigabyte),
                utilization: 0, temperatureCelsius: 0, powerWatts: 0, smClockMHz: 0, throttle: [],
                preemptionsPerSecond: 0, runningRequests: 0, waitingRequests: 0)
        }
        return v
    }

    @Test func metrics_exposesEveryMetricWithRecordedValues() async throws {
        let metrics = AgentMetrics()
        metrics.recordSamples(8)
        metrics.recordSamples(8)
        metrics.recordCollection(duration: .milliseconds(3))
        metrics.recordCollection(duration: .milliseconds(400))
        metrics.recordScrapeErrors(target: "scrape:vllm", count: 3)
        metrics.recordScrapeErrors(target: "nvml", count: 0)
        metrics.setCollector("nvml", up: true)
        metrics.setCollector("scrape:vllm", up: false)

        let hub = Self.hub()
        metrics.observe(hub)
        let stalled = hub.subscribe()
        _ = hub.subscribe()
        for t in 1...5 { hub.publish(Self.values(time: Double(t)), time: Double(t)) }  // 4 coalesced per subscriber

        try await Self.withServer(metrics) { port in
            try await Self.checkExposition(port: port, hub: hub, stalled: stalled)
        }
    }

    static func checkExposition(port: Int, hub: SubscriptionHub, stalled: Subscriber) async throws {
        let response = try await Self.request(port: port, path: "/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(response.headers["content-length"] == String(response.body.utf8.count))
        let series = Self.series(response.body)
        for type in [
            "infertop_agent_samples_collected_total counter", "infertop_agent_collection_seconds histogram",
            "infertop_agent_subscribers gauge", "infertop_agent_updates_coalesced_total counter",
            "infertop_agent_updates_dropped_total counter", "infertop_agent_spans_dropped_total counter",
            "infertop_agent_scrape_errors_total counter",
            "infertop_agent_collector_up gauge"
        ] {
            #expect(response.body.contains("# TYPE \(type)\n"), "missing TYPE \(type) in:\n\(response.body)")
        }
        let expected: [String: Double] = [
            "infertop_agent_samples_collected_total": 16,
            "infertop_agent_collection_seconds_count": 2,
            #"infertop_agent_collection_seconds_bucket{le="0.005"}"#: 1,
            #"infertop_agent_collection_seconds_bucket{le="0.5"}"#: 2,
            #"infertop_agent_collection_seconds_bucket{le="+Inf"}"#: 2,
            "infertop_agent_collection_seconds_sum": 0.403,
            "infertop_agent_subscribers": 2,
            "infertop_agent_updates_coalesced_total": 8,
            "infertop_agent_updates_dropped_total": 0,
            #"infertop_agent_scrape_errors_total{target="scrape:vllm"}"#: 3,
            #"infertop_agent_scrape_errors_total{target="nvml"}"#: 0,
            #"infertop_agent_collector_up{collector="nvml"}"#: 1,
            #"infertop_agent_collector_up{collector="scrape:vllm"}"#: 0
        ]
        for (name, value) in expected {
            let found: Double? = series[name]
            #expect(found == value, "\(name) in:\n\(response.body)")
        }

        // Gauges and counters follow the hub between scrapes; the counter never falls.
        hub.unsubscribe(stalled)
        for t in 6...7 { hub.publish(Self.values(time: Double(t)), time: Double(t)) }
        let again = Self.series(try await Self.request(port: port, path: "/metrics?x=1").body)
        #expect(again["infertop_agent_subscribers"] == 1)
        // The stalled subscriber's 4 stay counted after it left; the other coalesced 2 more.
        #expect(again["infertop_agent_updates_coalesced_total"] == 10, "a subscriber leaving does not lower it")
        // The stalled subscriber left with its merged update unsent: one update never delivered.
        #expect(again["infertop_agent_updates_dropped_total"] == 1)
    }

    /// Series name (with labels) to value, from a text exposition.
    static func series(_ body: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            out[String(line[..<space])] = value
        }
        return out
    }

    @Test func otherPaths_are404_otherMethods_are405() async throws {
        try await Self.withServer(AgentMetrics()) { port in
            let missing = try await Self.request(port: port, path: "/")
            #expect(missing.status == 404)
            let nested = try await Self.request(port: port, path: "/metrics/extra")
            #expect(nested.status == 404)
            let post = try await Self.request(port: port, method: "POST", path: "/metrics")
            #expect(post.status == 405)
            #expect(post.headers["allow"] == "GET")
            let ok = try await Self.request(port: port, path: "/metrics")
            #expect(ok.status == 200)
            #expect(Self.series(ok.body)["infertop_agent_samples_collected_total"] == 0)
        }
    }
}
