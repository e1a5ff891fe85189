/// Three percentiles of one latency, in seconds.
public struct Percentiles: Sendable, Hashable {
    public let p50: Double
    public let p90: Double
    public let p99: Double
}

/// What a model or a replica did over the sliding window: how many requests finished, and the
/// percentiles of time to first token, inter-token latency and end-to-end time.
public struct LatencySummary: Sendable, Hashable {
    /// Requests that finished in the window.
    public let count: Int
    public let ttft: Percentiles?
    public let itl: Percentiles?
    public let e2e: Percentiles?

    /// Median inter-token latency over the decode floor: how far above physics decode runs.
    public func floorRatio(floorSeconds: Double?) -> Double? {
        guard let itl, let floorSeconds, floorSeconds > 0 else { return nil }
        return itl.p50 / floorSeconds
    }
}
