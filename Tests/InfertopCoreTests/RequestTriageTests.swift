import InfertopCore
import InfertopTestSupport
import Testing

/// Triage over requests: failing or slow traced requests name their replica when no hardware
/// culprit explains them, and every culprit leads to the slowest request it hurt.
@Suite struct RequestTriageTests {
    typealias F = RequestFixtures

    /// Four healthy nodes, one replica each, with traced requests on each replica.
    func state(failing: Int, on failingReplica: Int = 2, slow: Double = 1) -> ClusterState {
        var state = CoreFixtures.state(nodes: 4, gpus: 8)
        state.apply(CoreFixtures.delta(state, time: 10, kv: 0.4))
        var spans: [Span] = []
        var n: UInt64 = 1
        for r in 0..<4 {
            for i in 0..<10 {
                let failed = r == failingReplica && i < failing
                let decode = r == 3 ? 1.0 * slow : 1.0
                spans.append(
                    F.llmRequest(
                        F.traceID(n), 1, start: Double(i), queue: 0.1, prefill: 0.1, decode: decode,
                        node: "node-0\(r + 1)",
                        replica: "llama-405b/\(r)", finishReason: failed ? "abort" : "stop",
                        status: failed ? SpanStatus(code: .error, message: "aborted after 30 s in queue") : SpanStatus()
                    ))
                n += 1
            }
        }
        var delta = ClusterDelta(sequence: 2, time: 11)
        delta.spans = spans
        state.apply(delta)
        state.requests.refreshLatency(at: .infinity)
        return state
    }

    @Test func failingRequests_nameTheirReplica_withTheCount() throws {
        let ranked = Triage.rank(state(failing: 4))
        let culprit = try #require(ranked.first { $0.kind == .requestFailures })
        #expect(culprit.subject == .replica(ReplicaID(model: "llama-405b", index: 2)))
        #expect(culprit.reason.contains("4 requests failed"))
        #expect(culprit.reason.contains("aborted after 30 s in queue"))
    }

    @Test func aFewFailures_orNone_areNotACulprit() {
        #expect(!Triage.rank(state(failing: 2)).contains { $0.kind == .requestFailures })
        #expect(!Triage.rank(state(failing: 0)).contains { $0.kind == .requestFailures })
    }

    @Test func aReplicaWhoseRequestsRunLong_isALatencyOutlier() throws {
        let ranked = Triage.rank(state(failing: 0, slow: 6))
        let culprit = try #require(ranked.first { $0.kind == .latencyOutlier })
        #expect(culprit.subject == .replica(ReplicaID(model: "llama-405b", index: 3)))
        #expect(culprit.reason.contains("e2e p99"))
    }

    /// A culprit with no way of its own to hurt (here a slow replica's GPU) leads to its longest request.
    @Test func aCulpritLeadsToTheLongestRequestItHurt() throws {
        let s = state(failing: 0, slow: 6)
        let culprit = Culprit(
            subject: .gpu(GPUID(node: "node-04", index: 3)), kind: .latencyOutlier, severity: .warn, score: 30,
            reason: "node-04 gpu3", replica: nil)
        let hurt = try #require(s.requestHurtMost(by: culprit, sinceNanos: nil))
        #expect(hurt.measure.hasPrefix("longest "))
        let trace = try #require(s.requests[hurt.trace])
        #expect(trace.replica == ReplicaID(model: "llama-405b", index: 3))
        let longest = s.requests.traces.values.filter { $0.replica == trace.replica }.map(\.durationNanos).max()
        #expect(trace.durationNanos == longest)
    }
}
