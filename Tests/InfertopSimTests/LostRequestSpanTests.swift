import InfertopCore
import Testing

@testable import InfertopSim

/// A lost node exports nothing: which spans of a request lost with a node remain, where they go,
/// and how vLLM's phases read for a request that never reached its first token.
@Suite struct LostRequestSpanTests {
    let cluster = SimulatedCluster(config: SimulationConfig(seed: 1, nodes: 2))
    var factory: RequestSpanFactory { cluster.spanBuffer.factory }

    /// A request that arrived at 10 s, was scheduled at 11 s and (when `firstToken`) got its first token at 12 s.
    func finished(firstToken: Double?, at finish: Double, outcome: FinishedRequest.Outcome) -> FinishedRequest {
        var request = SimRequest(id: 42, arrival: 10, promptTokens: 2000, cachedTokens: 0, outputTokens: 300)
        request.scheduledAt = 11
        request.firstTokenAt = firstToken
        request.generated = firstToken == nil ? 0 : 40
        request.steps = 60
        request.hopSeconds = 60 * 40e-6
        return FinishedRequest(request: request, finishedAt: finish, outcome: outcome)
    }

    func spans(_ finished: FinishedRequest) -> [Span] {
        var out: [Span] = []
        factory.spans(for: finished, into: &out)
        #expect(out.count == factory.spanCount(finished), "the buffer's count must match what is built")
        return out
    }

    @Test func laterStageLost_engineAndHopCarryTheError_stageSpanIsMissing() throws {
        let replica = cluster.replicas[0]
        let (first, second) = (replica.nodes[0], replica.nodes[1])
        let out = spans(finished(firstToken: 12, at: 14, outcome: .lost(second)))
        #expect(out.map(\.name) == ["router", "llm_request", "pp send"])
        #expect(out.allSatisfy { $0.status == SpanStatus(code: .error, message: "\(second.name) lost") })
        #expect(out.allSatisfy { $0.node == first })
        let engine = out[1].attributes
        #expect(engine[SpanAttributeKey.finishReasons] == .string("abort"))
        #expect(engine[SpanAttributeKey.completionTokens] == .int(41))
        #expect(engine[SpanAttributeKey.decode]?.number == 2 && engine[SpanAttributeKey.timeToFirstToken]?.number == 2)
        #expect(out[0].attributes["http.response.status_code"] == .int(502))
    }

    @Test func firstNodeLost_onlyTheRouterReports_fromALiveNode() {
        let replica = cluster.replicas[0]
        let out = spans(finished(firstToken: 12, at: 14, outcome: .lost(replica.nodes[0])))
        #expect(out.map(\.name) == ["router"])
        #expect(out[0].node == replica.nodes[1])
        #expect(out[0].status.message == "\(replica.nodes[0].name) lost")
    }

    @Test func lostInPrefill_hasNoFirstToken_andItsWaitIsQueuePlusPrefill() throws {
        // The engine had scheduled the first token for 14.5 s; the node went at 13 s.
        let out = spans(finished(firstToken: 14.5, at: 13, outcome: .lost(cluster.replicas[0].nodes[1])))
        let a = try #require(out.first { $0.name == "llm_request" }).attributes
        #expect(a[SpanAttributeKey.timeToFirstToken] == nil)
        #expect(a[SpanAttributeKey.timeInQueue]?.number == 1 && a[SpanAttributeKey.prefill]?.number == 2)
        #expect(a[SpanAttributeKey.decode]?.number == 0 && a[SpanAttributeKey.inference]?.number == 2)
        #expect(a[SpanAttributeKey.completionTokens] == .int(0))
    }

    @Test func abortedInQueue_waitedItsWholeLifeInTheQueue() throws {
        var request = SimRequest(id: 7, arrival: 5, promptTokens: 30_000, cachedTokens: 20_000, outputTokens: 200)
        request.scheduledAt = nil
        let out = spans(FinishedRequest(request: request, finishedAt: 35.2, outcome: .aborted))
        #expect(out.map(\.name) == ["router", "llm_request"], "never scheduled: no pipeline spans")
        let a = try #require(out.last).attributes
        #expect(out.allSatisfy { $0.status == SpanStatus(code: .error, message: "aborted after 30 s in queue") })
        #expect(abs((a[SpanAttributeKey.timeInQueue]?.number ?? 0) - 30.2) < 1e-9)
        #expect(a[SpanAttributeKey.inference]?.number == 0 && a[SpanAttributeKey.timeToFirstToken] == nil)
        #expect(out[0].attributes["http.response.status_code"] == .int(504))
    }
}
