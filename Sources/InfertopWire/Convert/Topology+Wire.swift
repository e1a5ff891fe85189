import InfertopCore

extension GPUModel {
    /// The wire form of a GPU of this model at `index`.
    func wire(index: Int, island: Int) -> Infertop_V1_GPU {
        var m = Infertop_V1_GPU()
        m.index = UInt32(index)
        m.modelName = name
        m.shortName = shortName
        m.vendor = vendor == .amd ? .amd : .nvidia
        m.memoryBytes = memoryBytes
        m.memoryBandwidthBytesPerSecond = memoryBandwidthBytesPerSecond
        m.fabricBytesPerSecond = fabricBytesPerSecond
        m.fabricLinkCount = UInt32(fabricLinkCount)
        m.fp8FlopsPerSecond = fp8FlopsPerSecond
        m.maxSmClockMhz = UInt32(maxSMClockMHz)
        m.tdpWatts = UInt32(tdpWatts)
        m.idleWatts = UInt32(idleWatts)
        m.island = UInt32(island)
        return m
    }

    init(wire m: Infertop_V1_GPU) {
        self.init(
            name: m.modelName, shortName: m.shortName.isEmpty ? m.modelName : m.shortName,
            vendor: m.vendor == .amd ? .amd : .nvidia, memoryBytes: m.memoryBytes,
            memoryBandwidthBytesPerSecond: m.memoryBandwidthBytesPerSecond,
            fabricBytesPerSecond: m.fabricBytesPerSecond,
            fabricLinkCount: Int(m.fabricLinkCount), fp8FlopsPerSecond: m.fp8FlopsPerSecond,
            maxSMClockMHz: Int(m.maxSmClockMhz), tdpWatts: Int(m.tdpWatts), idleWatts: Int(m.idleWatts))
    }
}

extension NodeSpec {
    /// The node's hardware as the wire carries it.
    public var wire: Infertop_V1_NodeTopology {
        var m = Infertop_V1_NodeTopology()
        m.node = id.name
        m.gpus = gpus.map { $0.model.wire(index: $0.id.index, island: $0.island) }
        m.ports = ports.map { p in
            var port = Infertop_V1_Port()
            port.name = p.name
            port.rateBytesPerSecond = p.rateBytesPerSecond
            port.linkLayer = p.linkLayer == .ethernet ? .ethernet : .infiniband
            return port
        }
        return m
    }

    /// A node from its wire form; GPUs are placed at their indexes.
    public init(wire m: Infertop_V1_NodeTopology) {
        let id = NodeID(m.node)
        let gpus = m.gpus.sorted { $0.index < $1.index }.map {
            GPUSpec(id: GPUID(node: id, index: Int($0.index)), model: GPUModel(wire: $0), island: Int($0.island))
        }
        let ports = m.ports.map {
            NetworkPort(
                name: $0.name, rateBytesPerSecond: $0.rateBytesPerSecond,
                linkLayer: $0.linkLayer == .ethernet ? .ethernet : .infiniband)
        }
        self.init(id: id, gpus: gpus, ports: ports)
    }
}

extension ReplicaSpec {
    /// The replica as the wire carries it, all its shards included.
    public var wire: Infertop_V1_Replica {
        var m = Infertop_V1_Replica()
        m.model = id.model
        m.index = UInt32(id.index)
        var served = Infertop_V1_ServedModel()
        served.name = model.name
        served.parameterCount = model.parameterCount
        served.bytesPerParameter = model.bytesPerParameter
        served.layers = UInt32(model.layers)
        served.hiddenSize = UInt32(model.hiddenSize)
        served.kvBytesPerToken = model.kvBytesPerToken
        m.servedModel = served
        m.tensorParallel = UInt32(tensorParallel)
        m.pipelineParallel = UInt32(pipelineParallel)
        m.shards = shards.map { s in
            var shard = Infertop_V1_Shard()
            shard.tpRank = UInt32(s.tpRank)
            shard.ppStage = UInt32(s.ppStage)
            shard.node = s.gpu.node.name
            shard.gpu = UInt32(s.gpu.index)
            shard.weightsBytes = s.weightsBytes
            return shard
        }
        return m
    }

    public init(wire m: Infertop_V1_Replica) {
        let id = ReplicaID(model: m.model, index: Int(m.index))
        let s = m.servedModel
        let model = ServedModel(
            name: s.name, parameterCount: s.parameterCount, bytesPerParameter: s.bytesPerParameter,
            layers: Int(s.layers),
            hiddenSize: Int(s.hiddenSize), kvBytesPerToken: s.kvBytesPerToken)
        self.init(
            id: id, model: model, tensorParallel: Int(m.tensorParallel), pipelineParallel: Int(m.pipelineParallel),
            shards: m.shards.map {
                Shard(
                    replica: id, tpRank: Int($0.tpRank), ppStage: Int($0.ppStage),
                    gpu: GPUID(node: NodeID($0.node), index: Int($0.gpu)), weightsBytes: $0.weightsBytes)
            })
    }
}
