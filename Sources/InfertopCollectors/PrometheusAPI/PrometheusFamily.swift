/// The metric families the dashboard asks Prometheus for, one instant query each per refresh,
/// and what the screen says when one has no series.
///
/// GPU families are dcgm-exporter's (DATASOURCES §2) and are returned raw, so that
/// `DCGMExporterMapping` reads them as it reads a scrape. Engine families ask for vLLM's,
/// SGLang's and TensorRT-LLM's series at once (`EngineKind`'s names; each node's engine is told
/// by its prefixes, as an agent's scrape does); counters and histograms come as `rate()` and
/// `histogram_quantile()` over `window`, so one query gives a value without waiting for a second
/// refresh. InfiniBand is node_exporter's.
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
            m.selector(anyOf: [
                "DCGM_FI_PROF_NVLINK_TX_BYTES", "DCGM_FI_PROF_NVLINK_RX_BYTES", "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL"
            ])
        case .infinibandTransmit: "rate(\(m.selector("node_infiniband_port_data_transmitted_bytes_total"))[\(window)])"
        case .infinibandReceive: "rate(\(m.selector("node_infiniband_port_data_received_bytes_total"))[\(window)])"
        case .infinibandRate: m.selector("node_infiniband_rate_bytes_per_second")
        case .engineGauges: m.selector(anyOf: Self.engineGaugeNames)
        case .generationTokens: Self.rate(\.generationTokens, m, window)
        case .promptTokens: Self.rate(\.promptTokens, m, window)
        case .requests: Self.rate(\.requests, m, window)
        case .ttftP50: Self.quantile(0.5, Self.buckets(\.ttft), m, window)
        case .ttftP99: Self.quantile(0.99, Self.buckets(\.ttft), m, window)
        case .itlP50: Self.quantile(0.5, Self.buckets(\.itl), m, window)
        case .itlP99: Self.quantile(0.99, Self.buckets(\.itl), m, window)
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
        case .engineGauges: "no engine series (vLLM, SGLang, TensorRT-LLM)"
        case .generationTokens: "no token-rate series"
        case .ttftP99: "no TTFT histogram"
        case .itlP99: "no ITL histogram"
        case .inventory, .memoryFree, .memoryReserved, .infinibandReceive, .infinibandRate, .promptTokens, .requests,
            .ttftP50, .itlP50:
            nil
        }
    }

    private static var engines: [EngineMetricNames] { EngineKind.allCases.map(\.names) }

    /// Every engine's gauges: requests running and waiting, the KV cache (a share, or used and
    /// total), and vLLM's cache configuration (its block size and count).
    static var engineGaugeNames: [String] {
        var names: [String] = []
        for e in engines {
            names += [e.running, e.waiting] + e.kvUsage
            if let (used, capacity) = e.kvUsedCapacity { names += [used, capacity] }
            if let blocks = e.kvBlocksTotal { names.append(blocks) }
        }
        names.append("vllm:cache_config_info")
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// The per-second rate of a counter, summed per node and model, over every engine's name for
    /// it (the current name; the older unsuffixed ones are not exported by current engines).
    private static func rate(_ counter: KeyPath<EngineMetricNames, [String]>, _ m: PrometheusMatch, _ window: String)
        -> String
    {
        let names = engines.compactMap { $0[keyPath: counter].first }
        return "sum by (instance, model_name) (rate(\(m.selector(anyOf: names))[\(window)]))"
    }

    /// Every engine's histogram buckets for a latency.
    private static func buckets(_ histogram: KeyPath<EngineMetricNames, [String]>) -> [String] {
        engines.flatMap { $0[keyPath: histogram].map { $0 + "_bucket" } }
    }

    private static func quantile(_ q: Double, _ buckets: [String], _ m: PrometheusMatch, _ window: String) -> String {
        "histogram_quantile(\(q), sum by (instance, model_name, le) (rate(\(m.selector(anyOf: buckets))[\(window)])))"
    }
}
