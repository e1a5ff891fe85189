import InfertopCore
import InfertopTestSupport
import Testing

/// One merger for every source: an agent's reports and a fleet source's refreshes fold into the
/// same state, and an agent wins for the node it covers.
@Suite struct ClusterMergerFleetTests {
    let cluster = CoreFixtures.state(nodes: 2, gpus: 2)

    private func report(_ n: Int, kv: Double, age: Double = 0) -> NodeReport {
        let node = cluster.topology.nodes[n]
        var values = ClusterDelta(sequence: 0, time: 0)
        if age == 0 { values.gpuSamples = node.gpus.map { CoreFixtures.sample($0.id, time: 0, kv: kv) } }
        let replicas = cluster.replicas.filter { $0.nodes.contains(node.id) }
        return NodeReport(.full(node: node, replicas: replicas, values: values), age: age)
    }

    /// A Prometheus refresh folded into `merged`.
    @discardableResult
    private func refresh(
        _ merged: inout MergedCluster, _ reports: [NodeReport], notes: [String] = [], now: Double
    ) -> ClusterUpdate {
        merged.fold { $0.receive(fleet: reports, from: "prometheus p", version: nil, notes: notes, now: now) }
    }

    private func kv(_ state: ClusterState, _ n: Int) -> Double? {
        state.sample(cluster.topology.nodes[n].gpus[0].id)?.memory.kvUsage
    }

    @Test func aFleetRefreshBuildsTheCluster_andNamesWhatItLacks() {
        var merged = MergedCluster()
        guard
            case .reshaped = refresh(
                &merged, [report(0, kv: 0.5), report(1, kv: 0.5)], notes: ["no NVLink series"], now: 1)
        else {
            Issue.record("new nodes reshape the cluster")
            return
        }
        let state = merged.state
        #expect(state.topology.gpuCount == 4 && state.replicas.count == 2)
        #expect(
            state.sources["prometheus p"]?.kind == .fleet
                && state.sources["prometheus p"]?.notes == ["no NVLink series"])
        guard case .delta = refresh(&merged, [report(0, kv: 0.6), report(1, kv: 0.6)], now: 2)
        else {
            Issue.record("the same nodes again make a delta")
            return
        }
        #expect(abs((kv(merged.state, 0) ?? 0) - 0.6) < 0.01)
    }

    @Test func anAgentWinsForTheNodeItCovers() {
        var merged = MergedCluster()
        refresh(&merged, [report(0, kv: 0.5), report(1, kv: 0.5)], now: 1)
        merged.fold { $0.receive(report(0, kv: 0.9), from: "10.0.0.1:50051", version: "1", now: 1.5) }
        refresh(&merged, [report(0, kv: 0.1), report(1, kv: 0.1)], now: 2)
        #expect(abs((kv(merged.state, 0) ?? 0) - 0.9) < 0.01, "the agent's value stays")
        #expect(abs((kv(merged.state, 1) ?? 0) - 0.1) < 0.01, "Prometheus serves the node no agent covers")
        // The agent goes away: Prometheus serves its node again.
        merged.fold {
            $0.receive(
                SourceStatus(address: "10.0.0.1:50051", state: .retrying(reason: "closed", inSeconds: 1)), now: 3)
        }
        refresh(&merged, [report(0, kv: 0.2), report(1, kv: 0.2)], now: 4)
        #expect(abs((kv(merged.state, 0) ?? 0) - 0.2) < 0.01)
    }

    @Test func aNodeTheFleetNoLongerHears_turnsStaleThenLost() {
        var merged = MergedCluster()
        refresh(&merged, [report(0, kv: 0.5), report(1, kv: 0.5)], now: 1)
        refresh(&merged, [report(0, kv: 0.5), report(1, kv: 0, age: 3)], now: 5)
        #expect(merged.state.status(cluster.topology.nodes[0].id)?.reachability == .live)
        #expect(merged.state.status(cluster.topology.nodes[1].id)?.reachability == .stale)
        refresh(&merged, [report(0, kv: 0.5), report(1, kv: 0, age: 11)], now: 20)
        #expect(merged.state.status(cluster.topology.nodes[1].id)?.reachability == .lost)
    }

    @Test func aNodeFirstSeenSilent_isStaleFromTheStart() {
        var merged = MergedCluster()
        refresh(&merged, [report(0, kv: 0.5), report(1, kv: 0, age: 4)], now: 0)
        #expect(merged.state.status(cluster.topology.nodes[0].id)?.reachability == .live)
        #expect(merged.state.status(cluster.topology.nodes[1].id)?.reachability == .stale)
        #expect(merged.state.topology.gpuCount == 4, "a silent node is still listed")
    }

    @Test func historyOnOpenFillsTheSparklines() {
        var merged = MergedCluster()
        refresh(&merged, [report(0, kv: 0.5)], now: 1)
        let gpu = cluster.topology.nodes[0].gpus[0].id
        merged.fold { $0.receive(history: GPUHistory(kvUsage: [gpu: [0.1, 0.2, 0.3]]), now: 1) }
        let values = merged.state.kvHistory[0][0].values
        #expect(values.prefix(3) == [0.1, 0.2, 0.3] && values.count == 4)
    }
}
