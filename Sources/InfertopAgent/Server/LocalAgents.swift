import Foundation
import InfertopCore
import InfertopWire

/// Agents inside this process, one gRPC server per node on a loopback port: how `infertop demo`
/// runs the real agent path (servers, streams, client, merge) without separate processes.
///
/// `stop()` shuts every server down gracefully (see `AgentServer`), then stops the simulated
/// fleet that feeds them; nothing is stopped by cancelling a server's task.
public struct LocalAgents: Sendable {
    /// Where each node's agent listens, in the order of the hubs.
    public let endpoints: [AgentEndpoint]
    private let servers: [AgentServer.Running]
    private let fleetTask: Task<Void, Never>

    /// Warms the fleet up to its start time, then starts a server per hub on 127.0.0.1 (ephemeral
    /// ports) and the fleet that feeds them; returns once every server listens. An agent never
    /// answers before its simulated node exists, as a real agent answers once it has read its
    /// GPUs. With `control`, the first node's agent also serves `Control`: it coordinates
    /// operations, carried out on the fleet.
    public static func start(
        fleet: SimulatedFleet, hubs: [SubscriptionHub], control: ControlCenter? = nil
    ) async throws -> LocalAgents {
        let warm = await fleet.warmUp(hubs: hubs)
        var servers: [AgentServer.Running] = []
        do {
            for (i, hub) in hubs.enumerated() {
                let server = AgentServer(
                    hub: hub, listen: ListenConfig(host: "127.0.0.1", port: 0), capabilities: ["simulated"],
                    control: i == 0 ? control : nil)
                servers.append(try await server.start())
            }
        } catch {
            for server in servers { await server.stop() }
            throw error
        }
        let endpoints = zip(hubs, servers).map { hub, server in
            AgentEndpoint(host: "127.0.0.1", port: server.port, name: hub.node.name)
        }
        let fleetTask = Task { await fleet.run(warm, hubs: hubs, clock: ContinuousClock()) }
        return LocalAgents(endpoints: endpoints, servers: servers, fleetTask: fleetTask)
    }

    /// Starts the agents, runs `body` with their endpoints, and stops them gracefully afterwards,
    /// whether `body` returned or threw.
    public static func run<T: Sendable>(
        fleet: SimulatedFleet, hubs: [SubscriptionHub], _ body: ([AgentEndpoint]) async throws -> T
    ) async throws -> T {
        let agents = try await start(fleet: fleet, hubs: hubs)
        return try await withAsyncCleanup {
            try await body(agents.endpoints)
        } cleanup: {
            await agents.stop()
        }
    }

    /// Shuts every server down gracefully and waits until each has closed its connections, then
    /// stops the simulated fleet.
    public func stop() async {
        for server in servers { server.beginStopping() }
        for server in servers { await server.stop() }
        fleetTask.cancel()
        await fleetTask.value
    }
}

extension LocalAgents {
    /// Stops gracefully, but returns after `seconds` even if a connection is still draining:
    /// for a process about to exit, where the exit closes whatever is left.
    public func stopWithin(seconds: Double) async {
        let stopped = ShutdownLatch()
        // The stop runs on in its own task; only the wait for it is bounded.
        Task {
            await stop()
            stopped.set()
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await stopped.wait() }
            group.addTask { try? await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
            await group.next()
            group.cancelAll()
        }
    }
}

extension ControlCenter {
    /// A coordinator for a simulated fleet: the simulator executor, the fleet's view of the
    /// cluster for the safety rules, its clock for the steps, and a journal and audit log in
    /// `folder`.
    public static func simulated(fleet: SimulatedFleet, folder: String, rules: SafetyRules = .standard) throws
        -> ControlCenter
    {
        let control = fleet.control
        return ControlCenter(
            journal: try OperationJournal(path: folder + "/journal.jsonl"),
            audit: try AuditLog(path: folder + "/audit.jsonl"),
            executor: SimulatorExecutor(control: control), rules: rules, snapshot: { control.snapshot },
            planInput: { control.planInput }, clock: { control.time }, wallClock: { control.time })
    }
}
