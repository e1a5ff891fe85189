import InfertopCollectors
import Testing

@Suite("Scrape collector against a local HTTP server")
struct ScrapeCollectorTests {
    private func vllm(_ url: String, timeout: Double = 2) -> ScrapeCollector {
        ScrapeCollector(url: url, mapping: EngineMetricsMapping(kind: .vllm), timeout: timeout)
    }

    @Test(arguments: [false, true])
    func goodResponse(chunked: Bool) async throws {
        let server = try LocalHTTPServer(.respond(status: 200, body: try MetricsFixtures.text("vllm.txt"), chunked: chunked))
        defer { server.stop() }
        let collector = vllm(server.url)
        let reading = await collector.collect(at: 100)
        #expect(!reading.stale && reading.errors.isEmpty)
        #expect(reading.engines.first?.runningRequests == 12)
        #expect(reading.engines.first?.kvBlocks == 38912)
        #expect(collector.errorCount == 0 && collector.stats.scrapes == 1 && server.requestCount == 1)
        #expect(collector.name == "scrape:vllm")
    }

    @Test func dcgmExporterOverHTTP() async throws {
        let server = try LocalHTTPServer(.respond(status: 200, body: try MetricsFixtures.text("dcgm-exporter-hostname.txt"), chunked: false))
        defer { server.stop() }
        let collector = ScrapeCollector.dcgmExporter(url: server.url, hostname: "gpu-node-07")
        let reading = await collector.collect(at: 0)
        #expect(reading.gpus.count == 8 && !reading.stale)
    }

    @Test func malformedTextKeepsTheLastGoodValuesAndCountsAnError() async throws {
        let server = try LocalHTTPServer(.respond(status: 200, body: try MetricsFixtures.text("vllm.txt"), chunked: false))
        defer { server.stop() }
        let collector = vllm(server.url)
        let good = await collector.collect(at: 100)
        server.set(.respond(status: 200, body: try MetricsFixtures.text("malformed.txt"), chunked: false))
        let bad = await collector.collect(at: 110)
        #expect(bad.stale)
        #expect(bad.engines == good.engines)
        #expect(bad.errors.count == 1)
        #expect(bad.errors[0].contains("malformed metrics, 11 bad lines") && bad.errors[0].contains("line 4"))
        #expect(bad.errors[0].contains(server.url))
        #expect(collector.errorCount == 1 && collector.stats.consecutiveErrors == 1)

        server.set(.respond(status: 200, body: try MetricsFixtures.text("vllm-10s-later.txt"), chunked: false))
        let recovered = await collector.collect(at: 120)
        #expect(!recovered.stale && recovered.engines.first?.runningRequests == 14)
        #expect(collector.errorCount == 1 && collector.stats.consecutiveErrors == 0)
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try LocalHTTPServer(.hang)
        defer { server.stop() }
        let collector = vllm(server.url, timeout: 0.5)
        let clock = ContinuousClock()
        // Timed on the calling thread: the async wrapper's resumption can wait for a busy test pool.
        let start = clock.now
        let reading = collector.collectBlocking(at: 0)
        let elapsed = start.duration(to: clock.now)
        #expect(reading.stale && reading.engines.isEmpty)
        #expect(reading.errors.first?.contains("timed out after 0.5 s waiting for the response") == true)
        // It gave up rather than hung: the upper bound leaves room for a loaded machine.
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(30))
        #expect(collector.errorCount == 1)
    }

    @Test func connectionRefused() async {
        let collector = vllm("http://127.0.0.1:\(LocalHTTPServer.refusingPort())/metrics")
        let reading = await collector.collect(at: 0)
        #expect(reading.stale && reading.engines.isEmpty)
        #expect(reading.errors.first?.contains("connection refused") == true)
        #expect(collector.errorCount == 1)
        _ = await collector.collect(at: 1)
        #expect(collector.errorCount == 2 && collector.stats.consecutiveErrors == 2)
    }

    @Test func httpErrorsAndPagesWithoutTheEngineFail() async throws {
        let server = try LocalHTTPServer(.respond(status: 503, body: "overloaded", chunked: false))
        defer { server.stop() }
        let collector = vllm(server.url)
        #expect(await collector.collect(at: 0).errors.first?.contains("HTTP 503 Service Unavailable") == true)
        server.set(.respond(status: 200, body: try MetricsFixtures.text("sglang.txt"), chunked: false))
        #expect(await collector.collect(at: 1).errors.first?.contains("no vllm series in the response") == true)
        #expect(collector.errorCount == 2)
    }

    @Test func httpsAndBadURLsFailWithoutConnecting() async {
        let collector = vllm("https://127.0.0.1:8000/metrics")
        let reading = await collector.collect(at: 0)
        #expect(reading.stale && reading.errors.first?.contains("https is not supported") == true)
        #expect(ScrapeCollector.engine(
            EngineBinding(model: "m", replica: 0, kind: .sglang, metricsURL: nil, gpus: [0])) == nil)
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
