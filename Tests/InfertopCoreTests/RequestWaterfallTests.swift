import InfertopTestSupport
import Testing

@testable import InfertopCore

@Suite struct RequestWaterfallTests {
    typealias F = RequestFixtures
    let t = F.traceID(42)

    /// Two H100 nodes, llama-405b/0 on node-01 and /1 on node-02, KV use as given, floor 7.6 ms.
    func cluster(kv: Double = 0.5) -> ClusterState {
        var state = CoreFixtures.state(nodes: 2, gpus: 8)
        state.apply(CoreFixtures.delta(state, time: 1, kv: kv))
        return state
    }

    func waterfall(_ spans: [Span], in state: ClusterState) throws -> RequestWaterfall {
        var state = state
        var delta = ClusterDelta(sequence: 9, time: state.time)
        delta.spans = spans
        state.apply(delta)
        return try #require(state.waterfall(spans[0].traceID))
    }

    func router(end: Double = 3) -> Span {
        F.span(t, 1, "router", kind: .server, start: 0, end: end, node: "node-01", service: "router")
    }

    @Test func queueBehindAFullKVCache_isNamed() throws {
        let engine = F.llmRequest(
            t, 2, parent: 1, start: 0.01, queue: 2.112, prefill: 0.1, decode: 0.5, node: "node-02",
            replica: "llama-405b/1")
        let w = try waterfall([router(), engine], in: cluster(kv: 0.99))
        #expect(w.gap?.text == "2.1 s queued on node-02 llama-405b/1 (KV cache full)")
        #expect(w.gap?.kind == .stage(.queue))
        let row = try #require(w.gap?.row)
        #expect(w.rows[row].name == "queue" && w.rows[row].depth == 2)
        #expect(w.rows.map(\.name) == ["router", "llm_request", "queue", "prefill", "decode"])
        #expect(w.rows[1].gpus == "gpu0-7" && w.rows[1].node == "node-02")
        #expect(w.rows.allSatisfy { $0.isCritical }, "one chain: every row is on the path")
    }

    @Test func longDecode_isComparedWithTheFloor() throws {
        let engine = F.llmRequest(
            t, 2, parent: 1, start: 0.01, queue: 0.05, prefill: 0.1, decode: 1.41, node: "node-02",
            replica: "llama-405b/1", completionTokens: 48)
        let w = try waterfall([router(end: 1.6), engine], in: cluster())
        // 1.41 s over 47 tokens is 30 ms a token, against the sampled 7.6 ms floor.
        #expect(w.gap?.text == "1.4 s decode on node-02 llama-405b/1 (x3.9 the floor)")
    }

    @Test func timeWithNoSpan_isNamedBetweenItsNeighbours() throws {
        let engine = F.llmRequest(
            t, 2, parent: 1, start: 0.6, queue: 0.05, prefill: 0.1, decode: 0.2, tail: 0, node: "node-02",
            replica: "llama-405b/1")
        let w = try waterfall([router(end: 0.95), engine], in: cluster())
        #expect(w.gap?.text == "600 ms between router and llm_request on node-01 (no span)")
        #expect(w.gap?.kind == .uncovered)
        #expect(w.rows[0].critical == [F.nanos(0)..<F.nanos(0.6)])
    }

    @Test func timeWithNoSpan_blamesAnErroringPort() throws {
        var state = cluster()
        var delta = ClusterDelta(sequence: 2, time: 1)
        delta.ports = [
            PortSample(
                node: "node-01", port: "mlx5_0", time: 1, state: .active, txBytesPerSecond: 0,
                rxBytesPerSecond: 0, rateBytesPerSecond: 50e9, errorsPerSecond: 12)
        ]
        state.apply(delta)
        let engine = F.llmRequest(
            t, 2, parent: 1, start: 0.6, queue: 0.05, prefill: 0.1, decode: 0.2, tail: 0, node: "node-02",
            replica: "llama-405b/1")
        let w = try waterfall([router(end: 0.95), engine], in: state)
        #expect(w.gap?.text == "600 ms between router and llm_request on node-01 (mlx5_0 erroring on node-01)")
    }

    /// The gap line names the hardware fault on screen on the gap's node, beside its own reason.
    @Test func slowDecode_namesTheThrottledGPUOnItsNode() throws {
        let state = cluster(throttling: GPUID(node: "node-02", index: 5))
        #expect(
            try slowDecodeGap(in: state) == "1.4 s decode on node-02 llama-405b/1 (x3.9 the floor · gpu5 throttled)")
    }

    @Test func slowDecode_namesTheDegradedNVLinkOnItsNode() throws {
        var state = cluster()
        var delta = ClusterDelta(sequence: 3, time: 2)
        delta.fabricLinks = [
            FabricLinkSample(
                node: "node-02", gpu: 4, peer: 5, time: 2, bytesPerSecond: 1e9, capacityBytesPerSecond: 450e9,
                linksUp: 3, linksTotal: 7, errorsPerSecond: 0)
        ]
        state.apply(delta)
        #expect(
            try slowDecodeGap(in: state)
                == "1.4 s decode on node-02 llama-405b/1 (x3.9 the floor · NVLink gpu4-gpu5 3/7 lanes)")
    }

    @Test func aFaultOnAnotherNode_isNotNamed() throws {
        let state = cluster(throttling: GPUID(node: "node-01", index: 5))
        #expect(try slowDecodeGap(in: state) == "1.4 s decode on node-02 llama-405b/1 (x3.9 the floor)")
    }

    /// The cluster with one GPU held at 1,100 MHz by a thermal slowdown.
    func cluster(throttling gpu: GPUID) -> ClusterState {
        var state = cluster()
        var delta = CoreFixtures.delta(state, time: 2, kv: 0.5)
        if let i = delta.gpuSamples.firstIndex(where: { $0.gpu == gpu }) {
            delta.gpuSamples[i].throttle = .hwThermal
            delta.gpuSamples[i].smClockMHz = 1_100
        }
        state.apply(delta)
        return state
    }

    /// The gap line of a request whose 1.41 s decode on node-02 is its biggest gap.
    func slowDecodeGap(in state: ClusterState) throws -> String? {
        let engine = F.llmRequest(
            t, 2, parent: 1, start: 0.01, queue: 0.05, prefill: 0.1, decode: 1.41, node: "node-02",
            replica: "llama-405b/1", completionTokens: 48)
        return try waterfall([router(end: 1.6), engine], in: state).gap?.text
    }

    @Test func criticalPath_walksBackFromTheLatestEndingChild() throws {
        let spans = [
            F.span(t, 1, "parent", start: 0, end: 10, node: "node-01"),
            F.span(t, 2, parent: 1, "a", start: 1, end: 4, node: "node-01"),
            F.span(t, 3, parent: 1, "b", start: 2, end: 9, node: "node-02"),
            F.span(t, 4, parent: 1, "c", start: 5, end: 7, node: "node-02")
        ]
        let w = try waterfall(spans, in: cluster())
        let byName = Dictionary(uniqueKeysWithValues: w.rows.map { ($0.name, $0) })
        #expect(w.rows.map(\.name) == ["parent", "a", "b", "c"], "children by start")
        #expect(byName["b"]?.critical == [F.nanos(2)..<F.nanos(9)])
        #expect(byName["a"]?.isCritical == false, "overlaps b, which ends later")
        #expect(byName["c"]?.isCritical == false, "ran inside b")
        #expect(byName["parent"]?.critical == [F.nanos(0)..<F.nanos(2), F.nanos(9)..<F.nanos(10)])
        #expect(w.gap?.text == "7.0 s in b on node-02")
    }

    @Test func orphan_showsAtTopLevel_untilItsParentArrives() throws {
        let engine = F.llmRequest(
            t, 2, parent: 1, start: 0.01, queue: 0.1, prefill: 0.1, decode: 0.5, node: "node-02",
            replica: "llama-405b/1")
        let alone = try waterfall([engine], in: cluster())
        #expect(alone.rows[0].isOrphan && alone.rows[0].depth == 0)
        let joined = try waterfall([engine, router()], in: cluster())
        #expect(joined.rows.map(\.name).prefix(2) == ["router", "llm_request"])
        #expect(!joined.rows.contains { $0.isOrphan })
    }

    @Test func severalRoots_gapBetweenThemHasNoSpan() throws {
        let spans = [
            F.span(t, 1, "prefill_pool", start: 0, end: 0.3, node: "node-01"),
            F.span(t, 2, "decode_pool", start: 0.9, end: 1.2, node: "node-02")
        ]
        let w = try waterfall(spans, in: cluster())
        #expect(w.rows.map(\.depth) == [0, 0])
        #expect(w.gap?.text == "600 ms between prefill_pool and decode_pool (no span)")
        #expect(w.gap?.row == nil)
    }

    @Test func parentCycle_isBrokenIntoAnOrphan() throws {
        let spans = [
            F.span(t, 1, parent: 2, "x", start: 0, end: 1),
            F.span(t, 2, parent: 1, "y", start: 0.2, end: 0.8)
        ]
        let w = try waterfall(spans, in: cluster())
        #expect(w.rows.count == 2)
        #expect(w.rows.filter(\.isOrphan).count == 1)
        #expect(w.rows.map(\.depth).sorted() == [0, 1])
    }

    @Test func lostNode_isTheReason() throws {
        var state = CoreFixtures.state(nodes: 2, gpus: 8)
        state.apply(CoreFixtures.delta(state, time: 1, kv: 0.3))
        var later = CoreFixtures.delta(state, time: 20, kv: 0.3)
        later.gpuSamples.removeAll { $0.gpu.node == "node-02" }
        state.apply(later)
        let engine = F.llmRequest(
            t, 2, parent: 1, start: 0.01, queue: 2, prefill: 0.1, decode: 0.5, node: "node-02",
            replica: "llama-405b/1")
        let w = try waterfall([router(), engine], in: state)
        #expect(w.gap?.text == "2.0 s queued on node-02 llama-405b/1 (node-02 lost)")
    }
}
