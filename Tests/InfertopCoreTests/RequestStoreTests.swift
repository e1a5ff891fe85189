import InfertopTestSupport
import Testing

@testable import InfertopCore

@Suite struct RequestStoreTests {
    typealias F = RequestFixtures

    func resolved(_ spans: [Span], in state: ClusterState = CoreFixtures.state(nodes: 2, gpus: 8)) -> [RequestSpan] {
        spans.map { ReplicaResolver.resolve($0, in: state) }
    }

    /// A router span on node-01 and an engine span on node-02 of the same trace.
    /// A router span on node-01 and its engine span on node-02; trace `n` starts at `n` seconds.
    func twoNodeTrace(_ n: UInt64) -> (router: Span, engine: Span) {
        let t = F.traceID(n)
        let at = Double(n)
        let router = F.span(t, 1, "router", kind: .server, start: at, end: at + 2, node: "node-01", service: "router")
        let engine = F.llmRequest(
            t, 2, parent: 1, start: at + 0.05, queue: 0.2, prefill: 0.1, decode: 1.5, node: "node-02",
            model: "llama-405b")
        return (router, engine)
    }

    @Test(arguments: [false, true])
    func trace_joinsSpansFromTwoNodes_inEitherOrder(engineFirst: Bool) throws {
        var store = RequestStore()
        let (router, engine) = twoNodeTrace(1)
        store.insert(resolved([engineFirst ? engine : router]))
        store.insert(resolved([engineFirst ? router : engine]))
        let trace = try #require(store[router.traceID])
        #expect(store.count == 1)
        #expect(trace.spans.count == 2)
        #expect(trace.startNanos == router.startNanos && trace.endNanos == router.endNanos)
        #expect(trace.replica == ReplicaID(model: "llama-405b", index: 1), "resolved from model + node-02")
        #expect(trace.node == "node-02")
        #expect(Set(trace.filterWords).isSuperset(of: ["node-01", "node-02", "llama-405b"]))
        let tree = RequestTree(trace)
        #expect(tree.roots.count == 1)
        #expect(tree.order.map(\.depth) == [0, 1, 2, 2, 2], "router, llm_request, its three phases")
        #expect(tree.nodes.allSatisfy { !$0.isOrphan })
    }

    @Test func resentSpan_isRefusedNotDoubled() {
        var store = RequestStore()
        let (router, engine) = twoNodeTrace(1)
        store.insert(resolved([router, engine, engine]))
        #expect(store.spanCount == 2)
        #expect(store.refusedSpans == 1)
    }

    @Test func bounds_evictOldestTraces_andCountThem() {
        var store = RequestStore(limits: .init(traces: 3, spans: 100, listLength: 10))
        for n in 1...5 {
            let (router, engine) = twoNodeTrace(UInt64(n))
            store.insert(resolved([router, engine]))
        }
        #expect(store.count == 3)
        #expect(store.evictedTraces == 2)
        #expect(store.evictedSpans == 4)
        #expect(store[F.traceID(1)] == nil && store[F.traceID(2)] == nil)
        #expect(store[F.traceID(5)] != nil)
        #expect(store.slowest().count == 3, "evicted traces leave the ranked list too")
    }

    @Test func oldTracesArrivingLate_areEvictedBeforeNewerOnes() {
        var store = RequestStore(limits: .init(traces: 3, spans: 100, listLength: 10))
        for n in [10, 11, 12, 1, 2] as [UInt64] {
            let (router, engine) = twoNodeTrace(n)
            store.insert(resolved([router, engine]))
        }
        #expect(
            Set(store.traces.keys) == Set([10, 11, 12].map { F.traceID($0) }),
            "a late batch of old requests (an agent's snapshot) does not push out newer ones")
        #expect(store.evictedSpans == 4, "each late span is evicted as it comes")
    }

    @Test func aLongRequestThatJustEnded_outlivesShortOlderOnes() {
        var store = RequestStore(limits: .init(traces: 3, spans: 100, listLength: 10))
        let long = F.traceID(99)
        store.insert(resolved([F.span(long, 1, "router", start: 0, end: 40, node: "node-01")]))
        for n in [10, 11, 12] as [UInt64] {
            let (router, engine) = twoNodeTrace(n)
            store.insert(resolved([router, engine]))
        }
        #expect(store[long] != nil, "started first, ended last: kept")
        #expect(store[F.traceID(10)] == nil)
    }

    @Test func spanLimit_evictsOldestTracesUntilItFits() {
        var store = RequestStore(limits: .init(traces: 100, spans: 5, spansPerTrace: 2, listLength: 10))
        for n in 1...4 {
            let (router, engine) = twoNodeTrace(UInt64(n))
            store.insert(resolved([router, engine]))
        }
        #expect(store.spanCount <= 5)
        #expect(store.count == 2)
        #expect(store.evictedTraces == 2)
        let t = F.traceID(4)
        store.insert(resolved([F.span(t, 9, "extra", start: 0, end: 1)]))
        #expect(store.refusedSpans == 1, "over the per-trace limit")
    }

    @Test func slowestList_ordersByDuration_andFollowsGrowth() {
        var store = RequestStore(limits: .init(listLength: 2))
        for (n, length) in [(1, 1.0), (2, 3.0), (3, 2.0)] {
            store.insert(resolved([F.span(F.traceID(UInt64(n)), 1, "a", start: 0, end: length)]))
        }
        #expect(store.slowest().map(\.id) == [F.traceID(2), F.traceID(3)])
        // A late span makes trace 1 the longest.
        store.insert(resolved([F.span(F.traceID(1), 2, parent: 1, "late", start: 0.5, end: 5)]))
        #expect(store.slowest().map(\.id) == [F.traceID(1), F.traceID(2)])
    }

    @Test func failedList_newestFirst_errorsAndAborts() {
        var store = RequestStore()
        let ok = F.span(F.traceID(1), 1, "a", start: 0, end: 1)
        let error = F.span(F.traceID(2), 1, "a", start: 0, end: 1, status: SpanStatus(code: .error, message: "timeout"))
        let abort = F.llmRequest(
            F.traceID(3), 1, start: 0, queue: 0.1, prefill: 0.1, decode: 0.1, node: nil,
            finishReason: "abort")
        store.insert(resolved([ok, error, abort]))
        #expect(store.failed().map(\.id) == [F.traceID(3), F.traceID(2)])
        #expect(store[F.traceID(2)]?.statusText == "error: timeout")
        #expect(store[F.traceID(3)]?.statusText == "abort")
        #expect(store[F.traceID(1)]?.statusText == "ok")
        #expect(store.slowestAndFailed().map(\.id) == [F.traceID(3), F.traceID(2), F.traceID(1)])
    }

    @Test func lookups_byTraceIDPrefix_modelAndNode() {
        var store = RequestStore()
        let (router, engine) = twoNodeTrace(1)
        let other = F.llmRequest(
            F.traceID(2), 1, start: 0, queue: 0.1, prefill: 0.1, decode: 0.1, node: "node-01",
            model: "llama-70b")
        store.insert(resolved([router, engine, other]))
        let hex = router.traceID.hex
        #expect(store.traces(withPrefix: String(hex.prefix(20))).map(\.id) == [router.traceID])
        #expect(store.traces(withPrefix: hex.uppercased()).count == 1)
        #expect(store.traces(withPrefix: String(hex.prefix(1))).contains { $0.id == router.traceID })
        #expect(store.traces(withPrefix: "xyz").isEmpty)
        #expect(store.requests(model: "llama-70b").map(\.id) == [F.traceID(2)])
        #expect(store.requests(node: "node-02").map(\.id) == [router.traceID])
        #expect(store.requests(node: "node-01").count == 2)
    }

    @Test func tracePrefix_masksTheRightBits() throws {
        let id = try #require(TraceID(hex: "4bf92f3577b34da6a3ce929d0e0e4736"))
        for n in [1, 7, 15, 16, 17, 31, 32] {
            let hex = String(id.hex.prefix(n))
            #expect(TracePrefix(hex)?.matches(id) == true, "\(hex)")
        }
        #expect(TracePrefix("4bf92f3577b34da6a3ce929d0e0e4737")?.matches(id) == false)
        #expect(TracePrefix("4bf92f3577b34da6a4")?.matches(id) == false)
        #expect(TracePrefix("") == nil)
    }

    @Test func clusterState_appliesSpansAndStorageFromDeltas() throws {
        var state = CoreFixtures.state(nodes: 2, gpus: 8)
        let (router, engine) = twoNodeTrace(1)
        var first = ClusterDelta(sequence: 1, time: 1)
        first.spans = [engine]
        first.spanStorage = ["node-02": SpanStorageStatus(stored: 10, capacity: 10, accepted: 50, dropped: 40)]
        state.apply(first)
        var second = ClusterDelta(sequence: 2, time: 2)
        second.spans = [router]
        second.spanStorage = ["node-01": SpanStorageStatus(stored: 1, capacity: 10, accepted: 1, dropped: 2)]
        state.apply(second)
        #expect(state.requests[router.traceID]?.spans.count == 2)
        #expect(state.spansDropped == 42)
        #expect(state.requests.latency.summary(replica: ReplicaID(model: "llama-405b", index: 1))?.count == 1)
        let copy = state.rebuilt(topology: state.topology, replicas: state.replicas)
        #expect(copy.requests.count == 1 && copy.spanStorage.count == 2, "a rebuilt state keeps its requests")
        let waterfall = try #require(state.waterfall(router.traceID))
        #expect(waterfall.rows.count == 5)
    }
}
