/// Groups an engine's series by served model, one per engine instance, with the copies that
/// every tensor/pipeline/expert rank of one instance reports (SGLang's `tp_rank`, `pp_rank`,
/// `moe_ep_rank`) reduced to the lowest rank's.
///
/// What is left per model are the instances (vLLM's `engine` index, SGLang's `dp_rank`) and
/// per-reason splits (`finished_reason`), which callers sum or average.
struct EngineSeries {
    static let rankLabels = ["pp_rank", "tp_rank", "moe_ep_rank"]

    /// The model a label set belongs to, or nil to leave the series out.
    let model: ([String: String]) -> String?

    /// Values by model, then by instance key.
    func values(_ samples: [PrometheusSample]) -> [String: [String: Double]] {
        group(samples, labels: \.labels).mapValues { $0.mapValues(\.value) }
    }

    /// Histograms by model, then by instance key.
    func histograms(_ histograms: [PrometheusHistogram]) -> [String: [String: PrometheusHistogram]] {
        group(histograms, labels: \.labels)
    }

    private func group<T>(_ items: [T], labels: (T) -> [String: String]) -> [String: [String: T]] {
        var best: [String: [String: (rank: [Int], item: T)]] = [:]
        for item in items {
            let all = labels(item)
            guard let model = model(all) else { continue }
            var identity = all
            identity["model_name"] = nil
            var rank: [Int] = []
            for label in Self.rankLabels {
                rank.append(identity.removeValue(forKey: label).flatMap { Int($0) } ?? 0)
            }
            let key = identity.seriesKey
            if let kept = best[model]?[key], !rank.lexicographicallyPrecedes(kept.rank) { continue }
            best[model, default: [:]][key] = (rank, item)
        }
        return best.mapValues { $0.mapValues(\.item) }
    }

    /// The sum of a counter family's per-instance rates, remembered in `rates` under `metric`;
    /// nil for a model until a second scrape gives a rate.
    func rates(
        _ samples: [PrometheusSample], metric: String, at time: Double, rates: inout CounterRates
    ) -> [String: Double] {
        var out: [String: Double] = [:]
        for (model, instances) in values(samples) {
            for (key, value) in instances {
                if let rate = rates.rate(of: "\(metric)|\(model)|\(key)", value: value, at: time) {
                    out[model, default: 0] += rate
                }
            }
        }
        return out
    }

    /// Per model, the observations since the previous scrape summed over instances (on the first
    /// scrape, everything so far); deltas remembered in `deltas` under `metric`.
    func histogramDeltas(
        _ histograms: [PrometheusHistogram], metric: String, deltas: inout HistogramDeltas
    ) -> [String: PrometheusHistogram] {
        var out: [String: PrometheusHistogram] = [:]
        for (model, instances) in self.histograms(histograms) {
            let parts = instances.sorted { $0.key < $1.key }.map { key, histogram in
                deltas.delta(of: "\(metric)|\(model)|\(key)", histogram)
            }
            out[model] = PrometheusHistogram.merged(parts)
        }
        return out
    }
}

extension Dictionary where Key == String, Value == String {
    /// A stable text key for a label set, for remembering series between scrapes.
    var seriesKey: String {
        sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
