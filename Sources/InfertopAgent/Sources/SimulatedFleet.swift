import Foundation
import InfertopCore
import InfertopOTLP
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
    /// Operator actions on the running fleet, and what they did (the simulator executor's side).
    public let control: FleetControl

    public init(config: SimulationConfig, speed: Double = 1, warmupSeconds: Double = 30) {
        self.config = config
        self.speed = speed
        self.warmupSeconds = warmupSeconds
        let topology = ClusterLayout.topology(config)
        control = FleetControl(topology: topology, replicas: ClusterLayout.replicas(on: topology))
    }

    /// A hub per named node (all nodes when `nodes` is nil), each with span storage as `spans`
    /// says; nil when a name is unknown.
    public func hubs(for nodes: [NodeID]? = nil, spans: OTLPSettings = OTLPSettings()) -> [SubscriptionHub]? {
        let topology = ClusterLayout.topology(config)
        let replicas = ClusterLayout.replicas(on: topology)
        let wanted = nodes ?? topology.nodes.map(\.id)
        var hubs: [SubscriptionHub] = []
        for id in wanted {
            guard let node = topology.node(id) else { return nil }
            let mine = replicas.filter { $0.nodes.contains(id) }
            let storage = SpanStorage(
                capacity: spans.spanCapacity, capacityBytes: spans.spanCapacityBytes,
                maxSpansPerSecond: spans.maxSpansPerSecond)
            hubs.append(SubscriptionHub(topology: node, replicas: mine, spans: storage))
        }
        return hubs
    }

    /// Runs until cancelled, publishing each node's reading to its hub; `published` sees each
    /// reading after its hub has it. Warms up first (see `warmUp`).
    public func run<C: Clock>(
        hubs: [SubscriptionHub], clock: C, published: (@Sendable (SubscriptionHub, NodeValues) -> Void)? = nil
    ) async where C.Duration == Duration {
        await run(warmUp(hubs: hubs), hubs: hubs, clock: clock, published: published)
    }

    /// The simulation advanced to `warmupSeconds`, its warm-up's requests already in `hubs`.
    ///
    /// It runs on a thread of its own: warming up to `--start-at 455` takes seconds of CPU (the
    /// simulation, then encoding and decoding thousands of spans), which on the cooperative pool
    /// would hold up every server and stream in the process. `infertop demo` warms up before its
    /// agents listen, so no dashboard ever sees a node that has not reported yet.
    public func warmUp(hubs: [SubscriptionHub]) async -> WarmFleet {
        // Span times line up with the wall clock, so real spans sent to a simulated node sit
        // beside the simulated ones.
        var config = config
        let wallNanos = UInt64(Date().timeIntervalSince1970 * 1e9)
        config.spanEpochNanos = wallNanos - UInt64(warmupSeconds * 1e9)
        let seconds = warmupSeconds
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { [config] in
                let cluster = SimulatedCluster(config: config)
                cluster.advance(to: seconds)
                Self.export(cluster.takeFinishedSpans(), to: hubs)
                continuation.resume(returning: WarmFleet(cluster: cluster))
            }
        }
    }

    /// Runs a warmed-up fleet until cancelled (see `run(hubs:clock:published:)`).
    public func run<C: Clock>(
        _ warm: WarmFleet, hubs: [SubscriptionHub], clock: C,
        published: (@Sendable (SubscriptionHub, NodeValues) -> Void)? = nil
    ) async where C.Duration == Duration {
        let cluster = warm.cluster
        var replicas = Self.replicasByNode(cluster.replicas)
        // The requests finished since the last reading go first, so a culprit on screen already
        // has its waterfalls (at start: the warm-up's requests).
        func publish() {
            Self.export(cluster.takeFinishedSpans(), to: hubs)
            // A move switched a replica to its new copy: every node's agent sends its replicas again.
            if cluster.takePlacementChange() {
                replicas = Self.replicasByNode(cluster.replicas)
                for hub in hubs { hub.replace(replicas: cluster.replicas.filter { $0.nodes.contains(hub.node) }) }
            }
            let delta = cluster.sample()
            control.observe(delta, cluster: cluster)
            let reporting = Set(delta.gpuSamples.map(\.gpu.node))
            for hub in hubs where reporting.contains(hub.node) {
                let values = NodeValues(node: hub.node, from: delta, replicas: replicas[hub.node] ?? [])
                hub.publish(values, time: delta.time)
                published?(hub, values)
            }
        }
        control.observe(cluster)
        publish()
        let interval = Duration.milliseconds(Int64((1000 / max(0.01, speed)).rounded()))
        var deadline = clock.now
        while !Task.isCancelled {
            deadline = deadline.advanced(by: interval)
            do { try await clock.sleep(until: deadline, tolerance: nil) } catch { return }
            control.apply(to: cluster)
            cluster.advance(to: cluster.time + 1)
            control.observe(cluster)
            publish()
        }
    }

    /// Per node, the replicas with a shard there.
    static func replicasByNode(_ replicas: [ReplicaSpec]) -> [NodeID: Set<ReplicaID>] {
        Dictionary(grouping: replicas.flatMap { r in r.nodes.map { ($0, r.id) } }, by: \.0).mapValues {
            Set($0.map(\.1))
        }
    }

    /// Sends the simulator's finished spans to the hubs of their nodes as an engine would: encoded
    /// as OTLP protobuf and decoded by the receiver's decoder, so the demo runs the real path.
    /// Spans of nodes this process does not serve are left out (their own agents export them).
    static func export(_ spans: [Span], to hubs: [SubscriptionHub]) {
        guard !spans.isEmpty else { return }
        let byNode = Dictionary(grouping: spans) { $0.node }
        for hub in hubs {
            guard let mine = byNode[hub.node] else { continue }
            do {
                let decoded = try OTLPProtobufDecoder.decode(OTLPEncoder.protobuf(mine))
                _ = hub.ingest(decoded.spans, rejected: decoded.rejectedSpans)
            } catch {
                _ = hub.ingest([], rejected: mine.count)
            }
        }
    }
}

/// A simulated fleet warmed up to its start time (`SimulatedFleet.warmUp`), ready to run. The
/// thread that warmed it keeps no reference, so only the task that runs it uses the cluster.
public struct WarmFleet: @unchecked Sendable {
    let cluster: SimulatedCluster
}
