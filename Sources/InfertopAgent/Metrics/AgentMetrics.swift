import Prometheus
import Synchronization

/// The agent's own Prometheus metrics: how much it collects, how long a pass takes, who is
/// subscribed and what its collectors report. Served by `MetricsServer` at `/metrics`.
///
/// Sources record into it as they go; the hubs' subscriber and coalescing counts are read when
/// the exposition is rendered, so a scrape always sees the current values.
public final class AgentMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private let samplesCollected: Counter
    private let collectionSeconds: DurationHistogram
    private let subscribers: Gauge
    private let updatesCoalesced: Counter
    private let updatesDropped: Counter
    private let spansDropped: Counter

    private struct ObservedHub {
        let hub: SubscriptionHub
        /// The hub's coalesced count at the last render, to turn its sum over current
        /// subscribers (which falls when one leaves) into a counter that only rises.
        var lastCoalesced: UInt64
        /// The hub's dropped-update and dropped-span counts at the last render (both only rise).
        var lastDropped: UInt64 = 0
        var lastSpansDropped: UInt64 = 0
    }

    private let hubs = Mutex<[ObservedHub]>([])

    /// Collection latency buckets, in seconds: a pass is milliseconds (sysfs, NVML) to the
    /// scrape timeouts (seconds).
    public static let collectionBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10)
    ]

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        samplesCollected = registry.makeCounter(
            descriptor: Self.name("samples_collected", unit: "total", help: "GPU samples collected."))
        collectionSeconds = registry.makeDurationHistogram(
            descriptor: Self.name("collection", unit: "seconds", help: "Time to read all collectors once."),
            buckets: Self.collectionBuckets)
        subscribers = registry.makeGauge(descriptor: Self.name("subscribers", help: "Current gRPC subscribers."))
        updatesCoalesced = registry.makeCounter(
            descriptor: Self.name(
                "updates_coalesced", unit: "total", help: "Updates merged into a slow subscriber's pending update."))
        updatesDropped = registry.makeCounter(
            descriptor: Self.name(
                "updates_dropped", unit: "total", help: "Updates still pending for a subscriber when its stream ended.")
        )
        spansDropped = registry.makeCounter(
            descriptor: Self.name(
                "spans_dropped", unit: "total", help: "Spans pushed out of storage before any subscriber received them."
            ))
    }

    // Computed: `MetricNameDescriptor` is not Sendable, so it cannot be a stored static.
    private static var scrapeErrorsDescriptor: MetricNameDescriptor {
        name("scrape_errors", unit: "total", help: "Errors reading a collector (NVML, sysfs, a Prometheus scrape).")
    }
    private static var collectorUpDescriptor: MetricNameDescriptor {
        name("collector_up", help: "1 when the collector's last pass had no errors, 0 otherwise.")
    }

    private static func name(_ metric: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "infertop", subsystem: "agent", metricName: metric, unitName: unit, helpText: help)
    }

    // MARK: Recording

    /// GPU samples gathered by one collection pass (or one simulated publish).
    public func recordSamples(_ count: Int) {
        guard count > 0 else { return }
        samplesCollected.increment(by: Int64(count))
    }

    /// How long one collection pass took.
    public func recordCollection(duration: Duration) {
        collectionSeconds.record(duration)
    }

    public func setSubscribers(_ count: Int) {
        subscribers.set(to: Double(count))
    }

    public func recordCoalesced(_ count: UInt64) {
        guard count > 0 else { return }
        updatesCoalesced.increment(by: Int64(clamping: count))
    }

    private func recordDropped(_ count: UInt64) {
        guard count > 0 else { return }
        updatesDropped.increment(by: Int64(clamping: count))
    }

    /// Errors one collector reported this pass; a zero count only makes the series exist.
    public func recordScrapeErrors(target: String, count: Int) {
        let counter = registry.makeCounter(descriptor: Self.scrapeErrorsDescriptor, labels: [("target", target)])
        if count > 0 { counter.increment(by: Int64(count)) }
    }

    public func setCollector(_ collector: String, up: Bool) {
        registry.makeGauge(descriptor: Self.collectorUpDescriptor, labels: [("collector", collector)]).set(
            to: up ? 1 : 0)
    }

    /// Reads the hub's subscriber and coalescing counts at every render.
    public func observe(_ hub: SubscriptionHub) {
        let current = hub.coalescedCount
        hubs.withLock { $0.append(ObservedHub(hub: hub, lastCoalesced: current)) }
        if current > 0 { recordCoalesced(current) }
    }

    // MARK: Exposition

    /// Samples the observed hubs, then renders the Prometheus text exposition (format 0.0.4).
    public func render() -> [UInt8] {
        let (subscriberCount, coalesced, dropped, spans): (Int, UInt64, UInt64, UInt64) = hubs.withLock { observed in
            guard !observed.isEmpty else { return (-1, 0, 0, 0) }
            var count = 0
            var added: UInt64 = 0
            var droppedAdded: UInt64 = 0
            var spansAdded: UInt64 = 0
            for i in observed.indices {
                let hub = observed[i].hub
                count += hub.subscriberCount
                let now = hub.coalescedCount
                // The hub's count never falls (a subscriber that leaves keeps its share); a fall
                // would mean another hub, so start again from it.
                if now > observed[i].lastCoalesced { added += now - observed[i].lastCoalesced }
                observed[i].lastCoalesced = now
                let droppedNow = hub.droppedUpdateCount
                droppedAdded += droppedNow - min(droppedNow, observed[i].lastDropped)
                observed[i].lastDropped = droppedNow
                let spansNow = hub.spans.status.dropped
                spansAdded += spansNow - min(spansNow, observed[i].lastSpansDropped)
                observed[i].lastSpansDropped = spansNow
            }
            return (count, added, droppedAdded, spansAdded)
        }
        if subscriberCount >= 0 { setSubscribers(subscriberCount) }
        recordCoalesced(coalesced)
        recordDropped(dropped)
        if spans > 0 { spansDropped.increment(by: Int64(clamping: spans)) }
        return registry.emitToBuffer()
    }

    public func renderString() -> String { String(decoding: render(), as: UTF8.self) }
}
