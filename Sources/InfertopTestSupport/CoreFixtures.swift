import InfertopCore

/// Small hand-built clusters for unit tests of the core logic.
public enum CoreFixtures {
    /// `nodes` H100 nodes of `gpus` GPUs, named node-01..., one TP replica per node.
    public static func state(nodes: Int, gpus: Int) -> ClusterState {
        let specs = (0..<nodes).map { n -> NodeSpec in
            let id = NodeID(n + 1 < 10 ? "node-0\(n + 1)" : "node-\(n + 1)")
            return NodeSpec(
                id: id, gpus: (0..<gpus).map { GPUSpec(id: GPUID(node: id, index: $0), model: .h100, island: 0) },
                ports: [NetworkPort(name: "mlx5_0", rateBytesPerSecond: 50e9, linkLayer: .infiniband)])
        }
        let topology = Topology(nodes: specs)
        let replicas = specs.enumerated().map { n, node in
            let id = ReplicaID(model: "llama-405b", index: n)
            return ReplicaSpec(
                id: id, model: .llama405B, tensorParallel: gpus, pipelineParallel: 1,
                shards: node.gpus.map {
                    Shard(replica: id, tpRank: $0.id.index, ppStage: 0, gpu: $0.id, weightsBytes: 50 * gigabyte)
                })
        }
        return ClusterState(topology: topology, replicas: replicas)
    }

    /// A healthy sample with the given KV use.
    public static func sample(_ gpu: GPUID, time: Double, kv: Double, waiting: Int = 0, preemptions: Double = 0)
        -> GPUSample
    {
        let pool: UInt64 = 20 * gigabyte
        let used = UInt64(Double(pool) * kv)
        return GPUSample(
            gpu: gpu, time: time,
            memory: MemoryBreakdown(
                capacityBytes: 80 * gigabyte, weightsBytes: 50 * gigabyte, kvUsedBytes: used, kvFreeBytes: pool - used,
                activationBytes: 2 * gigabyte, otherBytes: 2 * gigabyte),
            utilization: 0.9, temperatureCelsius: 70, powerWatts: 600, smClockMHz: 1980, throttle: [],
            preemptionsPerSecond: preemptions, runningRequests: 10, waitingRequests: waiting)
    }

    /// Samples for every GPU, every replica serving with the same latency.
    public static func delta(_ state: ClusterState, time: Double, kv: Double) -> ClusterDelta {
        var gpus: [GPUSample] = []
        for node in state.topology.nodes {
            for spec in node.gpus { gpus.append(sample(spec.id, time: time, kv: kv)) }
        }
        let replicas = state.replicas.map { replicaSample($0.id, time: time) }
        return ClusterDelta(sequence: UInt64(time), time: time, gpuSamples: gpus, replicaSamples: replicas)
    }

    public static func replicaSample(_ id: ReplicaID, time: Double, ttft: Double = 0.4, itl: Double = 0.03)
        -> ReplicaSample
    {
        ReplicaSample(
            replica: id, time: time, status: .serving, tokensPerSecond: 1000, requestsPerSecond: 3, runningRequests: 10,
            waitingRequests: 0, preemptionsPerSecond: 0, ttftP50Seconds: ttft / 3, ttftP99Seconds: ttft,
            itlP50Seconds: itl * 0.8, itlP99Seconds: itl, stepSeconds: itl, floorSeconds: 0.0076)
    }
}
