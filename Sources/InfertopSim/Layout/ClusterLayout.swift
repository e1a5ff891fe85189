import InfertopCore

/// Builds the simulated fleet: which hardware each node has and where each replica's shards sit.
///
/// Nodes come in blocks of 17 that repeat: 8 H100 nodes (Llama 405B in BF16 as TP x PP2 across
/// node pairs), 4 H200 nodes (405B in FP8 as TP8 inside one node, then Llama 70B as TP4),
/// 4 MI300X nodes (405B FP8 TP8, 70B TP2, 8B TP1), and a hot-spare H200 node that serves
/// nothing, as real fleets keep one idle node per 16: a drained node's replicas and a relieved
/// GPU's replica have somewhere to go. A layout that does not fit the memory of the chosen GPUs
/// per node falls back to the next smaller model, so odd sizes still make sense.
public enum ClusterLayout {
    /// Nodes per block: 16 serving and the spare.
    public static let blockSize = 17

    /// Whether the node at this index is its block's hot spare (the 17th).
    public static func isSpare(_ index: Int) -> Bool { index % blockSize == blockSize - 1 }

    public static func nodeName(_ index: Int, total: Int) -> NodeID {
        let digits = max(2, String(total).count)
        var number = String(index + 1)
        while number.count < digits { number = "0" + number }
        return NodeID("node-\(number)")
    }

    public static func gpuModel(forNode index: Int) -> GPUModel {
        switch index % blockSize {
        case 0..<8: .h100
        case 8..<12: .h200
        case 12..<16: .mi300x
        default: .h200  // the spare: the largest NVIDIA part, so a 405B TP8 replica fits with KV room
        }
    }

    public static func topology(_ config: SimulationConfig) -> Topology {
        let nodes = (0..<config.nodes).map { i -> NodeSpec in
            let id = nodeName(i, total: config.nodes)
            let model = gpuModel(forNode: i)
            let gpus = (0..<config.gpusPerNode).map { GPUSpec(id: GPUID(node: id, index: $0), model: model, island: 0) }
            let layer: NetworkPort.LinkLayer = model.vendor == .amd ? .ethernet : .infiniband
            let ports = (0..<max(1, config.gpusPerNode)).map {
                NetworkPort(name: "mlx5_\($0)", rateBytesPerSecond: 50e9, linkLayer: layer)
            }
            return NodeSpec(id: id, gpus: gpus, ports: ports)
        }
        return Topology(nodes: nodes)
    }

    /// Places replicas on the topology, block by block, leaving each block's spare empty.
    public static func replicas(on topology: Topology) -> [ReplicaSpec] {
        var counters: [String: Int] = [:]
        var out: [ReplicaSpec] = []
        func add(_ model: ServedModel, _ tp: Int, _ stages: [[GPUSpec]]) {
            let index = counters[model.name, default: 0]
            counters[model.name] = index + 1
            let id = ReplicaID(model: model.name, index: index)
            let perGPU = UInt64(model.weightsBytes / Double(tp * stages.count))
            var shards: [Shard] = []
            for (stage, gpus) in stages.enumerated() {
                for (rank, gpu) in gpus.enumerated() {
                    shards.append(Shard(replica: id, tpRank: rank, ppStage: stage, gpu: gpu.id, weightsBytes: perGPU))
                }
            }
            out.append(
                ReplicaSpec(id: id, model: model, tensorParallel: tp, pipelineParallel: stages.count, shards: shards))
        }
        let nodes = topology.nodes
        var i = 0
        while i < nodes.count {
            let node = nodes[i]
            let gpus = node.gpus
            let position = i % blockSize
            if isSpare(i) {
                i += 1
                continue
            }
            if position < 8, position % 2 == 0, i + 1 < nodes.count, position + 1 < 8,
                fits(.llama405BBF16, gpus: gpus.count * 2, model: .h100)
            {
                add(.llama405BBF16, gpus.count, [gpus, nodes[i + 1].gpus])
                i += 2
                continue
            }
            let model = gpus.first?.model ?? .h100
            let choice: [(ServedModel, Int)]
            switch position {
            case 8, 9, 12, 13: choice = [(.llama405B, gpus.count)]
            case 10, 11: choice = [(.llama70B, 4)]
            case 14: choice = [(.llama70B, 2)]
            case 15: choice = [(.llama8B, 1)]
            default: choice = [(.llama70B, min(4, gpus.count))]
            }
            place(choice, gpus: gpus, model: model, add: add)
            i += 1
        }
        return out
    }

    private static func place(
        _ choice: [(ServedModel, Int)], gpus: [GPUSpec], model: GPUModel,
        add: (ServedModel, Int, [[GPUSpec]]) -> Void
    ) {
        let fallbacks: [ServedModel] = [.llama405B, .llama70B, .llama8B]
        for (wanted, wantedTP) in choice {
            let start = fallbacks.firstIndex(of: wanted) ?? 0
            for candidate in fallbacks[start...] {
                var tp = min(wantedTP, gpus.count)
                if candidate != wanted { tp = min(max(1, wantedTP), gpus.count) }
                while tp <= gpus.count, !fits(candidate, gpus: tp, model: model) { tp *= 2 }
                guard tp <= gpus.count, fits(candidate, gpus: tp, model: model) else { continue }
                var first = 0
                while first + tp <= gpus.count {
                    add(candidate, tp, [Array(gpus[first..<(first + tp)])])
                    first += tp
                }
                return
            }
        }
    }

    /// Whether a model's weights leave room for a useful KV cache on `gpus` GPUs of this model.
    static func fits(_ served: ServedModel, gpus: Int, model: GPUModel) -> Bool {
        served.weightsBytes / Double(gpus) <= Double(model.memoryBytes) * 0.66
    }
}
