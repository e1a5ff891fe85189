/// Traffic and health of the NVLink/xGMI links between two GPUs of one node, one direction.
public struct FabricLinkSample: Hashable, Sendable {
    public var node: NodeID
    public var gpu: Int
    public var peer: Int
    public var time: Double
    public var bytesPerSecond: Double
    public var capacityBytesPerSecond: Double
    /// Links of the GPU that are up, of `linksTotal` (a GPU-wide figure, as NVML reports it).
    public var linksUp: Int
    public var linksTotal: Int
    /// CRC, replay and recovery errors per second.
    public var errorsPerSecond: Double

    public init(
        node: NodeID, gpu: Int, peer: Int, time: Double, bytesPerSecond: Double,
        capacityBytesPerSecond: Double, linksUp: Int, linksTotal: Int, errorsPerSecond: Double
    ) {
        self.node = node
        self.gpu = gpu
        self.peer = peer
        self.time = time
        self.bytesPerSecond = bytesPerSecond
        self.capacityBytesPerSecond = capacityBytesPerSecond
        self.linksUp = linksUp
        self.linksTotal = linksTotal
        self.errorsPerSecond = errorsPerSecond
    }

    public var utilization: Double { capacityBytesPerSecond > 0 ? bytesPerSecond / capacityBytesPerSecond : 0 }
}

/// Traffic and health of one InfiniBand/RoCE port of a node.
public struct PortSample: Hashable, Sendable {
    public enum State: String, Sendable {
        case active = "ACTIVE"
        case down = "DOWN"
        case initializing = "INIT"
    }

    public var node: NodeID
    public var port: String
    public var time: Double
    public var state: State
    public var txBytesPerSecond: Double
    public var rxBytesPerSecond: Double
    public var rateBytesPerSecond: Double
    /// Symbol, link-downed and receive errors per second.
    public var errorsPerSecond: Double

    public init(
        node: NodeID, port: String, time: Double, state: State, txBytesPerSecond: Double,
        rxBytesPerSecond: Double, rateBytesPerSecond: Double, errorsPerSecond: Double
    ) {
        self.node = node
        self.port = port
        self.time = time
        self.state = state
        self.txBytesPerSecond = txBytesPerSecond
        self.rxBytesPerSecond = rxBytesPerSecond
        self.rateBytesPerSecond = rateBytesPerSecond
        self.errorsPerSecond = errorsPerSecond
    }
}
