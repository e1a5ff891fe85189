import InfertopCollectors
import InfertopCore
import Testing

@Suite struct PrometheusFleetTests {
    private func fleet(_ transport: FleetTransport, match: PrometheusMatch = .all, authorization: String? = nil) throws
        -> PrometheusFleet
    {
        let server = try PrometheusServer(url: "http://prometheus.test:9090", authorization: authorization)
        var fleet = PrometheusFleet(
            client: PrometheusClient(server: server, transport: transport, timeout: 1), match: match)
        fleet.interval = .milliseconds(10)
        fleet.backoff = (0.01, 0.02)
        fleet.historySeconds = 0
        return fleet
    }

    @Test func oneRefreshIsOneQueryPerFamily_withTheMatchersAndCredentials() async throws {
        let match = try PrometheusMatch(#"{cluster="a"}"#)
        let transport = FleetTransport(FleetAnswers(), match: match)
        let source = try fleet(transport, match: match, authorization: "Bearer t0ken")
        var mapping = PrometheusFleetMapping()
        guard case .success(.refresh(let reports, let notes, _)) = await source.refresh(&mapping, at: 0) else {
            Issue.record("the refresh must succeed")
            return
        }
        #expect(reports.count == 2 && notes.contains("no NVLink series"))
        #expect(transport.requests.count == PrometheusFamily.allCases.count)
        #expect(transport.requests.allSatisfy { $0.method == .post && $0.header("Authorization") == "Bearer t0ken" })
        #expect(transport.requests.allSatisfy { $0.url == "http://prometheus.test:9090/api/v1/query" })
    }

    @Test func anUnreachablePrometheusIsSaid_retried_andRecoversWhenItReturns() async throws {
        // Every query of the first two refreshes is refused, then Prometheus answers.
        let transport = FleetTransport(FleetAnswers(), downFor: 2 * PrometheusFamily.allCases.count)
        let source = try fleet(transport)
        let (events, continuation) = AsyncStream.makeStream(of: FleetEvent.self)
        let task = Task { await source.run { continuation.yield($0) } }
        defer { task.cancel() }
        var unreachable = 0
        var merged = MergedCluster()
        for await event in events {
            merged.fold { $0.receive(event, from: source.address, now: 0) }
            if case .status(let status) = event, case .retrying(let reason, _) = status.state {
                #expect(reason.hasPrefix("prometheus unreachable"))
                #expect(merged.state.sources[source.address]?.state.isLive == false)
                unreachable += 1
            }
            if case .refresh = event { break }
        }
        #expect(unreachable == 2)
        #expect(merged.state.sources[source.address]?.state == .live)
        #expect(merged.state.topology.nodes.count == 2 && merged.state.topology.gpuCount == 16)
    }
}
