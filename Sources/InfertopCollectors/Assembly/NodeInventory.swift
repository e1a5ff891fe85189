import InfertopCore

/// A node's hardware and replicas as Core specs, from what its collectors read and the engines
/// bound to it. The agent builds its node this way, and so does the Prometheus fleet source for
/// every node it finds, so both describe a node alike.
public enum NodeInventory {
    /// The node's hardware: every GPU some reading names (the first reading's name wins), and
    /// every InfiniBand port.
    public static func spec(node: NodeID, readings: [CollectorReading]) -> NodeSpec {
        var gpus: [Int: GPUReading] = [:]
        for r in readings { for g in r.gpus where gpus[g.index] == nil { gpus[g.index] = g } }
        let specs = gpus.keys.sorted().compactMap { index -> GPUSpec? in
            guard let g = gpus[index] else { return nil }
            return GPUSpec(id: GPUID(node: node, index: index), model: model(for: g), island: 0)
        }
        var ports: [NetworkPort] = []
        for r in readings {
            for p in r.ports where !ports.contains(where: { $0.name == p.port }) {
                ports.append(
                    NetworkPort(name: p.port, rateBytesPerSecond: p.rateBytesPerSecond, linkLayer: .infiniband))
            }
        }
        return NodeSpec(id: node, gpus: specs, ports: ports)
    }

    /// The datasheet model for a GPU name, or one built from what the device reports.
    public static func model(for g: GPUReading) -> GPUModel {
        let name = g.name ?? "GPU"
        for known in [GPUModel.h100, .h200, .mi300x] where name.contains(known.shortName) { return known }
        let vendor: Vendor = name.contains("AMD") || name.contains("Instinct") ? .amd : .nvidia
        return GPUModel(
            name: name, shortName: String(name.split(separator: " ").last ?? "GPU"), vendor: vendor,
            memoryBytes: g.memoryTotalBytes ?? 0, memoryBandwidthBytesPerSecond: 0, fabricBytesPerSecond: 0,
            fabricLinkCount: g.fabricLinksTotal ?? 0, fp8FlopsPerSecond: 0, maxSMClockMHz: g.maxSMClockMHz ?? 0,
            tdpWatts: 0, idleWatts: 0)
    }

    /// Replicas from the engine bindings: one TP group over the bound GPUs of this node.
    public static func replicas(_ bindings: [EngineBinding], node: NodeID) -> [ReplicaSpec] {
        bindings.map { b in
            let id = b.replicaID
            let shards = b.gpus.enumerated().map { rank, gpu in
                Shard(
                    replica: id, tpRank: rank, ppStage: 0, gpu: GPUID(node: node, index: gpu),
                    weightsBytes: b.weightsBytesPerGPU ?? 0)
            }
            let model = ServedModel(
                name: b.model, parameterCount: 0, bytesPerParameter: 0, layers: 0, hiddenSize: 0, kvBytesPerToken: 0)
            return ReplicaSpec(
                id: id, model: model, tensorParallel: max(1, b.gpus.count), pipelineParallel: 1, shards: shards)
        }
    }
}
