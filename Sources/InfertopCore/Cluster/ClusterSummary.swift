/// Cluster-wide totals for the header line.
public struct ClusterSummary: Sendable, Hashable {
    public var nodes = 0
    public var nodesLive = 0
    public var gpus = 0
    public var memoryUsedBytes: UInt64 = 0
    public var memoryCapacityBytes: UInt64 = 0
    public var kvUsedBytes: UInt64 = 0
    public var kvReservedBytes: UInt64 = 0
    public var replicas = 0
    public var replicasServing = 0
    public var tokensPerSecond = 0.0
    public var requestsPerSecond = 0.0
    /// The p99 TTFT of the median replica and of the worst one.
    public var ttftP99Median = 0.0
    public var ttftP99Worst = 0.0
    public var itlP99Median = 0.0
    public var itlP99Worst = 0.0

    public init(_ state: ClusterState) {
        nodes = state.topology.nodes.count
        for (n, node) in state.topology.nodes.enumerated() {
            if state.nodeStatus[n].reachability == .live { nodesLive += 1 }
            gpus += node.gpus.count
            for sample in state.gpuSamples[n] {
                guard let m = sample?.memory else { continue }
                memoryUsedBytes += m.usedBytes
                memoryCapacityBytes += m.capacityBytes
                kvUsedBytes += m.kvUsedBytes
                kvReservedBytes += m.kvReservedBytes
            }
        }
        replicas = state.replicas.count
        var ttft: [Double] = []
        var itl: [Double] = []
        for replica in state.replicas {
            guard let s = state.replicaSamples[replica.id], s.status == .serving else { continue }
            replicasServing += 1
            tokensPerSecond += s.tokensPerSecond
            requestsPerSecond += s.requestsPerSecond
            ttft.append(s.ttftP99Seconds)
            itl.append(s.itlP99Seconds)
        }
        ttft.sort()
        itl.sort()
        ttftP99Median = ttft.isEmpty ? 0 : ttft[ttft.count / 2]
        ttftP99Worst = ttft.last ?? 0
        itlP99Median = itl.isEmpty ? 0 : itl[itl.count / 2]
        itlP99Worst = itl.last ?? 0
    }

    public var kvUsage: Double { kvReservedBytes == 0 ? 0 : Double(kvUsedBytes) / Double(kvReservedBytes) }
}
