import Foundation
import InfertopCollectors
import InfertopCore
import InfertopWire
import Logging

/// The agent on a real GPU node: finds its collectors, reads them every interval, assembles
/// the node's samples and serves them.
///
/// A collector that cannot run here (no NVML, no InfiniBand) is logged once and left out; the
/// agent goes on with the rest.
public struct NodeAgent: Sendable {
    public let config: AgentConfig
    /// The agent's own Prometheus metrics, when served.
    public let metrics: AgentMetrics?
    /// Where the agent's events go; `run` adds the node's name to its metadata.
    public let logger: Logger

    public init(config: AgentConfig, metrics: AgentMetrics? = nil, logger: Logger = Logger(label: "infertop-agent")) {
        self.config = config
        self.metrics = metrics
        self.logger = logger
    }

    private static let started = ContinuousClock.now

    public func run() async throws {
        let node = NodeID(config.node.isEmpty ? ProcessInfo.processInfo.hostName : config.node)
        let logger = {
            var logger = self.logger
            logger[metadataKey: "node"] = "\(node.name)"
            return logger
        }()
        let bindings = config.scrapes.compactMap(\.engine)
        let (collectors, capabilities) = makeCollectors(node: node, logger: logger)
        let first = await collect(collectors, logger: logger)
        let topology = Self.topology(node: node, readings: first)
        let replicas = Self.replicas(bindings, node: node, topology: topology)
        let hub = SubscriptionHub(
            topology: topology, replicas: replicas,
            spans: SpanStorage(
                capacity: config.otlp.spanCapacity, capacityBytes: config.otlp.spanCapacityBytes,
                maxSpansPerSecond: config.otlp.maxSpansPerSecond))
        metrics?.observe(hub)
        let traces = TraceReceiverRunner.receiver(config.otlp, sink: HubSpanSink(home: hub))
        let view = CoordinatorView(
            node: topology, replicas: replicas, endpoints: try Self.clusterAgents(config.control))
        let control = try makeControl(node: node, replicas: replicas, view: view, logger: logger)
        control?.resumeUnfinished()
        let server = AgentServer(hub: hub, listen: config.listen, capabilities: capabilities, control: control)
        logger.info(
            "collectors ready",
            metadata: [
                "gpus": "\(topology.gpus.count)", "ports": "\(topology.ports.count)",
                "collectors": "\(capabilities.joined(separator: ","))"
            ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.serve { port in
                    logger.info("listening", metadata: ["addr": "\(HostPort(host: config.listen.host, port: port))"])
                }
            }
            if let traces { group.addTask { try await TraceReceiverRunner.run(traces, logger: logger) } }
            if control != nil && !view.endpoints.isEmpty {
                logger.info(
                    "coordinating",
                    metadata: ["agents": "\(view.endpoints.count)", "cluster": "\(config.control.clusterPath ?? "")"])
                // The feed reconnects on its own and ends only when the agent stops.
                group.addTask { await view.follow() }
            }
            group.addTask {
                let assembler = NodeAssembler(node: node, bindings: bindings)
                try await publishEveryInterval(collectors, assembler, hub: hub, control: control, logger: logger)
            }
            try await group.next()
            group.cancelAll()
        }
    }

    private func makeCollectors(node: NodeID, logger: Logger) -> ([any Collector], [String]) {
        var collectors: [any Collector] = []
        var capabilities: [String] = []
        switch NVMLCollector.open(libraryPath: config.nvmlLibrary) {
        case .success(let nvml):
            collectors.append(nvml)
            capabilities.append("nvml")
        case .failure(let unavailable):
            logger.info("NVIDIA collector off", metadata: ["reason": "\(unavailable.reason)"])
        }
        if AMDSysfsCollector.hasCards(root: config.sysfsRoot) {
            collectors.append(AMDSysfsCollector(root: config.sysfsRoot))
            capabilities.append("amd-sysfs")
        }
        if InfiniBandCollector.hasDevices(root: config.sysfsRoot) {
            collectors.append(InfiniBandCollector(node: node, root: config.sysfsRoot))
            capabilities.append("infiniband")
        }
        for target in config.scrapes {
            if let binding = target.engine {
                if let scrape = ScrapeCollector.engine(
                    binding, transport: AsyncHTTPTransport(), timeout: target.timeoutSeconds)
                {
                    collectors.append(scrape)
                    capabilities.append("scrape:\(binding.kind.rawValue)")
                }
            } else {
                collectors.append(
                    ScrapeCollector.dcgmExporter(
                        url: target.url, hostname: node.name, transport: AsyncHTTPTransport(),
                        timeout: target.timeoutSeconds))
                capabilities.append("scrape:dcgm-exporter")
            }
        }
        return (collectors, capabilities)
    }

    func collect(_ collectors: [any Collector], logger: Logger) async -> [CollectorReading] {
        // Rates are deltas between passes: a monotonic clock, immune to wall-clock steps.
        let elapsed = ContinuousClock.now - Self.started
        let t = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let passStarted = ContinuousClock.now
        let readings = await withTaskGroup(of: (Int, CollectorReading).self) { group in
            for (i, c) in collectors.enumerated() { group.addTask { (i, await c.collect(at: t)) } }
            var out = Array(repeating: CollectorReading(), count: collectors.count)
            for await (i, r) in group { out[i] = r }
            for (c, r) in zip(collectors, out) {
                for e in r.errors {
                    logger.warning("collector error", metadata: ["collector": "\(c.name)", "error": "\(e)"])
                }
            }
            return out
        }
        if let metrics {
            metrics.recordCollection(duration: ContinuousClock.now - passStarted)
            for (c, r) in zip(collectors, readings) {
                metrics.recordScrapeErrors(target: c.name, count: r.errors.count)
                metrics.setCollector(c.name, up: r.errors.isEmpty)
            }
        }
        return readings
    }

    /// The node's hardware, from what the collectors saw on their first pass.
    static func topology(node: NodeID, readings: [CollectorReading]) -> NodeSpec {
        NodeInventory.spec(node: node, readings: readings)
    }

    /// The agents `[control] cluster` lists, for the coordinator's view of the whole cluster.
    /// - Throws: `AgentConfigError` naming the file and what is wrong in it.
    static func clusterAgents(_ settings: ControlSettings) throws -> [AgentEndpoint] {
        guard let path = settings.clusterPath else { return [] }
        do {
            return try ClusterFile.load(path: path).agents
        } catch let error as ClusterFileError {
            throw AgentConfigError("[control] cluster: \(error)")
        }
    }

    /// Replicas from the engine bindings: one TP group over the bound GPUs of this node.
    static func replicas(_ bindings: [EngineBinding], node: NodeID, topology: NodeSpec) -> [ReplicaSpec] {
        NodeInventory.replicas(bindings, node: node)
    }
}
