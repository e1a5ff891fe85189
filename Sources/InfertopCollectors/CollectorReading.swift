import InfertopCore

/// What one collector found in one pass, in the units the rest of infertop uses (bytes,
/// bytes per second, watts, °C, MHz, shares 0...1). Every field is optional: each source knows
/// only part of the picture, and `NodeAssembler` merges the parts into `GPUSample`s.
public struct GPUReading: Sendable, Hashable {
    public var index: Int
    public var name: String?
    public var uuid: String?
    public var memoryTotalBytes: UInt64?
    public var memoryUsedBytes: UInt64?
    /// Memory the driver reserves (NVML v2 `reserved`).
    public var memoryReservedBytes: UInt64?
    public var utilization: Double?
    public var temperatureCelsius: Double?
    public var powerWatts: Double?
    public var smClockMHz: Int?
    public var maxSMClockMHz: Int?
    public var throttle: ThrottleReasons?
    /// NVLink/xGMI links up and in total.
    public var fabricLinksUp: Int?
    public var fabricLinksTotal: Int?
    public var fabricTxBytesPerSecond: Double?
    public var fabricRxBytesPerSecond: Double?
    /// Replay, recovery and CRC errors per second, all links together.
    public var fabricErrorsPerSecond: Double?
    public var pcieReplaysPerSecond: Double?
    /// XID codes seen since the last pass.
    public var xids: [Int] = []

    public init(index: Int) { self.index = index }
}

/// What a serving engine reports for the GPUs it runs on (from its `/metrics`).
public struct EngineReading: Sendable, Hashable {
    /// The engine's served model name, e.g. `llama-405b`.
    public var model: String
    /// The engine kind: `vllm`, `sglang`, `tensorrt-llm`.
    public var engine: String
    /// GPU indexes on this node the engine runs on, when known (from config or labels).
    public var gpus: [Int] = []
    public var runningRequests: Int?
    public var waitingRequests: Int?
    /// KV-cache use, 0...1.
    public var kvUsage: Double?
    public var preemptionsPerSecond: Double?
    public var promptTokensPerSecond: Double?
    public var generationTokensPerSecond: Double?
    public var requestsPerSecond: Double?
    public var ttftP50Seconds: Double?
    public var ttftP99Seconds: Double?
    public var itlP50Seconds: Double?
    public var itlP99Seconds: Double?
    /// KV-cache blocks and block size from the engine's cache config, when exposed.
    public var kvBlocks: Int?
    public var kvBlockSizeTokens: Int?

    public init(model: String, engine: String) {
        self.model = model
        self.engine = engine
    }
}

/// One pass of one collector.
public struct CollectorReading: Sendable {
    public var gpus: [GPUReading] = []
    public var ports: [PortSample] = []
    public var fabricLinks: [FabricLinkSample] = []
    public var engines: [EngineReading] = []
    /// True when these values are the last good ones from a source that failed this pass.
    public var stale = false
    /// What went wrong this pass, in words for the log and `/metrics`.
    public var errors: [String] = []

    public init(
        gpus: [GPUReading] = [], ports: [PortSample] = [], fabricLinks: [FabricLinkSample] = [],
        engines: [EngineReading] = []
    ) {
        self.gpus = gpus
        self.ports = ports
        self.fabricLinks = fabricLinks
        self.engines = engines
    }
}

/// A source of readings on a node: NVML, sysfs, a Prometheus scrape.
public protocol Collector: Sendable {
    /// A short name for logs and metrics: `nvml`, `infiniband`, `scrape:vllm`.
    var name: String { get }
    /// Reads the source once. `time` is seconds on the agent's clock, for rates.
    func collect(at time: Double) async -> CollectorReading
}
