import ArgumentParser
import Foundation
import InfertopAgent
import InfertopCLI
import InfertopCore
import InfertopSim
import Logging

/// `infertop-agent [run]`: serve this node (or, with `--simulate`, a node of the simulated cluster).
struct RunCommand: AsyncParsableCommand, LoggingCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the agent (the default).")

    @Option(help: "Config file (TOML). Default /etc/infertop/agent.toml when it exists.")
    var config: String?

    @Option(help: "Listen address HOST:PORT (overrides the config).")
    var listen: String?

    @Option(
        help:
            "Serve the agent's Prometheus metrics at http://HOST:PORT/metrics (overrides metrics_listen; a bare PORT means 127.0.0.1)."
    )
    var metricsListen: String?

    @Option(
        help: "Receive OTLP/gRPC traces on HOST:PORT, or 'off' (overrides [otlp] grpc_listen; default 127.0.0.1:4317).")
    var otlpGRPC: String?

    @Option(
        help:
            "Receive OTLP/HTTP traces (POST /v1/traces) on HOST:PORT, or 'off' (overrides [otlp] http_listen; default 127.0.0.1:4318)."
    )
    var otlpHTTP: String?

    @Option(help: "Node name (overrides the config; default: the host name).")
    var node: String?

    @Flag(help: "Serve one node of the built-in simulated cluster instead of real hardware.")
    var simulate = false

    @Option(help: "With --simulate: which node (e.g. node-07).")
    var simNode: String?

    @Option(help: "With --simulate: the cluster's seed (same as `infertop demo --seed`).")
    var simSeed: UInt64 = 7

    @Option(help: "With --simulate: nodes in the simulated cluster (every 17th is a hot spare).")
    var simNodes: Int = 17

    @Option(name: .customLong("sim-gpus-per-node"), help: "With --simulate: GPUs per node.")
    var simGPUsPerNode: Int = 8

    @Option(help: "With --simulate: simulated seconds per real second.")
    var simSpeed: Double = 1

    @OptionGroup var logging: LogOptions

    var logSettings: LogSettings { logging.settings }

    mutating func validate() throws {
        if simulate && simNode == nil { throw ValidationError("--simulate needs --sim-node NAME (e.g. node-07)") }
        if !simulate && simNode != nil { throw ValidationError("--sim-node only makes sense with --simulate") }
        guard (1...SimulationConfig.maxNodes).contains(simNodes) else {
            throw ValidationError("--sim-nodes must be 1 to \(SimulationConfig.maxNodes)")
        }
        guard SimulationConfig.gpusPerNodeRange.contains(simGPUsPerNode) else {
            throw ValidationError("--sim-gpus-per-node must be 1 to 16")
        }
        guard simSpeed >= 0.1, simSpeed <= 100 else { throw ValidationError("--sim-speed must be between 0.1 and 100") }
        if let listen, case .failure(let error) = HostPort.parse(listen, for: .listen) {
            throw ValidationError("--listen must be HOST:PORT, got '\(listen)': \(error.reason)")
        }
        for (flag, value) in [("--otlp-grpc", otlpGRPC), ("--otlp-http", otlpHTTP)] {
            if let value, case .failure(let error) = ListenSetting.parse(value) {
                throw ValidationError("\(flag) must be HOST:PORT or off, got '\(value)': \(error.reason)")
            }
        }
        if let metricsListen, case .failure(let error) = Self.metricsAddress(metricsListen) {
            throw ValidationError("--metrics-listen must be HOST:PORT or PORT, got '\(metricsListen)': \(error.reason)")
        }
    }

    /// `HOST:PORT`, or a bare `PORT` on loopback.
    static func metricsAddress(_ text: String) -> Result<HostPort, HostPortError> {
        if Int(text) != nil { return HostPort.parse("127.0.0.1:" + text, for: .listen) }
        return HostPort.parse(text, for: .listen)
    }

    /// The metrics server when `--metrics-listen` or `metrics_listen` asks for one.
    private func metricsServer(_ settings: AgentConfig, logger: Logger) -> MetricsServer? {
        guard let address = settings.metricsListen else { return nil }
        if !address.isLoopback {
            logger.notice(
                "metrics on a non-loopback address: anyone who can reach it can read them (they hold no secrets)",
                metadata: ["addr": "\(address)"])
        }
        return MetricsServer(host: address.bindHost, port: address.port, metrics: AgentMetrics())
    }

    func run() async throws {
        var settings = try AgentConfig.load(path: config ?? "/etc/infertop/agent.toml", required: config != nil)
        if let listen, let address = try? HostPort.parse(listen, for: .listen).get() {
            settings.listen.host = address.host
            settings.listen.port = address.port
        }
        if let node { settings.node = node }
        if let metricsListen, let address = try? Self.metricsAddress(metricsListen).get() {
            settings.metricsListen = address
        }
        if let otlpGRPC, let setting = try? ListenSetting.parse(otlpGRPC).get() {
            settings.otlp.grpcListen = setting.address
        }
        if let otlpHTTP, let setting = try? ListenSetting.parse(otlpHTTP).get() {
            settings.otlp.httpListen = setting.address
        }
        try settings.listen.validate()
        let simulated = simulate ? simNode : nil
        var logger = Logger(label: "infertop-agent")
        // A real node's name is settled by NodeAgent (the host name when the config has none).
        if let simulated { logger[metadataKey: "node"] = "\(simulated)" }
        let metricsServer = metricsServer(settings, logger: logger)
        let this = self
        let final = settings
        try await StopSignals.run(logger: logger) { [logger] in
            if let simulated {
                try await this.runSimulated(final, node: simulated, metricsServer: metricsServer, logger: logger)
            } else {
                let agent = NodeAgent(config: final, metrics: metricsServer?.metrics, logger: logger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await agent.run() }
                    if let metricsServer {
                        group.addTask { try await Self.serveMetrics(metricsServer, logger: logger) }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    private static func serveMetrics(_ server: MetricsServer, logger: Logger) async throws {
        try await server.run { port in
            logger.info(
                "serving metrics", metadata: ["url": "http://\(HostPort(host: server.host, port: port))/metrics"])
        }
    }

    private func runSimulated(
        _ settings: AgentConfig, node: String, metricsServer: MetricsServer?, logger: Logger
    ) async throws {
        let fleet = SimulatedFleet(
            config: SimulationConfig(seed: simSeed, nodes: simNodes, gpusPerNode: simGPUsPerNode), speed: simSpeed)
        guard let hubs = fleet.hubs(for: [NodeID(node)], spans: settings.otlp), let hub = hubs.first else {
            let example = ClusterLayout.nodeName(0, total: simNodes).name
            throw AgentConfigError(
                "--sim-node: no node named '\(node)' in a \(simNodes)-node simulated cluster (e.g. \(example))")
        }
        var control: ControlCenter?
        if let executor = settings.control.executors.first {
            guard executor == .simulator else {
                throw AgentConfigError(
                    "with --simulate, [control] executor must be \"simulator\" (got \"\(executor.rawValue)\")")
            }
            let fleetControl = fleet.control
            control = try ControlCenter.configured(
                settings.control, executor: SimulatorExecutor(control: fleetControl),
                snapshot: { _ in fleetControl.snapshot },
                planInput: { fleetControl.planInput },
                clock: { fleetControl.time }, logger: logger)
            control?.resumeUnfinished()
        }
        let server = AgentServer(hub: hub, listen: settings.listen, capabilities: ["simulated"], control: control)
        let traces = TraceReceiverRunner.receiver(settings.otlp, sink: HubSpanSink(home: hub))
        logger.info("simulating", metadata: ["seed": "\(simSeed)", "nodes": "\(simNodes)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.serve { port in
                    logger.info("listening", metadata: ["addr": "\(settings.listen.host):\(port)"])
                }
            }
            if let traces { group.addTask { try await TraceReceiverRunner.run(traces, logger: logger) } }
            if let metricsServer {
                let metrics = metricsServer.metrics
                metrics.observe(hub)
                group.addTask { try await Self.serveMetrics(metricsServer, logger: logger) }
                group.addTask {
                    await fleet.run(hubs: hubs, clock: ContinuousClock()) { _, values in
                        metrics.recordSamples(values.gpus.count)
                    }
                }
            } else {
                group.addTask { await fleet.run(hubs: hubs, clock: ContinuousClock()) }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
