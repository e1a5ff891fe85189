/// Maps a vLLM, SGLang or TensorRT-LLM `/metrics` page to one `EngineReading` per served model
/// (`model_name` label): running and waiting requests, KV-cache usage (0...1), preemption, token
/// and request rates from counter deltas, TTFT and ITL p50/p99 from the histogram buckets
/// observed since the previous scrape (everything so far on the first scrape), and the KV pool
/// size when the engine exposes it (vLLM `vllm:cache_config_info`, SGLang `max_total_num_tokens`,
/// TensorRT-LLM `kv_cache_max_blocks`).
///
/// Data-parallel instances of one model (vLLM `engine`, SGLang `dp_rank`) are summed (KV usage:
/// averaged; pool size: the largest instance's, since each instance has its own pool on its own
/// GPUs); copies reported by every TP/PP rank count once. A latency with no observations in the
/// interval is nil.
public struct EngineMetricsMapping: ScrapeMapping {
    public let kind: EngineKind
    /// Keep only this `model_name` (nil: every model on the page).
    public let servedModel: String?
    /// The model name to report (e.g. the binding's `llama-405b`), when the page has one model.
    public let reportAs: String?
    /// GPU indexes on this node that the engine runs on, copied into every reading.
    public let gpus: [Int]
    private var rates = CounterRates()
    private var deltas = HistogramDeltas()

    public var source: String { kind.rawValue }

    public init(kind: EngineKind, servedModel: String? = nil, reportAs: String? = nil, gpus: [Int] = []) {
        self.kind = kind
        self.servedModel = servedModel
        self.reportAs = reportAs
        self.gpus = gpus
    }

    public mutating func map(_ document: PrometheusDocument, at time: Double) -> CollectorReading {
        CollectorReading(engines: engineReadings(document, at: time))
    }

    /// The engines on the page, sorted by model.
    public mutating func engineReadings(_ document: PrometheusDocument, at time: Double) -> [EngineReading] {
        let fallbackModel = servedModel ?? reportAs ?? kind.rawValue
        let series = EngineSeries { [servedModel] labels in
            let model = labels["model_name"] ?? fallbackModel
            return servedModel == nil || model == servedModel ? model : nil
        }
        var table = EngineReadingTable(engine: kind.rawValue)
        gauges(document, series, into: &table)
        counterRates(document, series, at: time, into: &table)
        latencies(document, series, into: &table)
        rates.endPass()
        deltas.endPass()
        if kind == .vllm { Self.applyCacheConfig(document, series: series, to: &table.byModel) }
        var readings = table.byModel.values.sorted { $0.model < $1.model }
        for i in readings.indices {
            readings[i].gpus = gpus
            if let reportAs, readings.count == 1 { readings[i].model = reportAs }
        }
        return readings
    }

    /// Running and waiting requests, KV-cache usage, and the KV pool in blocks.
    private func gauges(_ document: PrometheusDocument, _ series: EngineSeries, into table: inout EngineReadingTable) {
        let names = kind.names
        func sums(_ samples: [PrometheusSample]) -> [String: Double] {
            series.values(samples).mapValues { $0.values.reduce(0, +) }
        }
        table.update(sums(document.samples(named: names.running))) { $0.runningRequests = Int(exactly: $1.rounded()) }
        table.update(sums(document.samples(named: names.waiting))) { $0.waitingRequests = Int(exactly: $1.rounded()) }
        let usage = series.values(document.samples(firstOf: names.kvUsage)).compactMapValues { instances -> Double? in
            let shares = instances.values.compactMap(normalisedShare)
            return shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count)
        }
        table.update(usage) { $0.kvUsage = $1 }
        if let pair = names.kvUsedCapacity {
            let used = sums(document.samples(named: pair.used))
            let capacity = sums(document.samples(named: pair.capacity))
            for (model, total) in capacity where total > 0 && usage[model] == nil {
                guard let inUse = used[model] else { continue }
                table.update([model: min(1, max(0, inUse / total))]) { $0.kvUsage = $1 }
            }
        }
        if let blocks = names.kvBlocksTotal {
            let tokensPerBlock = kind == .sglang ? 1 : nil
            table.update(series.values(document.samples(named: blocks)).compactMapValues { $0.values.max() }) {
                $0.kvBlocks = Int(exactly: $1.rounded())
                if let tokensPerBlock { $0.kvBlockSizeTokens = tokensPerBlock }
            }
        }
    }

    /// Preemption, token and request rates from counter deltas.
    private mutating func counterRates(
        _ document: PrometheusDocument, _ series: EngineSeries, at time: Double, into table: inout EngineReadingTable
    ) {
        let names = kind.names
        let counters: [([String], String, WritableKeyPath<EngineReading, Double?>)] = [
            (names.preemptions, "preempt", \.preemptionsPerSecond),
            (names.promptTokens, "prompt", \.promptTokensPerSecond),
            (names.generationTokens, "gen", \.generationTokensPerSecond),
            (names.requests, "req", \.requestsPerSecond)
        ]
        for (family, metric, field) in counters {
            let found = series.rates(document.samples(firstOf: family), metric: metric, at: time, rates: &rates)
            table.update(found) { $0[keyPath: field] = $1 }
        }
    }

    /// TTFT and ITL p50/p99 from the histogram buckets observed since the previous scrape.
    private mutating func latencies(
        _ document: PrometheusDocument, _ series: EngineSeries, into table: inout EngineReadingTable
    ) {
        let names = kind.names
        for (metric, family) in [("ttft", names.ttft), ("itl", names.itl)] {
            let histograms = family.lazy.map { document.histograms(named: $0) }.first { !$0.isEmpty } ?? []
            for (model, window) in series.histogramDeltas(histograms, metric: metric, deltas: &deltas) {
                let (p50, p99) = (window.quantile(0.5), window.quantile(0.99))
                table.update(model) { reading in
                    if metric == "ttft" {
                        (reading.ttftP50Seconds, reading.ttftP99Seconds) = (p50, p99)
                    } else {
                        (reading.itlP50Seconds, reading.itlP99Seconds) = (p50, p99)
                    }
                }
            }
        }
    }

    /// `vllm:cache_config_info` (a gauge of 1 whose labels are the cache config): `num_gpu_blocks`
    /// (per engine instance, "None" before profiling) and `block_size` in tokens. Its series carry
    /// `engine` but usually no `model_name`, so without one they apply to every model on the page.
    private static func applyCacheConfig(
        _ document: PrometheusDocument, series: EngineSeries, to readings: inout [String: EngineReading]
    ) {
        for sample in document.samples(named: "vllm:cache_config_info") {
            let labels = sample.labels
            var targets = Array(readings.keys)
            if labels["model_name"] != nil {
                guard let model = series.model(labels) else { continue }
                targets = [model]
            }
            for model in targets where readings[model] != nil {
                if let blocks = labels["num_gpu_blocks"].flatMap({ Int($0) }) {
                    let largest = max(readings[model]?.kvBlocks ?? 0, blocks)
                    readings[model]?.kvBlocks = largest
                }
                if let size = labels["block_size"].flatMap({ Int($0) }) { readings[model]?.kvBlockSizeTokens = size }
            }
        }
    }
}

/// Normalises a share that some exporters give as 0...1 and others as 0...100 to 0...1.
/// Values above 1 (plus float noise) are taken as percent; the result is clamped to 0...1.
func normalisedShare(_ value: Double) -> Double? {
    guard value.isFinite else { return nil }
    let share = value > 1.000_001 ? value / 100 : value
    return min(1, max(0, share))
}

/// Readings by model as the mapping fills them in, each made on first use.
struct EngineReadingTable {
    let engine: String
    var byModel: [String: EngineReading] = [:]

    /// Applies each finite value to its model's reading.
    mutating func update(_ found: [String: Double], _ apply: (inout EngineReading, Double) -> Void) {
        for (model, value) in found where value.isFinite {
            apply(&byModel[model, default: EngineReading(model: model, engine: engine)], value)
        }
    }

    mutating func update(_ model: String, _ apply: (inout EngineReading) -> Void) {
        apply(&byModel[model, default: EngineReading(model: model, engine: engine)])
    }
}
