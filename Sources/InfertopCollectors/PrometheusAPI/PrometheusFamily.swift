/// The metric families the dashboard asks Prometheus for, one instant query each per refresh,
/// and what the screen says when one has no series.
///
/// GPU families are dcgm-exporter's (DATASOURCES §2) and are returned raw, so that
/// `DCGMExporterMapping` reads them as it reads a scrape. Engine families are vLLM's; counters
/// and histograms come as `rate()` and `histogram_quantile()` over `window`, so one query gives
/// a value without waiting for a second refresh. InfiniBand is node_exporter's.
public enum PrometheusFamily: String, Sendable, Hashable, CaseIterable {
    /// Every GPU seen in the last two minutes, valued with the time of its newest sample: how a
    /// node whose target died is still listed, and for how long it has been silent.
    case inventory
    case memoryUsed, memoryFree, memoryReserved, utilization, power, temperature, smClock, throttle, nvlink
    case infinibandTransmit, infinibandReceive, infinibandRate
    case engineGauges, generationTokens, promptTokens, requests, ttftP50, ttftP99, itlP50, itlP99

    /// The PromQL, with the fleet's matchers in every selector; `window` is the `rate()` range.
    public func promql(_ m: PrometheusMatch, window: String = "1m") -> String {
        switch self {
        case .inventory: "max_over_time(timestamp(\(m.selector("DCGM_FI_DEV_FB_USED")))[2m:1s])"
        case .memoryUsed: m.selector("DCGM_FI_DEV_FB_USED")
        case .memoryFree: m.selector("DCGM_FI_DEV_FB_FREE")
        case .memoryReserved: m.selector("DCGM_FI_DEV_FB_RESERVED")
        case .utilization: m.selector("DCGM_FI_DEV_GPU_UTIL")
        case .power: m.selector("DCGM_FI_DEV_POWER_USAGE")
        case .temperature: m.selector("DCGM_FI_DEV_GPU_TEMP")
        case .smClock: m.selector(anyOf: ["DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_MAX_SM_CLOCK"])
        case .throttle: m.selector(anyOf: ["DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", "DCGM_FI_DEV_CLOCKS_EVENT_REASONS"])
        case .nvlink:
            m.selector(anyOf: ["DCGM_FI_PROF_NVLINK_TX_BYTES", "DCGM_FI_PROF_NVLINK_RX_BYTES", "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL"])
        case .infinibandTransmit: "rate(\(m.selector("node_infiniband_port_data_transmitted_bytes_total"))[\(window)])"
        case .infinibandReceive: "rate(\(m.selector("node_infiniband_port_data_received_bytes_total"))[\(window)])"
        case .infinibandRate: m.selector("node_infiniband_rate_bytes_per_second")
        case .engineGauges:
            m.selector(anyOf: [
                "vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc",
                "vllm:gpu_cache_usage_perc", "vllm:cache_config_info",
            ])
        case .generationTokens: "sum by (instance, model_name) (rate(\(m.selector("vllm:generation_tokens_total"))[\(window)]))"
        case .promptTokens: "sum by (instance, model_name) (rate(\(m.selector("vllm:prompt_tokens_total"))[\(window)]))"
        case .requests: "sum by (instance, model_name) (rate(\(m.selector("vllm:request_success_total"))[\(window)]))"
        case .ttftP50: Self.quantile(0.5, "vllm:time_to_first_token_seconds_bucket", m, window)
        case .ttftP99: Self.quantile(0.99, "vllm:time_to_first_token_seconds_bucket", m, window)
        case .itlP50: Self.quantile(0.5, Self.itlBuckets, m, window)
        case .itlP99: Self.quantile(0.99, Self.itlBuckets, m, window)
        }
    }

    /// What the screen says when the family has no series at all; nil when its absence says
    /// nothing (the inventory follows memory; a driver before R510 has no reserved memory).
    public var missingNote: String? {
        switch self {
        case .memoryUsed: "no DCGM GPU series"
        case .utilization: "no utilisation series"
        case .power: "no power series"
        case .temperature: "no temperature series"
        case .smClock: "no clock series"
        case .throttle: "no throttle series"
        case .nvlink: "no NVLink series"
        case .infinibandTransmit: "no InfiniBand series"
        case .engineGauges: "no vLLM series"
        case .generationTokens: "no token-rate series"
        case .ttftP99: "no TTFT histogram"
        case .itlP99: "no ITL histogram"
        case .inventory, .memoryFree, .memoryReserved, .infinibandReceive, .infinibandRate, .promptTokens, .requests,
            .ttftP50, .itlP50:
            nil
        }
    }

    private static let itlBuckets = ["vllm:inter_token_latency_seconds_bucket", "vllm:time_per_output_token_seconds_bucket"]

    private static func quantile(_ q: Double, _ bucket: String, _ m: PrometheusMatch, _ window: String) -> String {
        quantile(q, [bucket], m, window)
    }

    private static func quantile(_ q: Double, _ buckets: [String], _ m: PrometheusMatch, _ window: String) -> String {
        let selector = buckets.count == 1 ? m.selector(buckets[0]) : m.selector(anyOf: buckets)
        return "histogram_quantile(\(q), sum by (instance, model_name, le) (rate(\(selector)[\(window)])))"
    }
}
