import InfertopCore
import InfertopSim
import InfertopWire

/// The simulator standing in for hardware: one seeded cluster whose nodes are published to
/// the agents' hubs every simulated second, paced by a clock.
///
/// An `infertop-agent --simulate` process runs one with a single hub (its node); `infertop demo`
/// runs one with a hub per node, each behind its own gRPC server on loopback. A node the
/// simulator has lost publishes nothing at all, as a dead agent would.
public struct SimulatedFleet: Sendable {
    public let config: SimulationConfig
    public let speed: Double
    public let warmupSeconds: Double

    public init(config: SimulationConfig, speed: Double = 1, warmupSeconds: Double = 30) {
        self.config = config
        self.speed = speed
        self.warmupSeconds = warmupSeconds
    }

    /// A hub per named node (all nodes when `nodes` is nil); nil when a name is unknown.
    public func hubs(for nodes: [NodeID]? = nil) -> [SubscriptionHub]? {
        let topology = ClusterLayout.topology(config)
        let replicas = ClusterLayout.replicas(on: topology)
        let wanted = nodes ?? topology.nodes.map(\.id)
        var hubs: [SubscriptionHub] = []
        for id in wanted {
            guard let node = topology.node(id) else { return nil }
            let mine = replicas.filter { $0.nodes.contains(id) }
            hubs.append(SubscriptionHub(topology: node, replicas: mine))
        }
        return hubs
    }

    /// Runs until cancelled, publishing each node's reading to its hub; `published` sees each
    /// reading after its hub has it.
    public func run<C: Clock>(
        hubs: [SubscriptionHub], clock: C, published: (@Sendable (SubscriptionHub, NodeValues) -> Void)? = nil
    ) async where C.Duration == Duration {
        let cluster = SimulatedCluster(config: config)
        cluster.advance(to: warmupSeconds)
        let replicas = Dictionary(grouping: cluster.replicas.flatMap { r in r.nodes.map { ($0, r.id) } }, by: \.0)
            .mapValues { Set($0.map(\.1)) }
        func publish() {
            let delta = cluster.sample()
            let reporting = Set(delta.gpuSamples.map(\.gpu.node))
            for hub in hubs where reporting.contains(hub.node) {
                let values = NodeValues(node: hub.node, from: delta, replicas: replicas[hub.node] ?? [])
                hub.publish(values, time: delta.time)
                published?(hub, values)
            }
        }
        publish()
        let interval = Duration.milliseconds(Int64((1000 / max(0.01, speed)).rounded()))
        var deadline = clock.now
        while !Task.isCancelled {
            deadline = deadline.advanced(by: interval)
            do { try await clock.sleep(until: deadline, tolerance: nil) } catch { return }
            cluster.advance(to: cluster.time + 1)
            publish()
        }
    }
}
