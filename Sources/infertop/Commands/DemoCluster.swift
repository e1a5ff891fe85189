import Foundation
import InfertopAgent
import InfertopCore
import InfertopSim
import InfertopWire
import Logging

/// The built-in simulated cluster behind real agents: a gRPC agent per simulated node on
/// loopback, fed by one seeded fleet, for `infertop demo` and `infertop wall --demo`.
struct DemoCluster {
    let agents: LocalAgents
    /// The control journal's folder, when node-01's agent coordinates operations.
    private let folder: String?

    /// Starts the agents; with `control`, node-01's agent also serves `Control`, carried out on
    /// the simulated fleet, with a journal and audit log that live for this run only.
    static func start(simulation: SimulationOptions, clock: DemoClockOptions, control: Bool) async throws -> DemoCluster
    {
        let fleet = SimulatedFleet(config: simulation.config, speed: clock.speed, warmupSeconds: clock.startAt)
        // Each simulated node keeps at most what a new subscriber's snapshot carries, and a
        // quarter of a megabyte (about 500 engine spans, the last two seconds of a busy node),
        // not a real node's 8 MiB: seventeen nodes share one process with the dashboard, whose
        // own request store keeps the history. The storage only serves new subscribers.
        var spans = OTLPSettings()
        spans.spanCapacity = SubscriptionHub.snapshotSpanLimit
        spans.spanCapacityBytes = Self.spanCapacityBytesPerNode
        guard let hubs = fleet.hubs(spans: spans) else {
            throw UsageFailure(message: "the simulated cluster has no nodes")
        }
        var folder: String?
        var center: ControlCenter?
        if control {
            let path = NSTemporaryDirectory() + "infertop-demo-\(getpid())"
            folder = path
            center = try ControlCenter.simulated(fleet: fleet, folder: path)
        }
        // The agents listen once the simulation has reached --start-at (seconds of CPU for a late
        // start): said before the dashboard takes the screen, so the wait is not a silent hang.
        if clock.startAt >= 120 {
            Logger(label: "infertop").notice(
                "warming the simulated cluster up", metadata: ["until": "\(Format.duration(clock.startAt))"])
        }
        let agents = try await LocalAgents.start(fleet: fleet, hubs: hubs, control: center)
        return DemoCluster(agents: agents, folder: folder)
    }

    /// Starts the agents, runs `body` with them, and stops them gracefully afterwards, whether
    /// `body` returned or threw (by then the terminal is restored).
    static func run(
        simulation: SimulationOptions, clock: DemoClockOptions, control: Bool,
        _ body: (DemoCluster) async throws -> Void
    ) async throws {
        let cluster = try await start(simulation: simulation, clock: clock, control: control)
        try await withAsyncCleanup {
            try await body(cluster)
        } cleanup: {
            await cluster.stop()
        }
    }

    /// Each simulated node's span storage, in bytes.
    static let spanCapacityBytesPerNode = 256 << 10

    /// Stops the agents gracefully (bounded: the process is about to exit) and removes the journal.
    func stop() async {
        await agents.stopWithin(seconds: 3)
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }
}
