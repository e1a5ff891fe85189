import InfertopTestSupport
import Testing

@testable import InfertopCore

/// vLLM's `llm_request` span (DATASOURCES.md §5) becomes queue, prefill and decode phases.
@Suite struct EngineStagesTests {
    /// The span exactly as vLLM's V1 engine sends it: SERVER, start = arrival, float seconds.
    func vllmSpan(queue: Double, prefill: Double, decode: Double, e2e: Double) -> Span {
        Span(
            traceID: TraceID(high: 1, low: 2), spanID: SpanID(7), name: "llm_request", kind: .server,
            startNanos: 1_000_000_000, endNanos: 1_000_000_000 + UInt64(e2e * 1e9), service: "vllm",
            attributes: [
                "gen_ai.request.id": .string("cmpl-1"),
                "gen_ai.usage.prompt_tokens": .int(812),
                "gen_ai.usage.completion_tokens": .int(101),
                "gen_ai.latency.time_in_queue": .double(queue),
                "gen_ai.latency.time_to_first_token": .double(queue + prefill),
                "gen_ai.latency.e2e": .double(e2e),
                "gen_ai.latency.time_in_model_prefill": .double(prefill),
                "gen_ai.latency.time_in_model_decode": .double(decode),
                "gen_ai.latency.time_in_model_inference": .double(prefill + decode)
            ])
    }

    @Test func llmRequest_becomesQueuePrefillDecode_backToBackFromArrival() {
        let span = vllmSpan(queue: 0.212, prefill: 0.0875, decode: 1.4, e2e: 1.7025)
        let stages = EngineStages.stages(of: span)
        #expect(stages.map(\.kind) == [.queue, .prefill, .decode])
        #expect(stages.map(\.durationNanos) == [212_000_000, 87_500_000, 1_400_000_000])
        #expect(stages[0].startNanos == span.startNanos)
        #expect(stages[1].startNanos == stages[0].endNanos)
        #expect(stages[2].startNanos == stages[1].endNanos)
        #expect(stages[2].endNanos == span.startNanos + 1_699_500_000)
    }

    @Test func timings_readTheSameAttributes() throws {
        let t = try #require(RequestTimings(span: vllmSpan(queue: 0.2, prefill: 0.1, decode: 3.0, e2e: 3.31)))
        #expect(t.queueSeconds == 0.2)
        #expect(abs((t.ttftSeconds ?? 0) - 0.3) < 1e-12)
        #expect(t.e2eSeconds == 3.31)
        #expect(t.completionTokens == 101)
        #expect(abs((t.itlSeconds ?? 0) - 0.03) < 1e-12, "decode over the 100 tokens after the first")
    }

    @Test func ttft_fallsBackToQueuePlusPrefill() throws {
        var span = vllmSpan(queue: 0.5, prefill: 0.25, decode: 1, e2e: 1.8)
        span.attributes["gen_ai.latency.time_to_first_token"] = nil
        #expect(try #require(RequestTimings(span: span)).ttftSeconds == 0.75)
    }

    @Test func phasesPastTheSpanEnd_areCut() {
        let span = vllmSpan(queue: 0.5, prefill: 0.5, decode: 5, e2e: 2)
        let stages = EngineStages.stages(of: span)
        #expect(stages.map(\.durationNanos) == [500_000_000, 500_000_000, 1_000_000_000])
        #expect(stages.last?.endNanos == span.endNanos)
    }

    @Test func otherSpans_haveNoPhases() {
        var span = vllmSpan(queue: 0.1, prefill: 0.1, decode: 0.1, e2e: 0.3)
        span.name = "router"
        #expect(EngineStages.stages(of: span).isEmpty)
        span.name = "llm_request"
        span.kind = .client
        #expect(EngineStages.stages(of: span).isEmpty)
        let plain = Span(traceID: TraceID(high: 1, low: 1), spanID: SpanID(1), name: "x", startNanos: 0, endNanos: 5)
        #expect(RequestTimings(span: plain) == nil)
    }

    @Test func zeroQueue_leavesTheQueuePhaseOut() {
        let stages = EngineStages.stages(of: vllmSpan(queue: 0, prefill: 0.1, decode: 0.2, e2e: 0.3))
        #expect(stages.map(\.kind) == [.prefill, .decode])
    }

    @Test func finishReason_abortOrError_isAFailure() {
        var span = vllmSpan(queue: 0, prefill: 0.1, decode: 0.2, e2e: 0.3)
        span.attributes["gen_ai.response.finish_reasons"] = .string("[\"stop\"]")
        #expect(span.finishReason == "stop" && !span.isFailedRequest)
        span.attributes["gen_ai.response.finish_reasons"] = .string("[\"abort\"]")
        #expect(span.isFailedRequest && span.failureText == "abort")
        span.attributes["gen_ai.response.finish_reasons"] = nil
        span.status = SpanStatus(code: .error, message: "boom")
        #expect(span.failureText == "error: boom")
    }
}
