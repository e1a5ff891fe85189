extension PlacementFailure {
    /// The sentence an operator reads for an unplaced replica: what it needs and where nothing has it.
    ///
    /// `llama-405b/3: no eligible node has an NVLink/xGMI island of 8 GPUs with 50.0 GiB free each
    /// beyond the 20% KV headroom.` "Eligible" means ACTIVE, reachable, healthy and not being evacuated.
    func reason(for replica: ReplicaID, headroomFraction: Double) -> String {
        let stageClause = stages > 1 ? " for stage \(stage + 1) of \(stages)" : ""
        let nodes = fabricOnly ? "fabric-connected node" : "node"
        let group = gpusNeeded == 1 ? "a GPU" : "an NVLink/xGMI island of \(gpusNeeded) GPUs"
        guard anyEligibleGPU else {
            let scope = fabricOnly ? "no fabric-connected node can take it" : "no node can take it"
            return "\(replica): \(scope)\(stageClause): every other node is cordoned, draining, drained or "
                + "unreachable, or its GPUs are unhealthy."
        }
        guard anyIslandLargeEnough else {
            let healthy = gpusNeeded == 1 ? "a healthy GPU" : "an NVLink/xGMI island of \(gpusNeeded) healthy GPUs"
            return "\(replica): no eligible \(nodes) has \(healthy) to spare\(stageClause)."
        }
        let each = gpusNeeded == 1 ? "" : " each"
        return "\(replica): no eligible \(nodes) has \(group) with \(Format.gib(largestShardBytes)) GiB free\(each) "
            + "beyond the \(Format.percent(headroomFraction)) KV headroom\(stageClause)."
    }
}
