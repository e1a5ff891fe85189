import InfertopCore
import InfertopWire
import Synchronization

/// Agents inside this process, one gRPC server per node on a loopback port: how `infertop demo`
/// runs the real agent path (servers, streams, client, merge) without separate processes.
public enum LocalAgents {
    /// Starts a server per hub on 127.0.0.1 (ephemeral ports) and the fleet that feeds them;
    /// returns the endpoints once every server listens, and the task running it all.
    public static func start(fleet: SimulatedFleet, hubs: [SubscriptionHub]) async throws
        -> (endpoints: [AgentEndpoint], task: Task<Void, any Error>)
    {
        let (bound, boundContinuation) = AsyncStream.makeStream(of: (NodeID, Int).self)
        let task = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for hub in hubs {
                    let server = AgentServer(
                        hub: hub, listen: ListenConfig(host: "127.0.0.1", port: 0), capabilities: ["simulated"])
                    group.addTask { try await server.serve { port in boundContinuation.yield((hub.node, port)) } }
                }
                group.addTask { await fleet.run(hubs: hubs, clock: ContinuousClock()) }
                try await group.next()
                group.cancelAll()
            }
        }
        var ports: [NodeID: Int] = [:]
        for await (node, port) in bound {
            ports[node] = port
            if ports.count == hubs.count { break }
        }
        boundContinuation.finish()
        let endpoints = hubs.compactMap { hub in
            ports[hub.node].map { AgentEndpoint(host: "127.0.0.1", port: $0, name: hub.node.name) }
        }
        return (endpoints, task)
    }
}
