/// The serving engines whose `/metrics` infertop reads; the raw value is `EngineReading.engine`.
public enum EngineKind: String, Sendable, Hashable, CaseIterable {
    case vllm
    case sglang
    case tensorrtLLM = "tensorrt-llm"

    /// Parses a config word: `vllm`, `sglang`, `tensorrt-llm` (also `trtllm`, `trt-llm`).
    public init?(configName: String) {
        switch configName.lowercased() {
        case "vllm": self = .vllm
        case "sglang": self = .sglang
        case "tensorrt-llm", "tensorrt_llm", "trtllm", "trt-llm", "trtllm-serve": self = .tensorrtLLM
        default: return nil
        }
    }

    /// The engine whose metric prefix (`vllm:`, `sglang:`, `trtllm_`) the document uses most.
    public static func detect(in document: PrometheusDocument) -> EngineKind? {
        var counts: [EngineKind: Int] = [:]
        for sample in document.samples {
            for kind in allCases where sample.name.hasPrefix(kind.names.prefix) { counts[kind, default: 0] += 1 }
        }
        return counts.max { $0.value < $1.value }?.key
    }

    /// The metric names of this engine (DATASOURCES §5 and §6), newest name first.
    var names: EngineMetricNames {
        switch self {
        case .vllm:
            EngineMetricNames(
                prefix: "vllm:",
                running: "vllm:num_requests_running", waiting: "vllm:num_requests_waiting",
                kvUsage: ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"],
                kvUsedCapacity: nil, kvBlocksTotal: nil,
                preemptions: ["vllm:num_preemptions_total", "vllm:num_preemptions"],
                promptTokens: ["vllm:prompt_tokens_total", "vllm:prompt_tokens"],
                generationTokens: ["vllm:generation_tokens_total", "vllm:generation_tokens"],
                requests: ["vllm:request_success_total", "vllm:request_success"],
                ttft: ["vllm:time_to_first_token_seconds"],
                itl: ["vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds"])
        case .sglang:
            EngineMetricNames(
                prefix: "sglang:",
                running: "sglang:num_running_reqs", waiting: "sglang:num_queue_reqs",
                kvUsage: ["sglang:token_usage"],
                kvUsedCapacity: ("sglang:num_used_tokens", "sglang:max_total_num_tokens"),
                // SGLang's pool is token-granular: blocks of one token.
                kvBlocksTotal: "sglang:max_total_num_tokens",
                preemptions: ["sglang:num_retracted_requests_total"],
                promptTokens: ["sglang:prompt_tokens_total"],
                generationTokens: ["sglang:generation_tokens_total"],
                // [unverified] not in DATASOURCES; read when present.
                requests: ["sglang:num_requests_total"],
                ttft: ["sglang:time_to_first_token_seconds"],
                itl: ["sglang:inter_token_latency_seconds", "sglang:time_per_output_token_seconds"])
        case .tensorrtLLM:
            EngineMetricNames(
                prefix: "trtllm_",
                running: "trtllm_num_requests_running", waiting: "trtllm_num_requests_waiting",
                kvUsage: ["trtllm_kv_cache_utilization"],
                kvUsedCapacity: ("trtllm_kv_cache_used_blocks", "trtllm_kv_cache_max_blocks"),
                kvBlocksTotal: "trtllm_kv_cache_max_blocks",
                preemptions: [],
                promptTokens: ["trtllm_prompt_tokens_total"],
                generationTokens: ["trtllm_generation_tokens_total"],
                // [unverified] not in DATASOURCES; read when present.
                requests: ["trtllm_request_success_total"],
                ttft: ["trtllm_time_to_first_token_seconds"],
                itl: ["trtllm_time_per_output_token_seconds"])
        }
    }
}

/// Where one engine keeps each quantity `EngineReading` needs. Lists are tried in order.
struct EngineMetricNames {
    let prefix: String
    let running: String
    let waiting: String
    let kvUsage: [String]
    /// Used and total KV capacity, for a usage share when no usage gauge is exposed.
    let kvUsedCapacity: (used: String, capacity: String)?
    /// A gauge of the pool size in blocks (block size 1 for SGLang's tokens).
    let kvBlocksTotal: String?
    let preemptions: [String]
    let promptTokens: [String]
    let generationTokens: [String]
    let requests: [String]
    let ttft: [String]
    let itl: [String]
}
