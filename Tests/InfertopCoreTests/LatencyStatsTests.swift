import InfertopTestSupport
import Testing

@testable import InfertopCore

@Suite struct LatencyStatsTests {
    let replica = ReplicaID(model: "llama-405b", index: 2)

    func timings(e2e: Double, ttft: Double? = nil, decode: Double? = nil, tokens: Int? = nil) -> RequestTimings {
        RequestTimings(decodeSeconds: decode, ttftSeconds: ttft, e2eSeconds: e2e, completionTokens: tokens)
    }

    func near(_ a: Double?, _ b: Double, within share: Double = 0.01) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= b * share
    }

    @Test func percentiles_ofKnownInputs() throws {
        var stats = LatencyStats()
        for ms in 1...100 {
            stats.record(
                timings(e2e: Double(ms) / 1000, ttft: Double(ms) / 10_000), model: "llama-405b",
                replica: replica, endNanos: 5_000_000_000)
        }
        stats.refresh()
        let s = try #require(stats.summary(model: "llama-405b"))
        #expect(s.count == 100)
        let e2e = try #require(s.e2e)
        #expect(near(e2e.p50, 0.050) && near(e2e.p90, 0.090) && near(e2e.p99, 0.099), "\(e2e)")
        #expect(near(s.ttft?.p99, 0.0099))
        #expect(s.itl == nil, "no decode figures recorded")
        #expect(stats.summary(replica: replica) == s)
        #expect(stats.models == ["llama-405b"] && stats.replicasByModel["llama-405b"] == [replica])
    }

    @Test func itl_isDecodeOverTheTokensAfterTheFirst() throws {
        var stats = LatencyStats()
        stats.record(timings(e2e: 2, decode: 1.0, tokens: 101), model: "m", replica: nil, endNanos: 1)
        stats.refresh()
        let s = try #require(stats.summary(model: "m"))
        #expect(near(s.itl?.p50, 0.010))
        #expect(s.floorRatio(floorSeconds: 0.005).map { near($0, 2) } == true)
        #expect(stats.byReplica.isEmpty)
    }

    @Test func window_slidesWithTheNewestEndTime() throws {
        var stats = LatencyStats(sliceSeconds: 10, sliceCount: 6)
        let second: UInt64 = 1_000_000_000
        for i in 0..<5 {
            stats.record(timings(e2e: 1), model: "old", replica: nil, endNanos: UInt64(i) * second)
        }
        stats.record(timings(e2e: 3), model: "new", replica: nil, endNanos: 30 * second)
        stats.refresh()
        #expect(stats.summary(model: "old")?.count == 5, "still inside the minute")
        stats.record(timings(e2e: 3), model: "new", replica: nil, endNanos: 59 * second)
        stats.refresh()
        #expect(stats.summary(model: "old")?.count == 5, "slice [0, 10) is still the oldest of six")
        stats.record(timings(e2e: 3), model: "new", replica: nil, endNanos: 60 * second)
        stats.refresh()
        #expect(stats.summary(model: "old") == nil, "expired once the newest end moved into slice 6")
        #expect(stats.models == ["new"])
        #expect(stats.summary(model: "new")?.count == 3)
        stats.record(timings(e2e: 1), model: "new", replica: nil, endNanos: 2 * second)
        #expect(stats.lateSamples == 1)
    }

    @Test func slotReuse_resetsTheOldSlice() throws {
        var stats = LatencyStats(sliceSeconds: 1, sliceCount: 2)
        let second: UInt64 = 1_000_000_000
        stats.record(timings(e2e: 9), model: "m", replica: nil, endNanos: 0)
        stats.record(timings(e2e: 1), model: "m", replica: nil, endNanos: 2 * second)
        stats.refresh()
        let s = try #require(stats.summary(model: "m"))
        #expect(s.count == 1)
        #expect(near(s.e2e?.p99, 1))
    }

    @Test func store_recordsEngineSpansUnderModelAndReplica() {
        let state = CoreFixtures.state(nodes: 2, gpus: 8)
        var store = RequestStore()
        let spans = (0..<10).map { i in
            RequestFixtures.llmRequest(
                RequestFixtures.traceID(UInt64(i)), 1, start: Double(i), queue: 0.1, prefill: 0.2,
                decode: 1.27, node: "node-02", model: "llama-405b", completionTokens: 128)
        }
        store.insert(spans.map { ReplicaResolver.resolve($0, in: state) })
        let s = store.latency.summary(replica: ReplicaID(model: "llama-405b", index: 1))
        #expect(s?.count == 10)
        #expect(near(s?.itl?.p50, 0.01))
        #expect(near(s?.ttft?.p50, 0.3))
    }
}
