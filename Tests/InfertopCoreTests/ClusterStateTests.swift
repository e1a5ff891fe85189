import InfertopTestSupport
import Testing

@testable import InfertopCore

@Suite struct ClusterStateTests {
    @Test func delta_updatesSamplesAndHistory() {
        var state = CoreFixtures.state(nodes: 2, gpus: 2)
        state.apply(CoreFixtures.delta(state, time: 1, kv: 0.5))
        state.apply(CoreFixtures.delta(state, time: 2, kv: 0.6))
        let g = GPUID(node: "node-01", index: 1)
        #expect(state.sample(g)?.time == 2)
        #expect(state.kvHistory[0][1].values.map { Double($0) }.map { ($0 * 10).rounded() / 10 } == [0.5, 0.6])
        #expect(state.status("node-01")?.reachability == .live)
    }

    @Test func delta_ignoresUnknownNodesAndGPUs() {
        var state = CoreFixtures.state(nodes: 1, gpus: 1)
        var delta = CoreFixtures.delta(state, time: 1, kv: 0.5)
        delta.gpuSamples.append(CoreFixtures.sample(GPUID(node: "nowhere", index: 0), time: 1, kv: 0.9))
        delta.gpuSamples.append(CoreFixtures.sample(GPUID(node: "node-01", index: 5), time: 1, kv: 0.9))
        state.apply(delta)
        #expect(state.sample(GPUID(node: "node-01", index: 0))?.memory.kvUsage ?? 0 < 0.6)
    }

    @Test func silentNode_goesStaleThenLost() {
        var state = CoreFixtures.state(nodes: 2, gpus: 1)
        state.apply(CoreFixtures.delta(state, time: 1, kv: 0.2))
        for t in 2...12 {
            var delta = CoreFixtures.delta(state, time: Double(t), kv: 0.2)
            delta.gpuSamples.removeAll { $0.gpu.node == "node-02" }
            state.apply(delta)
            let reach = state.status("node-02")?.reachability
            let age = Double(t) - 1
            if age < 2.5 {
                #expect(reach == .live)
            } else if age < 10 {
                #expect(reach == .stale)
            } else {
                #expect(reach == .lost)
            }
            #expect(state.status("node-01")?.reachability == .live)
        }
    }

    @Test func linkSamples_replaceTheNodesList() {
        var state = CoreFixtures.state(nodes: 1, gpus: 2)
        let link = FabricLinkSample(
            node: "node-01", gpu: 0, peer: 1, time: 1, bytesPerSecond: 1, capacityBytesPerSecond: 2, linksUp: 18,
            linksTotal: 18, errorsPerSecond: 0)
        state.apply(ClusterDelta(sequence: 1, time: 1, fabricLinks: [link, link]))
        state.apply(ClusterDelta(sequence: 2, time: 2, fabricLinks: [link]))
        #expect(state.fabricLinks[0].count == 1)
    }

    @Test func snapshot_replacesEverything() {
        var state = CoreFixtures.state(nodes: 1, gpus: 1)
        let other = CoreFixtures.state(nodes: 3, gpus: 2)
        state.apply(.snapshot(other, sequence: 4))
        #expect(state.topology.gpuCount == 6)
    }

    @Test func decodeFloor_sumsStagesAtTheSlowestGPU() {
        let state = CoreFixtures.state(nodes: 2, gpus: 2)
        let replica = ReplicaSpec(
            id: ReplicaID(model: "m", index: 0), model: .llama405BBF16, tensorParallel: 2, pipelineParallel: 2,
            shards: state.topology.nodes.enumerated().flatMap { n, node in
                node.gpus.map {
                    Shard(
                        replica: ReplicaID(model: "m", index: 0), tpRank: $0.id.index, ppStage: n, gpu: $0.id,
                        weightsBytes: 33_500_000_000)
                }
            })
        // 33.5 GB over 3.35 TB/s is 10 ms a stage; two stages in turn.
        #expect(abs(replica.decodeFloorSeconds(in: state.topology) - 0.020) < 1e-9)
        #expect(replica.layout == "TP2xPP2")
    }
}
