import InfertopCore

/// Everything one node's collectors found in one pass, in Core types.
public struct NodeAssembly: Sendable {
    public var gpuSamples: [GPUSample] = []
    public var replicaSamples: [ReplicaSample] = []
    public var fabricLinks: [FabricLinkSample] = []
    public var ports: [PortSample] = []
    /// The collectors' errors this pass.
    public var errors: [String] = []
    /// True when any collector's reading was stale.
    public var stale = false

    public init() {}
}

/// Merges the readings of all collectors of one node into `GPUSample`s and `ReplicaSample`s.
///
/// Readings come in priority order (NVML, AMD, dcgm-exporter, then the engines). For each GPU
/// field the first fresh reading that has it wins, then the first stale one. Capacity, used and
/// reserved memory come together from the first reading that has them; driver-reserved memory
/// counts as used (it ends up in `other`). KV-cache parts come from the engines bound to the GPU
/// (see `MemoryEstimate`), weights from the bindings. A GPU appears when some reading names it.
public struct NodeAssembler: Sendable {
    public var node: NodeID
    public var bindings: [EngineBinding]

    public init(node: NodeID, bindings: [EngineBinding] = []) {
        self.node = node
        self.bindings = bindings
    }

    public func assemble(_ readings: [CollectorReading], at time: Double) -> NodeAssembly {
        var out = NodeAssembly()
        let ordered = readings.filter { !$0.stale } + readings.filter(\.stale)
        out.stale = readings.contains { $0.stale }
        out.errors = readings.flatMap(\.errors)
        out.fabricLinks = readings.flatMap(\.fabricLinks)
        out.ports = readings.flatMap(\.ports)
        let engines = bindings.map { binding in (binding, engine(for: binding, in: ordered)) }

        let indexes = Set(readings.flatMap { $0.gpus.map(\.index) }).sorted()
        for index in indexes {
            let parts = ordered.compactMap { reading in reading.gpus.first { $0.index == index } }
            func pick<T>(_ field: KeyPath<GPUReading, T?>) -> T? { parts.lazy.compactMap { $0[keyPath: field] }.first }
            let memorySource = parts.first { $0.memoryTotalBytes != nil || $0.memoryUsedBytes != nil }
            let used = memorySource?.memoryUsedBytes.map { $0.addingSaturated(memorySource?.memoryReservedBytes ?? 0) }
            let local = engines.filter { $0.0.gpus.contains(index) }
            let shares = local.map { binding, found in
                EngineMemoryShare(
                    weightsBytes: binding.weightsBytesPerGPU ?? 0, activationBytes: binding.activationBytesPerGPU ?? 0,
                    kvPoolBytes: found.flatMap { binding.kvPoolBytesPerGPU($0.reading) },
                    kvUsage: found.map { $0.reading.kvUsage ?? 0 })
            }
            let memory = MemoryEstimate.breakdown(
                capacityBytes: memorySource?.memoryTotalBytes, usedBytes: used, engines: shares)
            let running = local.compactMap { $0.1?.reading }
            out.gpuSamples.append(
                GPUSample(
                    gpu: GPUID(node: node, index: index), time: time, memory: memory,
                    utilization: min(1, max(0, pick(\.utilization) ?? 0)),
                    temperatureCelsius: pick(\.temperatureCelsius) ?? 0, powerWatts: pick(\.powerWatts) ?? 0,
                    smClockMHz: pick(\.smClockMHz) ?? 0, throttle: pick(\.throttle) ?? [],
                    preemptionsPerSecond: running.reduce(0) { $0 + ($1.preemptionsPerSecond ?? 0) },
                    runningRequests: running.reduce(0) { $0 + ($1.runningRequests ?? 0) },
                    waitingRequests: running.reduce(0) { $0 + ($1.waitingRequests ?? 0) }))
        }

        for (binding, found) in engines where binding.metricsURL != nil {
            out.replicaSamples.append(replicaSample(binding, found, at: time))
        }
        return out
    }

    /// The binding's engine reading: the first fresh one that matches, else the first stale one.
    private func engine(for binding: EngineBinding, in ordered: [CollectorReading]) -> (
        reading: EngineReading, stale: Bool
    )? {
        for reading in ordered {
            if let engine = reading.engines.first(where: binding.matches) { return (engine, reading.stale) }
        }
        return nil
    }

    /// A replica is serving while its engine's metrics come fresh; with none, or only the last
    /// good values of a failing scrape, it is down. Latencies with no observations read 0.
    /// `stepSeconds` is the ITL median (the engines expose no step time).
    private func replicaSample(
        _ binding: EngineBinding, _ found: (reading: EngineReading, stale: Bool)?, at time: Double
    ) -> ReplicaSample {
        let engine = found?.reading
        return ReplicaSample(
            replica: binding.replicaID, time: time, status: found.map { $0.stale ? .down : .serving } ?? .down,
            tokensPerSecond: engine?.generationTokensPerSecond ?? 0, requestsPerSecond: engine?.requestsPerSecond ?? 0,
            runningRequests: engine?.runningRequests ?? 0, waitingRequests: engine?.waitingRequests ?? 0,
            preemptionsPerSecond: engine?.preemptionsPerSecond ?? 0,
            ttftP50Seconds: engine?.ttftP50Seconds ?? 0, ttftP99Seconds: engine?.ttftP99Seconds ?? 0,
            itlP50Seconds: engine?.itlP50Seconds ?? 0, itlP99Seconds: engine?.itlP99Seconds ?? 0,
            stepSeconds: engine?.itlP50Seconds ?? 0, floorSeconds: binding.decodeFloorSeconds ?? 0)
    }
}
