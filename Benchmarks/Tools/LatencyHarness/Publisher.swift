import Foundation
import InfertopAgent
import InfertopCore
import InfertopSim
import InfertopWire

/// The readings the harness publishes: the same seeded cluster, one sample per simulated second,
/// split per node as SimulatedFleet does. Prepared before the clock starts (and cycled), so the
/// simulator's own cost is not on the measured path.
func preparedReadings(_ config: SimulationConfig, hubs: [SubscriptionHub], count: Int = 30) -> [[NodeValues]] {
    let cluster = SimulatedCluster(config: config)
    cluster.advance(to: 30)
    let replicasOf = Dictionary(grouping: cluster.replicas.flatMap { r in r.nodes.map { ($0, r.id) } }, by: \.0)
        .mapValues { Set($0.map(\.1)) }
    return (0..<count).map { _ in
        cluster.advance(to: cluster.time + 1)
        let delta = cluster.sample()
        return hubs.map { NodeValues(node: $0.node, from: delta, replicas: replicasOf[$0.node] ?? []) }
    }
}

/// What the publisher saw while measuring.
struct PublishResult {
    var published = 0
    var coalesced: UInt64 = 0
    var cpuSeconds = 0.0
}

/// Every 1/rate s, one reading to every hub (a burst, as the fleet does), each stamped with its
/// own publish instant; measuring (in the consumer and the feed pump) starts after the warm-up.
/// Returns once the last publishes have had half a second to arrive.
func publish(
    _ readings: [[NodeValues]], to hubs: [SubscriptionHub], _ options: Options, report: ConsumerReport,
    pump: FeedPump
) async throws -> PublishResult {
    let interval = Duration.milliseconds(Int64((1000 / options.rate).rounded()))
    let clock = ContinuousClock()
    let start = clock.now
    let measureFrom = start + .milliseconds(Int64(options.warmup * 1000))
    let end = measureFrom + .milliseconds(Int64(options.seconds * 1000))
    var deadline = start
    var tick = 0
    var result = PublishResult()
    var measuring = false
    var coalescedAtMeasure: UInt64 = 0
    var cpuAtMeasure = 0.0
    while clock.now < end {
        if !measuring, clock.now >= measureFrom {
            measuring = true
            coalescedAtMeasure = coalescedCount(hubs)
            report.lock.withLock { report.measuring = true }
            pump.arrivals.withLock { $0.measuring = true }
            cpuAtMeasure = processCPUSeconds()
        }
        for (hub, values) in zip(hubs, readings[tick % readings.count]) {
            hub.publish(values, time: timeOffset + secondsSinceEpoch())
        }
        if measuring { result.published += hubs.count }
        tick += 1
        deadline = deadline.advanced(by: interval)
        try await clock.sleep(until: deadline, tolerance: nil)
    }
    try await Task.sleep(for: .milliseconds(500))
    result.cpuSeconds = processCPUSeconds() - cpuAtMeasure
    pump.arrivals.withLock { $0.measuring = false }
    result.coalesced = coalescedCount(hubs) - coalescedAtMeasure
    return result
}

func coalescedCount(_ hubs: [SubscriptionHub]) -> UInt64 { hubs.reduce(0) { $0 + $1.coalescedCount } }
