import InfertopCollectors
import Testing

@Suite("Scrape collector over a transport that answers from a table")
struct ScrapeCollectorTests {
    private func vllm(_ transport: TableTransport, url: String = "http://127.0.0.1:8000/metrics") -> ScrapeCollector {
        ScrapeCollector(url: url, mapping: EngineMetricsMapping(kind: .vllm), transport: transport, timeout: 0.5)
    }

    @Test func goodResponse() async throws {
        let transport = TableTransport.ok(try MetricsFixtures.text("vllm.txt"))
        let collector = vllm(transport)
        let reading = await collector.collect(at: 100)
        #expect(!reading.stale && reading.errors.isEmpty)
        #expect(reading.engines.first?.runningRequests == 12)
        #expect(reading.engines.first?.kvBlocks == 38912)
        #expect(collector.errorCount == 0 && collector.stats.scrapes == 1)
        #expect(transport.requests.map(\.url) == ["http://127.0.0.1:8000/metrics"])
        #expect(transport.requests.first?.method == .get)
        #expect(collector.name == "scrape:vllm")
    }

    @Test func dcgmExporter() async throws {
        let transport = TableTransport.ok(try MetricsFixtures.text("dcgm-exporter-hostname.txt"))
        let collector = ScrapeCollector.dcgmExporter(
            url: "http://10.0.0.7:9400", hostname: "gpu-node-07", transport: transport)
        let reading = await collector.collect(at: 0)
        #expect(reading.gpus.count == 8 && !reading.stale)
        #expect(transport.requests.first?.url == "http://10.0.0.7:9400/metrics", "no path means /metrics")
    }

    @Test func malformedTextKeepsTheLastGoodValuesAndCountsAnError() async throws {
        let transport = TableTransport.ok(try MetricsFixtures.text("vllm.txt"))
        let collector = vllm(transport)
        let good = await collector.collect(at: 100)
        transport.set(.reply(.init(status: 200, body: Array(try MetricsFixtures.text("malformed.txt").utf8))))
        let bad = await collector.collect(at: 110)
        #expect(bad.stale)
        #expect(bad.engines == good.engines)
        #expect(bad.errors.count == 1)
        #expect(bad.errors[0].contains("malformed metrics, 11 bad lines") && bad.errors[0].contains("line 4"))
        #expect(bad.errors[0].contains(collector.url))
        #expect(collector.errorCount == 1 && collector.stats.consecutiveErrors == 1)

        transport.set(.reply(.init(status: 200, body: Array(try MetricsFixtures.text("vllm-10s-later.txt").utf8))))
        let recovered = await collector.collect(at: 120)
        #expect(!recovered.stale && recovered.engines.first?.runningRequests == 14)
        #expect(collector.errorCount == 1 && collector.stats.consecutiveErrors == 0)
    }

    @Test func aTransportTimeoutIsNamed() async {
        let collector = vllm(TableTransport(.fail(.timedOut(seconds: 0.5))))
        let reading = await collector.collect(at: 0)
        #expect(reading.stale && reading.engines.isEmpty)
        #expect(reading.errors.first?.contains("timed out after 0.5 s waiting for the response") == true)
        #expect(collector.errorCount == 1)
    }

    @Test func connectionRefused() async {
        let collector = vllm(TableTransport(.fail(.connectionRefused)))
        let reading = await collector.collect(at: 0)
        #expect(reading.stale && reading.engines.isEmpty)
        #expect(reading.errors.first?.contains("connection refused") == true)
        #expect(collector.errorCount == 1)
        _ = await collector.collect(at: 1)
        #expect(collector.errorCount == 2 && collector.stats.consecutiveErrors == 2)
    }

    @Test func httpErrorsAndPagesWithoutTheEngineFail() async throws {
        let transport = TableTransport(.reply(.init(status: 503, body: Array("overloaded".utf8))))
        let collector = vllm(transport)
        #expect(await collector.collect(at: 0).errors.first?.contains("HTTP 503 Service Unavailable") == true)
        transport.set(.reply(.init(status: 200, body: Array(try MetricsFixtures.text("sglang.txt").utf8))))
        #expect(await collector.collect(at: 1).errors.first?.contains("no vllm series in the response") == true)
        #expect(collector.errorCount == 2)
    }

    @Test func httpsAndBadURLsFailWithoutSending() async {
        let transport = TableTransport.ok("")
        let collector = vllm(transport, url: "https://127.0.0.1:8000/metrics")
        let reading = await collector.collect(at: 0)
        #expect(reading.stale && reading.errors.first?.contains("https is not supported") == true)
        #expect(transport.requests.isEmpty)
        #expect(
            ScrapeCollector.engine(
                EngineBinding(model: "m", replica: 0, kind: .sglang, metricsURL: nil, gpus: [0]), transport: transport)
                == nil)
    }

    @Test func urlParsing() throws {
        let plain = try HTTPTarget("http://node-07:9400")
        #expect(plain.host == "node-07" && plain.port == 9400 && plain.path == "/metrics")
        let v6 = try HTTPTarget("http://[::1]:8000/prometheus/metrics?x=1")
        #expect(v6.host == "::1" && v6.port == 8000 && v6.path == "/prometheus/metrics?x=1")
        #expect(try HTTPTarget("HTTP://host/").port == 80)
        #expect(throws: ScrapeError.self) { try HTTPTarget("http://host:99999/") }
        #expect(throws: ScrapeError.self) { try HTTPTarget("ftp://host/") }
    }
}
