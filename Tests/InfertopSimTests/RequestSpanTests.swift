import InfertopCore
import Testing

@testable import InfertopSim

/// The spans of simulated requests: shaped as router → vLLM `llm_request` → pipeline hop and
/// stage, with vLLM's attribute names and units, consistent timings, replayable and bounded.
@Suite struct RequestSpanTests {
    static let engineKeys: Set<String> = [
        SpanAttributeKey.requestID, SpanAttributeKey.responseModel, SpanAttributeKey.promptTokens,
        SpanAttributeKey.completionTokens, SpanAttributeKey.timeInQueue, SpanAttributeKey.timeToFirstToken,
        SpanAttributeKey.e2e, SpanAttributeKey.prefill, SpanAttributeKey.decode, SpanAttributeKey.inference,
        SpanAttributeKey.finishReasons, SpanAttributeKey.replica, SpanAttributeKey.gpus
    ]

    @Test func everyTrace_isRouterThenEngineThenPipelineStages() throws {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7))
        let all = spans(of: cluster, to: 30)
        let epoch = SimulationConfig.defaultSpanEpochNanos
        #expect(Set(all.map(\.spanID)).count == all.count, "span ids must be unique")
        #expect(all.allSatisfy { $0.spanID.value != 0 && ($0.traceID.high != 0 || $0.traceID.low != 0) })
        let traces = Dictionary(grouping: all, by: \.traceID)
        #expect(traces.count > 1500, "the default cluster finishes about 100 requests a second")
        var pipelined = 0
        for (_, trace) in traces {
            let root = try #require(trace.first)
            #expect(root.isRoot && root.name == "router" && root.kind == .server && root.service == "router")
            let engine = try #require(trace.first { $0.name == "llm_request" })
            let replicaText = try #require(engine.attributes[SpanAttributeKey.replica]?.text)
            let replica = try #require(cluster.replicas.first { $0.id.description == replicaText })
            #expect(trace.filter(\.isRoot).count == 1)
            #expect(root.node == replica.nodes[0] && engine.node == replica.nodes[0])
            #expect(root.attributes[SpanAttributeKey.requestModel] == .string(replica.model.name))
            #expect(root.attributes[SpanAttributeKey.requestID] == engine.attributes[SpanAttributeKey.requestID])

            // vLLM's llm_request: SERVER, from arrival to finish, float seconds and integer token counts.
            #expect(engine.parentSpanID == root.spanID && engine.kind == .server && engine.service == "vllm")
            #expect(engine.startNanos == root.startNanos && engine.endNanos == root.endNanos)
            #expect(engine.startNanos >= epoch && engine.endNanos <= epoch + 30_000_000_000)
            #expect(Set(engine.attributes.keys) == Self.engineKeys)
            #expect(engine.status == SpanStatus())
            let a = engine.attributes
            guard case .int(let prompt) = a[SpanAttributeKey.promptTokens],
                case .int(let completion) = a[SpanAttributeKey.completionTokens],
                case .double(let queue) = a[SpanAttributeKey.timeInQueue],
                case .double(let ttft) = a[SpanAttributeKey.timeToFirstToken],
                case .double(let prefill) = a[SpanAttributeKey.prefill],
                case .double(let decode) = a[SpanAttributeKey.decode],
                case .double(let inference) = a[SpanAttributeKey.inference],
                case .double(let e2e) = a[SpanAttributeKey.e2e]
            else {
                Issue.record("wrong attribute types: \(a)")
                continue
            }
            #expect(prompt >= 16 && completion >= 2)
            #expect(queue >= 0 && prefill > 0 && decode >= 0)
            #expect(abs(queue + prefill - ttft) < 1e-9, "queue + prefill = ttft")
            #expect(abs(prefill + decode - inference) < 1e-9, "prefill + decode = inference")
            #expect(abs(queue + inference - e2e) < 1e-9, "queue + inference = e2e")
            #expect(abs(e2e - engine.durationSeconds) < 2e-9, "e2e = end - start")
            #expect(["stop", "length"].contains(a[SpanAttributeKey.finishReasons]?.text ?? ""))
            let gpusHere = replica.shards.filter { $0.gpu.node == replica.nodes[0] }.map(\.gpu.index)
            #expect(a[SpanAttributeKey.gpus] == .string(GPUList.text(gpusHere)))
            #expect(a[SpanAttributeKey.requestID]?.text?.hasPrefix("chatcmpl-") == true)

            let rest = trace.filter { $0.name != "router" && $0.name != "llm_request" }
            guard replica.pipelineParallel > 1 else {
                #expect(rest.isEmpty, "a single-node replica has no pipeline spans")
                continue
            }
            pipelined += 1
            let send = try #require(rest.first { $0.name == "pp send" })
            let stage = try #require(rest.first { $0.name == "pp stage 1" })
            #expect(rest.count == 2)
            let scheduled = engine.startNanos + UInt64((queue * 1e9).rounded())
            #expect(send.kind == .client && send.parentSpanID == engine.spanID && send.node == replica.nodes[0])
            #expect(send.attributes["server.address"] == .string(replica.nodes[1].name))
            #expect(abs(Int64(bitPattern: send.startNanos &- scheduled)) <= 1)
            #expect(stage.parentSpanID == engine.spanID && stage.node == replica.nodes[1])
            #expect(abs(Int64(bitPattern: stage.startNanos &- scheduled)) <= 1 && stage.endNanos == engine.endNanos)
            #expect(stage.attributes[SpanAttributeKey.gpus] == .string("0-7"))
            // Healthy hops: 40 µs each, one per engine step.
            let hops = try #require(send.attributes["infertop.pp.hops"]?.number)
            #expect(hops >= Double(completion - 1) * 0.9)
            #expect(abs(send.durationSeconds / hops - 40e-6) < 2e-6)
        }
        // The four TP8xPP2 replicas take 9.2 of the ~100 requests a second, each about 17 s long.
        #expect(pipelined > 60, "\(pipelined) pipelined requests")
    }

    @Test func spansPerSimulatedSecond_matchTheCalibratedLoad() {
        // 8 replicas of 405B at 2.3 req/s, 8 of 70B at 4, 8 of 8B at 7: about 106 req/s at the mean load.
        let all = spans(of: SimulatedCluster(config: SimulationConfig(seed: 11)), to: 40)
        let late = all.filter { $0.startNanos >= SimulationConfig.defaultSpanEpochNanos + 10_000_000_000 }
        let requestsPerSecond = Double(late.filter { $0.name == "router" }.count) / 30
        #expect(requestsPerSecond > 60 && requestsPerSecond < 160, "\(requestsPerSecond) requests/s")
        let perRequest = Double(all.count) / Double(all.filter { $0.name == "router" }.count)
        // Router and engine spans for every request, two more for those of the four PP2 replicas.
        #expect(perRequest > 2.03 && perRequest < 2.5, "\(perRequest) spans per request")
    }

    @Test func sameSeed_sameSpans_howeverOftenTheyAreTaken() {
        let config = SimulationConfig(seed: 3, nodes: 4)
        let everySecond = spans(of: SimulatedCluster(config: config), to: 20)
        let once = SimulatedCluster(config: config)
        for t in 1...20 { once.advance(to: Double(t)) }
        #expect(!everySecond.isEmpty)
        let taken = once.takeFinishedSpans()
        #expect(taken.count == everySecond.count)
        #expect(taken == everySecond, "taking later must not change a span")
        let other = spans(of: SimulatedCluster(config: SimulationConfig(seed: 4, nodes: 4)), to: 20)
        #expect(Set(other.map(\.traceID)).isDisjoint(with: everySecond.map(\.traceID)))
    }

    @Test func epoch_shiftsEveryTimestamp() {
        let base = spans(of: SimulatedCluster(config: SimulationConfig(seed: 5, nodes: 2)), to: 15)
        let shifted = spans(
            of: SimulatedCluster(config: SimulationConfig(seed: 5, nodes: 2, spanEpochNanos: 42)), to: 15)
        let delta = SimulationConfig.defaultSpanEpochNanos - 42
        #expect(!base.isEmpty && base.count == shifted.count)
        #expect(
            zip(base, shifted).allSatisfy {
                $0.startNanos - $1.startNanos == delta && $0.endNanos - $1.endNanos == delta
            })
    }

    @Test func buffer_keepsTheNewestWithinItsCapacityAndCountsTheRest() {
        let unbounded = spans(of: SimulatedCluster(config: SimulationConfig(seed: 9)), to: 20)
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 9, spanBufferCapacity: 300))
        for t in 1...20 { cluster.advance(to: Double(t)) }
        #expect(cluster.bufferedSpanCount <= 300 && cluster.bufferedSpanCount > 290)
        let held = cluster.bufferedSpanCount
        let taken = cluster.takeFinishedSpans()
        #expect(taken.count == held)
        #expect(cluster.droppedSpanCount == UInt64(unbounded.count - taken.count))
        #expect(unbounded.count > 1000)
        #expect(Array(unbounded.suffix(taken.count)).map(\.spanID) == taken.map(\.spanID), "the oldest go first")
        #expect(cluster.bufferedSpanCount == 0 && cluster.takeFinishedSpans().isEmpty)

        let off = SimulatedCluster(config: SimulationConfig(seed: 9, spanBufferCapacity: 0))
        off.advance(to: 5)
        #expect(off.takeFinishedSpans().isEmpty && off.droppedSpanCount == 0)
        #expect(off.engines.allSatisfy { $0.finished.isEmpty })
    }

    @Test func gpuList_writesRunsAndSingles() {
        #expect(GPUList.text(Array(0...7)) == "0-7")
        #expect(GPUList.text([7, 4, 5, 6]) == "4-7")
        #expect(GPUList.text([3]) == "3")
        #expect(GPUList.text([0, 2, 5]) == "0,2,5")
    }
}
