/// One accelerator as placed in its node.
public struct GPUSpec: Hashable, Sendable {
    public let id: GPUID
    public let model: GPUModel
    /// GPUs with the same island number share a full NVLink/xGMI mesh.
    public let island: Int

    public init(id: GPUID, model: GPUModel, island: Int) {
        self.id = id
        self.model = model
        self.island = island
    }
}

/// A network port of a node (InfiniBand HCA or RoCE NIC), named as sysfs names it.
public struct NetworkPort: Hashable, Sendable {
    public enum LinkLayer: String, Sendable {
        case infiniband = "InfiniBand"
        case ethernet = "Ethernet"
    }

    public let name: String
    public let rateBytesPerSecond: Double
    public let linkLayer: LinkLayer

    public init(name: String, rateBytesPerSecond: Double, linkLayer: LinkLayer) {
        self.name = name
        self.rateBytesPerSecond = rateBytesPerSecond
        self.linkLayer = linkLayer
    }
}

/// One GPU node: its accelerators and its network ports.
public struct NodeSpec: Hashable, Sendable {
    public let id: NodeID
    public let gpus: [GPUSpec]
    public let ports: [NetworkPort]

    public init(id: NodeID, gpus: [GPUSpec], ports: [NetworkPort]) {
        self.id = id
        self.gpus = gpus
        self.ports = ports
    }

    /// The GPU model of the node, or nil for a node that mixes models.
    public var gpuModel: GPUModel? {
        guard let first = gpus.first?.model else { return nil }
        return gpus.allSatisfy { $0.model == first } ? first : nil
    }

    public var memoryBytes: UInt64 { gpus.reduce(0) { $0 + $1.model.memoryBytes } }
}

/// The hardware of the whole cluster, with dense indexes for fast lookups.
///
/// Samples are kept in arrays parallel to `nodes` and `nodes[i].gpus`, so a view over
/// thousands of GPUs reads them without hashing.
public struct Topology: Hashable, Sendable {
    public let nodes: [NodeSpec]
    private let nodeIndexByID: [NodeID: Int]

    public init(nodes: [NodeSpec]) {
        self.nodes = nodes
        var index: [NodeID: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node.id] = i }
        self.nodeIndexByID = index
    }

    public func nodeIndex(of id: NodeID) -> Int? { nodeIndexByID[id] }

    public func node(_ id: NodeID) -> NodeSpec? { nodeIndexByID[id].map { nodes[$0] } }

    public func gpu(_ id: GPUID) -> GPUSpec? {
        guard let n = nodeIndexByID[id.node], nodes[n].gpus.indices.contains(id.index) else { return nil }
        return nodes[n].gpus[id.index]
    }

    public var gpuCount: Int { nodes.reduce(0) { $0 + $1.gpus.count } }
    public var memoryBytes: UInt64 { nodes.reduce(0) { $0 + $1.memoryBytes } }
}
