extension GapReasons {
    /// A hardware fault active on `node` that the dashboard shows elsewhere (view 2 or 3), in the
    /// words of the gap line: `mlx5_0 down`, `mlx5_0 erroring`, `gpu5 throttled`,
    /// `NVLink gpu4-gpu5 3/7 lanes`. GPUs of `replica` come first, then any on the node; nil when
    /// the node has no such fault.
    public static func hardware(node: NodeID?, replica: ReplicaID?, state: ClusterState, rules: HealthRules) -> String?
    {
        guard let node, let n = state.topology.nodeIndex(of: node), state.status(node)?.reachability == .live else {
            return nil
        }
        let spec = state.topology.nodes[n]
        let mine = Set(
            replica.flatMap { state.replica($0) }?.shards.filter { $0.gpu.node == node }.map(\.gpu.index) ?? [])
        func ownFirst(_ a: Int, _ b: Int) -> Bool { (mine.contains(a) ? 0 : 1, a) < (mine.contains(b) ? 0 : 1, b) }

        let throttled = spec.gpus.indices.filter { g in
            guard let sample = state.gpuSamples[n][g] else { return false }
            return rules.isStraggler(sample, model: spec.gpus[g].model)
        }
        if let g = throttled.min(by: ownFirst) { return "gpu\(g) throttled" }

        let degraded = state.fabricLinks[n].filter { rules.isDegraded($0) }
        if let link = degraded.min(by: { a, b in
            a.gpu != b.gpu ? ownFirst(a.gpu, b.gpu) : (a.linksUp, a.peer) < (b.linksUp, b.peer)
        }) {
            let fabric = spec.gpus.first?.model.vendor.fabricName ?? "fabric"
            return "\(fabric) gpu\(link.gpu)-gpu\(link.peer) \(link.linksUp)/\(link.linksTotal) lanes"
        }

        if let bad = state.ports[n].first(where: { $0.state != .active }) {
            return "\(bad.port) \(bad.state.rawValue.lowercased())"
        }
        if let bad = state.ports[n].first(where: { $0.errorsPerSecond >= rules.portErrorsPerSecond }) {
            return "\(bad.port) erroring"
        }
        return nil
    }
}
