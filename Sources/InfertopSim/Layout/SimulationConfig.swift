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

    public init(
        seed: UInt64 = 7, nodes: Int = 16, gpusPerNode: Int = 8, tickSeconds: Double = 0.2, load: Double = 1,
        incidents: Bool = true
    ) {
        self.seed = seed
        self.nodes = nodes
        self.gpusPerNode = gpusPerNode
        self.tickSeconds = tickSeconds
        self.load = load
        self.incidents = incidents
    }

    /// The largest cluster the simulator builds.
    public static let maxNodes = 4096
    public static let gpusPerNodeRange = 1...16
}
