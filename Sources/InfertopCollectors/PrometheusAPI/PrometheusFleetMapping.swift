import InfertopCore

/// Turns one refresh of Prometheus answers (one list of series per `PrometheusFamily`) into a
/// full `NodeReport` per node, with the same mappings and assembly an agent uses on its node:
/// `DCGMExporterMapping` for the GPUs, `EngineMetricsMapping` for the engines, `NodeAssembler`
/// to put GPUs and engines together, `NodeInventory` for the specs.
///
/// Nodes come from dcgm-exporter's `Hostname` (or `hostname`) label; series without it (the
/// engines', node_exporter's) find their node by their `instance`: the same instance as the
/// node's DCGM series (one exporter page for both), else the instance's host. The engines on a
/// node share its GPUs in order (one engine: all of them), since engine series name no GPU.
/// A node in the inventory with no current series is reported without values, aged by how
/// long Prometheus has not had it, so it turns stale on screen.
public struct PrometheusFleetMapping: Sendable {
    private var dcgm: [String: DCGMExporterMapping] = [:]
    private var engines: [String: EngineMetricsMapping] = [:]
    /// Replica numbers per model, given once per (node, model) so they stay put across refreshes.
    private var replicaNumbers: [String: [String: Int]] = [:]
    private var nextReplica: [String: Int] = [:]
    /// What each node looked like when last heard, for reporting it once it goes silent.
    private var lastSeen: [String: (spec: NodeSpec, replicas: [ReplicaSpec])] = [:]
    /// The node of each instance that served DCGM series, as of the last refresh.
    private var nodeOfInstance: [String: String] = [:]

    public init() {}

    /// The node a series without a host label belongs to: by its instance, as in the last refresh.
    public func node(ofLabels labels: [String: String]) -> String? {
        if let host = Self.hostname(labels) { return host }
        guard let instance = labels["instance"] else { return nil }
        if let node = nodeOfInstance[instance] { return node }
        let host = Self.host(ofInstance: instance)
        return lastSeen.keys.first { DCGMExporterMapping.sameHost($0, host) }
    }

    /// Maps one refresh. `answers` holds every family that was answered (an empty list: no
    /// series); `evaluationTime` is Prometheus's own time of the refresh (Unix seconds).
    public mutating func map(_ answers: [PrometheusFamily: [PrometheusSeries]], evaluationTime: Double, at time: Double)
        -> (reports: [NodeReport], notes: [String])
    {
        var notes: [String] = []
        for family in PrometheusFamily.allCases {
            if let note = family.missingNote, let series = answers[family], series.isEmpty { notes.append(note) }
        }
        // Every DCGM series, grouped by node; the instance → node index for the rest.
        var gpuDocuments: [String: PrometheusDocument] = [:]
        nodeOfInstance = [:]
        let gpuFamilies: [PrometheusFamily] = [
            .memoryUsed, .memoryFree, .memoryReserved, .utilization, .power, .temperature, .smClock, .throttle, .nvlink
        ]
        for family in gpuFamilies {
            for s in answers[family] ?? [] {
                guard let node = Self.hostname(s.labels), let name = s.labels["__name__"] else { continue }
                gpuDocuments[node, default: PrometheusDocument()].samples.append(
                    PrometheusSample(name: name, labels: s.labels, value: s.value))
                if let instance = s.labels["instance"] { nodeOfInstance[instance] = node }
            }
        }
        let hosts = Array(gpuDocuments.keys)
        let instances = nodeOfInstance
        func nodeName(of labels: [String: String]) -> String? {
            if let host = Self.hostname(labels) { return host }
            guard let instance = labels["instance"] else { return nil }
            if let node = instances[instance] { return node }
            let host = Self.host(ofInstance: instance)
            return hosts.first { DCGMExporterMapping.sameHost($0, host) }
        }
        var engineDocuments: [String: PrometheusDocument] = [:]
        for s in answers[.engineGauges] ?? [] {
            guard let node = nodeName(of: s.labels), let name = s.labels["__name__"] else { continue }
            engineDocuments[node, default: PrometheusDocument()].samples.append(
                PrometheusSample(name: name, labels: s.labels, value: s.value))
        }
        // Rates and quantiles by node and model.
        var engineFigures: [String: [String: [PrometheusFamily: Double]]] = [:]
        for family in [
            PrometheusFamily.generationTokens, .promptTokens, .requests, .ttftP50, .ttftP99, .itlP50, .itlP99
        ] {
            for s in answers[family] ?? [] where s.value.isFinite {
                guard let node = nodeName(of: s.labels), let model = s.labels["model_name"] else { continue }
                engineFigures[node, default: [:]][model, default: [:]][family, default: 0] += s.value
            }
        }
        let ports = infinibandPorts(answers, node: nodeName, at: time)

        var reports: [NodeReport] = []
        for name in gpuDocuments.keys.sorted() {
            reports.append(
                report(
                    node: name, gpus: gpuDocuments[name]!, engines: engineDocuments[name],
                    figures: engineFigures[name] ?? [:],
                    ports: ports[name] ?? [], evaluationTime: evaluationTime, at: time))
        }
        reports += silentNodes(answers[.inventory] ?? [], live: Set(gpuDocuments.keys), evaluationTime: evaluationTime)
        return (reports, notes)
    }

    private mutating func report(
        node name: String, gpus: PrometheusDocument, engines engineDocument: PrometheusDocument?,
        figures: [String: [PrometheusFamily: Double]], ports: [PortSample], evaluationTime: Double, at time: Double
    ) -> NodeReport {
        let id = NodeID(name)
        var gpuReading = CollectorReading()
        gpuReading.gpus = dcgm[name, default: DCGMExporterMapping()].gpuReadings(gpus, at: time)
        gpuReading.ports = ports.map { p in
            var p = p
            p.node = id
            return p
        }
        var engineReading = CollectorReading()
        if let engineDocument {
            // The engine is told by its series' prefixes, as an agent's scrape tells it.
            let kind = EngineKind.detect(in: engineDocument) ?? .vllm
            if engines[name]?.kind != kind { engines[name] = EngineMetricsMapping(kind: kind) }
            engineReading.engines = engines[name, default: EngineMetricsMapping(kind: kind)]
                .engineReadings(engineDocument, at: time)
                .map { Self.withFigures($0, figures[$0.model] ?? [:]) }
        }
        let bindings = self.bindings(
            node: name, kind: engines[name]?.kind ?? .vllm, models: engineReading.engines.map(\.model),
            gpus: gpuReading.gpus.map(\.index))
        let assembly = NodeAssembler(node: id, bindings: bindings).assemble([gpuReading, engineReading], at: time)
        let spec = NodeInventory.spec(node: id, readings: [gpuReading])
        let replicas = NodeInventory.replicas(bindings, node: id)
        lastSeen[name] = (spec, replicas)
        let values = ClusterDelta(
            sequence: 0, time: time, gpuSamples: assembly.gpuSamples, ports: assembly.ports,
            replicaSamples: assembly.replicaSamples)
        return NodeReport(.full(node: spec, replicas: replicas, values: values), reportedTime: evaluationTime)
    }

    /// The engine's rates and latencies from PromQL, in place of the deltas a second scrape would give.
    private static func withFigures(_ engine: EngineReading, _ f: [PrometheusFamily: Double]) -> EngineReading {
        var e = engine
        e.generationTokensPerSecond = f[.generationTokens] ?? e.generationTokensPerSecond
        e.promptTokensPerSecond = f[.promptTokens] ?? e.promptTokensPerSecond
        e.requestsPerSecond = f[.requests] ?? e.requestsPerSecond
        e.ttftP50Seconds = f[.ttftP50] ?? e.ttftP50Seconds
        e.ttftP99Seconds = f[.ttftP99] ?? e.ttftP99Seconds
        e.itlP50Seconds = f[.itlP50] ?? e.itlP50Seconds
        e.itlP99Seconds = f[.itlP99] ?? e.itlP99Seconds
        return e
    }

    /// One binding per engine model on the node, sharing the node's GPUs in order.
    private mutating func bindings(node: String, kind: EngineKind, models: [String], gpus: [Int]) -> [EngineBinding] {
        let models = Array(Set(models)).sorted()
        return models.enumerated().map { i, model in
            let number: Int
            if let known = replicaNumbers[node]?[model] {
                number = known
            } else {
                number = nextReplica[model, default: 0]
                nextReplica[model] = number + 1
                replicaNumbers[node, default: [:]][model] = number
            }
            let share =
                gpus.isEmpty ? [] : Array(gpus[(i * gpus.count / models.count)..<((i + 1) * gpus.count / models.count)])
            return EngineBinding(model: model, replica: number, kind: kind, metricsURL: "prometheus", gpus: share)
        }
    }

    /// node_exporter's InfiniBand counters as rates per node and port (`mlx5_0/1`).
    private func infinibandPorts(
        _ answers: [PrometheusFamily: [PrometheusSeries]], node: ([String: String]) -> String?, at time: Double
    ) -> [String: [PortSample]] {
        var figures: [String: [String: (tx: Double, rx: Double, rate: Double)]] = [:]
        func add(_ family: PrometheusFamily, _ set: (inout (tx: Double, rx: Double, rate: Double), Double) -> Void) {
            for s in answers[family] ?? [] where s.value.isFinite {
                guard let n = node(s.labels), let device = s.labels["device"] else { continue }
                let port = "\(device)/\(s.labels["port"] ?? "1")"
                set(&figures[n, default: [:]][port, default: (0, 0, 0)], s.value)
            }
        }
        add(.infinibandTransmit) { $0.tx = $1 }
        add(.infinibandReceive) { $0.rx = $1 }
        add(.infinibandRate) { $0.rate = $1 }
        return figures.mapValues { ports in
            ports.keys.sorted().map { name in
                let f = ports[name]!
                return PortSample(
                    node: NodeID(""), port: name, time: time, state: .active, txBytesPerSecond: f.tx,
                    rxBytesPerSecond: f.rx,
                    rateBytesPerSecond: f.rate, errorsPerSecond: 0)
            }
        }
    }

    /// Nodes the inventory lists that no current series names: reported without values, aged.
    private func silentNodes(_ inventory: [PrometheusSeries], live: Set<String>, evaluationTime: Double) -> [NodeReport]
    {
        var newest: [String: Double] = [:]
        var gpus: [String: [GPUReading]] = [:]
        for s in inventory {
            guard let name = Self.hostname(s.labels), !live.contains(name),
                let index = s.labels["gpu"].flatMap({ Int($0) })
            else { continue }
            newest[name] = max(newest[name] ?? 0, s.value)
            var g = GPUReading(index: index)
            g.name = s.labels["modelName"] ?? s.labels["model_name"]
            gpus[name, default: []].append(g)
        }
        return newest.keys.sorted().map { name in
            let id = NodeID(name)
            let reading = CollectorReading(gpus: gpus[name] ?? [])
            let known = lastSeen[name]
            let spec = known?.spec ?? NodeInventory.spec(node: id, readings: [reading])
            return NodeReport(
                .full(node: spec, replicas: known?.replicas ?? [], values: ClusterDelta(sequence: 0, time: 0)),
                reportedTime: evaluationTime, age: max(0.001, evaluationTime - newest[name]!))
        }
    }

    /// dcgm-exporter's node label: `hostname` since d5e5f51, `Hostname` before.
    static func hostname(_ labels: [String: String]) -> String? { labels["Hostname"] ?? labels["hostname"] }

    /// `node-07:9400` → `node-07`; `[::1]:9400` → `::1`.
    /// An instance that is not an address (a bare IPv6 literal, a name with spaces) is its own host.
    static func host(ofInstance instance: String) -> String {
        (try? HostPort.parse(instance, defaultPort: 1).get())?.host ?? instance
    }
}
