import Foundation
import InfertopAgent
import InfertopCore
import InfertopSim
import InfertopUI
import InfertopWire
import Synchronization

// Two tools in one executable (see Benchmarks/README.md):
//
//   LatencyHarness [--agents 64] [--seconds 20] [--warmup 3] [--rate 10] [--render-each]
//       Sample-to-screen latency through the real agent path, in one process: a hub and a gRPC
//       server per node on loopback (`LocalAgents.start`), an `AgentsFeed` subscribed to all of
//       them, and a consumer thread that does what the dashboard does with each update
//       (`update(&model, .cluster(u))`, then `view(model)` and `screen.diff(from:)`).
//       The harness publishes to the hubs itself, stamping each update's time with the
//       publish instant; latency = render completion - publish instant.
//
//   LatencyHarness --subscribe HOST:PORT [--seconds N]
//       A minimal subscriber (one `AgentConnection`), printing each update it receives, for
//       scripts/measure-agent.sh.
// MARK: - Shared clock

/// The one clock both sides read: publish instants are encoded as seconds since `epoch`, plus
/// `timeOffset` so they can never be confused with the simulated times (tens of seconds) of
/// the fleet's single start-up publish.
let epoch = ContinuousClock.now
let timeOffset = 1_000_000.0

@inline(__always)
func secondsSinceEpoch() -> Double {
    let d = ContinuousClock.now - epoch
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
func runLatency(_ options: Options) async throws -> Int32 {
    let config = SimulationConfig(seed: 7, nodes: options.agents)
    guard let hubs = SimulatedFleet(config: config, speed: 10).hubs() else { return 1 }
    let readings = preparedReadings(config, hubs: hubs)

    // The servers, through LocalAgents. Its fleet runs at the slowest speed the fleet allows
    // (one reading per 100 s): it publishes once at start-up, so every hub has values for the
    // subscription's snapshot, and then stays silent for the whole run. A fleet at speed 10
    // would publish into the same per-subscriber slots as the harness and overwrite the
    // publish instants (a coalesced slot keeps the newest time), so the harness drives the
    // 10-per-second cadence itself.
    precondition(options.warmup + options.seconds < 90, "the idle fleet publishes again after 100 s")
    let agents = try await LocalAgents.start(fleet: SimulatedFleet(config: config, speed: 0.01), hubs: hubs)
    while hubs.contains(where: { $0.publishedCount == 0 }) { try await Task.sleep(for: .milliseconds(10)) }

    let mailbox = Mailbox()
    let report = ConsumerReport()
    let pump = FeedPump()
    let feedTask = pump.start(AgentsFeed(endpoints: agents.endpoints), into: mailbox)
    defer { feedTask.cancel() }
    let consumer = Consumer(mailbox: mailbox, report: report, renderEach: options.renderEach, agentCount: hubs.count)
    consumer.start()

    guard try await allAgentsDrawn(hubs.count, report) else {
        await agents.stopWithin(seconds: 5)
        return 1
    }
    let published = try await publish(readings, to: hubs, options, report: report, pump: pump)
    report.lock.withLock { report.stop = true }
    consumer.wait()
    let measured = printLatencyReport(agents: hubs.count, options, published, report, pump)
    await agents.stopWithin(seconds: 5)
    return measured ? 0 : 1
}

/// Waits until every agent's snapshot has been merged and drawn: 30 s, and half a second an
/// agent past 60 (in a debug build on a loaded 2-core machine, 183 of 256 agents had connected
/// after 64 s). On a timeout, prints the agents that are not live and returns false.
func allAgentsDrawn(_ count: Int, _ report: ConsumerReport) async throws -> Bool {
    let connectSeconds = max(30, count / 2)
    let connectDeadline = ContinuousClock.now + .seconds(connectSeconds)
    while report.lock.withLock({ report.nodesKnown }) < count {
        if ContinuousClock.now > connectDeadline {
            let (known, sources) = report.lock.withLock { (report.nodesKnown, report.sources) }
            print("only \(known) of \(count) agents connected within \(connectSeconds) s:")
            for (address, source) in sources.sorted(by: { $0.key < $1.key }) where source.state != .live {
                print("  \(address) \(source.node?.name ?? "?") \(source.state)")
            }
            return false
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    return true
}

// MARK: - Main

let options = parseOptions()
let status: Int32
if let address = options.subscribe {
    status = await subscribe(to: address, seconds: options.seconds)
} else {
    status = try await runLatency(options)
}
exit(status)
