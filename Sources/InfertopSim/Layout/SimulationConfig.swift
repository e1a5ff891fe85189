/// The knobs of a simulated cluster: same values, same cluster, same output.
public struct SimulationConfig: Sendable, Hashable {
    public var seed: UInt64
    public var nodes: Int
    public var gpusPerNode: Int
    /// Virtual seconds per simulation step; samples are taken every whole second.
    public var tickSeconds: Double
    /// Scales request arrivals (1 = the calibrated load).
    public var load: Double
    /// Whether the scripted incident timeline runs.
    public var incidents: Bool
    /// Unix time, in nanoseconds, of virtual second zero in the spans of simulated requests.
    /// The fixed default keeps runs replayable; an agent sets its wall clock at start so that
    /// simulated spans line up with real ones.
    public var spanEpochNanos: UInt64
    /// The most spans held between two `takeFinishedSpans()` calls; older ones are dropped. 0 keeps none.
    public var spanBufferCapacity: Int

    public init(
        seed: UInt64 = 7, nodes: Int = 17, gpusPerNode: Int = 8, tickSeconds: Double = 0.2, load: Double = 1,
        incidents: Bool = true, spanEpochNanos: UInt64 = SimulationConfig.defaultSpanEpochNanos,
        spanBufferCapacity: Int = 65_536
    ) {
        self.seed = seed
        self.nodes = nodes
        self.gpusPerNode = gpusPerNode
        self.tickSeconds = tickSeconds
        self.load = load
        self.incidents = incidents
        self.spanEpochNanos = spanEpochNanos
        self.spanBufferCapacity = spanBufferCapacity
    }

    /// 2026-01-01T00:00:00Z.
    public static let defaultSpanEpochNanos: UInt64 = 1_767_225_600 * 1_000_000_000

    /// The largest cluster the simulator builds.
    public static let maxNodes = 4096
    public static let gpusPerNodeRange = 1...16
}
