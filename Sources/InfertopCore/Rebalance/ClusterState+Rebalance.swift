extension RebalanceInput {
    /// The planner's input from a dashboard state: used memory from GPU samples, lifecycles from
    /// node status, lost nodes unreachable, serving from replica samples (as `LifecycleSnapshot`).
    public init(
        _ state: ClusterState, unhealthyGPUs: Set<GPUID> = [], deadlines: [NodeID: Double] = [:],
        options: RebalanceOptions = RebalanceOptions()
    ) {
        var used: [GPUID: UInt64] = [:]
        for row in state.gpuSamples {
            for sample in row.compactMap({ $0 }) { used[sample.gpu] = sample.memory.usedBytes }
        }
        let snapshot = LifecycleSnapshot(state, deadlines: deadlines)
        self.init(
            topology: state.topology, replicas: state.replicas, usedBytes: used, nodeStates: snapshot.states,
            unhealthyGPUs: unhealthyGPUs, unreachableNodes: snapshot.unreachable, serving: snapshot.serving,
            options: options)
    }
}
