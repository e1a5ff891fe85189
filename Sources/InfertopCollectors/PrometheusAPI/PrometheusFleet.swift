import InfertopCore

/// The dashboard's Prometheus source (`--prometheus URL`): every `interval` it sends one instant
/// query per `PrometheusFamily`, all at once, each within the client's timeout, and delivers the
/// nodes it found as `NodeReport`s, with a note for each family that has no series.
///
/// When no query gets an answer it says `prometheus unreachable` (a `retrying` status) and tries
/// again after a growing pause (`backoff`), and carries on where it was once Prometheus answers.
/// On its first good refresh it also fetches the last minutes of KV-cache use with `query_range`
/// for the sparklines (best effort: a failure there only costs the history).
public struct PrometheusFleet: FleetSource {
    public let client: PrometheusClient
    public let match: PrometheusMatch
    /// Time between refreshes.
    public var interval: Duration = .seconds(2)
    /// The `rate()` window for counters and histograms.
    public var window = "1m"
    /// Shortest and longest pause after a failed refresh (doubling in between).
    public var backoff: (first: Double, longest: Double) = (1, 10)
    /// Seconds of history fetched on open; 0 fetches none.
    public var historySeconds: Double = 300

    public init(client: PrometheusClient, match: PrometheusMatch = .all) {
        self.client = client
        self.match = match
    }

    public var address: String { "prometheus \(client.server.baseURL)" }

    public func run(_ deliver: @escaping @Sendable (FleetEvent) -> Void) async {
        var mapping = PrometheusFleetMapping()
        var failures = 0
        var historyFetched = historySeconds <= 0
        let start = ContinuousClock.now
        while !Task.isCancelled {
            let elapsed = ContinuousClock.now - start
            let now = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            switch await refresh(&mapping, at: now) {
            case .success(let event):
                failures = 0
                deliver(event)
                if !historyFetched, case .refresh(let reports, _, _) = event {
                    historyFetched = true
                    if let history = await history(mapping, nodes: reports) { deliver(.history(history)) }
                }
                try? await Task.sleep(for: interval)
            case .failure(let error):
                let pause = min(backoff.longest, backoff.first * Double(1 << min(failures, 16)))
                failures += 1
                let state: SourceState
                switch error {
                case .unauthorized: state = .authFailed(reason: error.description)
                default: state = .retrying(reason: error.description, inSeconds: pause)
                }
                deliver(.status(SourceStatus(address: address, state: state, kind: .fleet)))
                try? await Task.sleep(for: .milliseconds(Int64(pause * 1000)))
            }
        }
    }

    /// One refresh: every family at once. Fails only when no family was answered.
    public func refresh(_ mapping: inout PrometheusFleetMapping, at now: Double) async -> Result<
        FleetEvent, PrometheusAPIError
    > {
        let answers = await withTaskGroup(
            of: (PrometheusFamily, Result<(series: [PrometheusSeries], time: Double?), PrometheusAPIError>).self
        ) { group in
            for family in PrometheusFamily.allCases {
                let promql = family.promql(match, window: window)
                group.addTask {
                    do throws(PrometheusAPIError) { return (family, .success(try await client.query(promql))) } catch {
                        return (family, .failure(error))
                    }
                }
            }
            var out: [PrometheusFamily: Result<(series: [PrometheusSeries], time: Double?), PrometheusAPIError>] = [:]
            for await (family, result) in group { out[family] = result }
            return out
        }
        var series: [PrometheusFamily: [PrometheusSeries]] = [:]
        var failed: [(PrometheusFamily, PrometheusAPIError)] = []
        var evaluation: Double = 0
        for (family, result) in answers {
            switch result {
            case .success(let answer):
                series[family] = answer.series
                evaluation = max(evaluation, answer.time ?? 0)
            case .failure(let error): failed.append((family, error))
            }
        }
        if series.isEmpty, let first = failed.sorted(by: { $0.0.rawValue < $1.0.rawValue }).first {
            return .failure(first.1)
        }
        let (reports, notes) = mapping.map(series, evaluationTime: evaluation, at: now)
        let failedNotes = failed.sorted { $0.0.rawValue < $1.0.rawValue }.map {
            "\($0.0.rawValue) query failed: \($0.1)"
        }
        return .success(.refresh(reports: reports, notes: notes + failedNotes, version: nil))
    }

    /// The last `historySeconds` of each engine's KV-cache use, spread over its node's GPUs.
    private func history(_ mapping: PrometheusFleetMapping, nodes reports: [NodeReport]) async -> GPUHistory? {
        guard let end = reports.isEmpty ? nil : Optional(Double(Int(UnixClock.now))) else { return nil }
        let step = max(1, Double(interval.components.seconds))
        let selector = match.selector(anyOf: ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"])
        guard let matrix = try? await client.queryRange(selector, start: end - historySeconds, end: end, step: step)
        else {
            return nil
        }
        var specs: [String: NodeSpec] = [:]
        for r in reports { if case .full(let spec, _, _) = r.content { specs[spec.id.name] = spec } }
        var kv: [GPUID: [Float]] = [:]
        for series in matrix {
            guard let node = mapping.node(ofLabels: series.labels), let spec = specs[node] else { continue }
            for gpu in spec.gpus where kv[gpu.id] == nil {
                kv[gpu.id] = series.values.map { Float($0.isFinite ? $0 : 0) }
            }
        }
        return kv.isEmpty ? nil : GPUHistory(kvUsage: kv)
    }
}
