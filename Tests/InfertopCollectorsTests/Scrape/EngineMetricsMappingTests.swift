import InfertopCollectors
import Testing

@Suite("Engine /metrics mapping")
struct EngineMetricsMappingTests {
    private let llama = "meta-llama/Llama-3.1-70B-Instruct"

    @Test func vllmFirstScrapeUsesCumulativeHistograms() throws {
        var mapping = EngineMetricsMapping(kind: .vllm)
        let engines = mapping.engineReadings(try MetricsFixtures.document("vllm.txt"), at: 100)
        #expect(engines.count == 1)
        let e = try #require(engines.first)
        #expect(e.model == llama && e.engine == "vllm")
        #expect(e.runningRequests == 12 && e.waitingRequests == 3)
        #expect(e.kvUsage == 0.4231)
        #expect(e.kvBlocks == 38912 && e.kvBlockSizeTokens == 16)
        #expect(e.preemptionsPerSecond == nil && e.promptTokensPerSecond == nil && e.requestsPerSecond == nil)
        #expect(close(e.ttftP50Seconds, 0.08))
        #expect(close(e.ttftP99Seconds, 0.5))
        #expect(close(e.itlP50Seconds, 0.025 + 0.025 * 30_000 / 70_000))  // ITL, not the deprecated TPOT
        #expect(close(e.itlP99Seconds, 0.075))
    }

    @Test func vllmSecondScrapeGivesRatesAndIntervalQuantiles() throws {
        var mapping = EngineMetricsMapping(kind: .vllm)
        _ = mapping.engineReadings(try MetricsFixtures.document("vllm.txt"), at: 100)
        let e = try #require(mapping.engineReadings(try MetricsFixtures.document("vllm-10s-later.txt"), at: 110).first)
        #expect(e.runningRequests == 14 && e.waitingRequests == 5)
        #expect(e.kvUsage == 0.5123)
        #expect(close(e.preemptionsPerSecond, 0.5))
        #expect(close(e.promptTokensPerSecond, 2500))
        #expect(close(e.generationTokensPerSecond, 1200))
        #expect(close(e.requestsPerSecond, 10))  // stop + length + abort
        // Only the 100 requests of the last 10 s, which were slow: 60 in (0.75, 1], 40 in (1, 2.5].
        #expect(close(e.ttftP50Seconds, 0.75 + 0.25 * 50 / 60))
        #expect(close(e.ttftP99Seconds, 1 + 1.5 * 39 / 40))
        #expect(close(e.itlP50Seconds, 0.05))
        #expect(close(e.itlP99Seconds, 0.075 + 0.025 * 0.9))
    }

    @Test func vllmDeprecatedKVNameAndPercentValues() {
        var mapping = EngineMetricsMapping(kind: .vllm)
        let old = PrometheusText.parse(#"vllm:gpu_cache_usage_perc{model_name="m",engine="0"} 0.25"#)
        #expect(mapping.engineReadings(old, at: 0).first?.kvUsage == 0.25)
        let percent = PrometheusText.parse(#"vllm:kv_cache_usage_perc{model_name="m",engine="0"} 42.0"#)
        #expect(close(mapping.engineReadings(percent, at: 1).first?.kvUsage, 0.42))
    }

    @Test func dataParallelEnginesAreSummed() {
        let doc = PrometheusText.parse(
            """
            vllm:num_requests_running{model_name="m",engine="0"} 3
            vllm:num_requests_running{model_name="m",engine="1"} 4
            vllm:kv_cache_usage_perc{model_name="m",engine="0"} 0.2
            vllm:kv_cache_usage_perc{model_name="m",engine="1"} 0.4
            vllm:cache_config_info{block_size="16",engine="0",num_gpu_blocks="1000"} 1.0
            vllm:cache_config_info{block_size="16",engine="1",num_gpu_blocks="1200"} 1.0
            """)
        var mapping = EngineMetricsMapping(kind: .vllm)
        let e = mapping.engineReadings(doc, at: 0).first
        #expect(e?.runningRequests == 7)
        #expect(close(e?.kvUsage, 0.3))
        #expect(e?.kvBlocks == 1200)
    }

    @Test func bindingOptionsFilterRenameAndSetGPUs() throws {
        let doc = try MetricsFixtures.document("vllm.txt")
        var bound = EngineMetricsMapping(kind: .vllm, servedModel: llama, reportAs: "llama-70b", gpus: [0, 1, 2, 3])
        let e = bound.engineReadings(doc, at: 0)
        #expect(e.map(\.model) == ["llama-70b"] && e.first?.gpus == [0, 1, 2, 3])
        var other = EngineMetricsMapping(kind: .vllm, servedModel: "another-model")
        #expect(other.engineReadings(doc, at: 0).isEmpty)
    }

    @Test func sglangCountsTensorParallelCopiesOnce() throws {
        var mapping = EngineMetricsMapping(kind: .sglang)
        let doc = try MetricsFixtures.document("sglang.txt")
        let e = try #require(mapping.engineReadings(doc, at: 0).first)
        #expect(e.model == "Qwen/Qwen2.5-32B-Instruct" && e.engine == "sglang")
        #expect(e.runningRequests == 24 && e.waitingRequests == 2)  // tp_rank 0 and 1 both report 24
        #expect(e.kvUsage == 0.61)
        #expect(e.kvBlocks == 490_000 && e.kvBlockSizeTokens == 1)
        #expect(close(e.ttftP50Seconds, 0.1 + 0.1 * 1060 / 2000))
        #expect(close(e.ttftP99Seconds, 0.4 + 0.2 * (0.99 * 4120 - 3900) / 180))
        #expect(close(e.itlP50Seconds, 0.02 + 0.005 * 100_000 / 1_100_000))
        #expect(close(e.itlP99Seconds, 0.025 + 0.005 * (0.99 * 2_200_000 - 2_100_000) / 90_000))

        var later = doc
        later.samples = doc.samples.map { sample in
            var s = sample
            if s.name == "sglang:num_retracted_requests_total" { s.value = 8 }  // +5 on every rank
            if s.name == "sglang:generation_tokens_total" { s.value += 4000 }
            return s
        }
        let next = try #require(mapping.engineReadings(later, at: 5).first)
        #expect(close(next.preemptionsPerSecond, 1))  // not 2: rank copies count once
        #expect(close(next.generationTokensPerSecond, 800))
        #expect(next.ttftP50Seconds == nil)  // no requests in the interval
    }

    @Test func tensorRTLLM() throws {
        var mapping = EngineMetricsMapping(kind: .tensorrtLLM)
        let e = try #require(mapping.engineReadings(try MetricsFixtures.document("tensorrt-llm.txt"), at: 0).first)
        #expect(e.model == "llama-3.1-8b-instruct" && e.engine == "tensorrt-llm")
        #expect(e.runningRequests == 31 && e.waitingRequests == 0)
        #expect(e.kvUsage == 0.355)
        #expect(e.kvBlocks == 21845 && e.kvBlockSizeTokens == nil)
        #expect(close(e.ttftP50Seconds, 0.02 + 0.02 * (0.5 * 9117 - 2000) / 5000))
        #expect(close(e.ttftP99Seconds, 0.06 + 0.02 * (0.99 * 9117 - 8800) / 250))
        #expect(close(e.itlP50Seconds, 0.01 * (0.5 * 9117) / 8000))
    }

    @Test func tensorRTLLMUsageFromBlocksWhenNoGauge() {
        let doc = PrometheusText.parse(
            """
            trtllm_kv_cache_used_blocks{model_name="m",engine_type="trtllm"} 250
            trtllm_kv_cache_max_blocks{model_name="m",engine_type="trtllm"} 1000
            """)
        var mapping = EngineMetricsMapping(kind: .tensorrtLLM)
        #expect(mapping.engineReadings(doc, at: 0).first?.kvUsage == 0.25)
    }

    @Test func detectsTheEngine() throws {
        #expect(EngineKind.detect(in: try MetricsFixtures.document("vllm.txt")) == .vllm)
        #expect(EngineKind.detect(in: try MetricsFixtures.document("sglang.txt")) == .sglang)
        #expect(EngineKind.detect(in: try MetricsFixtures.document("tensorrt-llm.txt")) == .tensorrtLLM)
        #expect(EngineKind.detect(in: try MetricsFixtures.document("dcgm-exporter-hostname.txt")) == nil)
        #expect(EngineKind(configName: "TRTLLM") == .tensorrtLLM && EngineKind(configName: "tgi") == nil)
    }
}
