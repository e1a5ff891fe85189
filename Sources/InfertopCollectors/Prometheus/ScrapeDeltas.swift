/// Per-second rates of cumulative counters between scrapes, one remembered value per series key.
///
/// A counter that went down restarted from zero (the exporter or engine restarted), so its whole
/// new value is the increase, as Prometheus `rate()` counts it.
public struct CounterRates: Sendable {
    private struct Point: Sendable {
        var value: Double
        var time: Double
    }

    private var last: [String: Point] = [:]
    private var seen: Set<String> = []

    public init() {}

    /// The rate of `key` since its previous value; nil the first time a key is seen, when time did
    /// not move forward, or for a value that is not finite.
    public mutating func rate(of key: String, value: Double, at time: Double) -> Double? {
        guard value.isFinite, time.isFinite else { return nil }
        seen.insert(key)
        defer { last[key] = Point(value: value, time: time) }
        guard let previous = last[key], time > previous.time else { return nil }
        return Self.increase(from: previous.value, to: value) / (time - previous.time)
    }

    /// The increase of a counter from one value to the next, allowing for a reset in between.
    public static func increase(from previous: Double, to current: Double) -> Double {
        current >= previous ? current - previous : current
    }

    /// Forgets series not asked about since the last call, so vanished series do not pile up.
    public mutating func endPass() {
        last = last.filter { seen.contains($0.key) }
        seen.removeAll(keepingCapacity: true)
    }
}

/// The previous scrape's histograms, to turn cumulative buckets into the observations made since.
public struct HistogramDeltas: Sendable {
    private var last: [String: PrometheusHistogram] = [:]
    private var seen: Set<String> = []

    public init() {}

    /// Observations of `key` since its previous scrape; on the first scrape (or after a reset) the
    /// cumulative histogram itself.
    public mutating func delta(of key: String, _ histogram: PrometheusHistogram) -> PrometheusHistogram {
        seen.insert(key)
        defer { last[key] = histogram }
        return histogram.delta(since: last[key])
    }

    /// Whether `key` was seen in an earlier scrape (so a delta is a real interval, not everything).
    public func hasPrevious(_ key: String) -> Bool { last[key] != nil }

    /// Forgets series not asked about since the last call.
    public mutating func endPass() {
        last = last.filter { seen.contains($0.key) }
        seen.removeAll(keepingCapacity: true)
    }
}
