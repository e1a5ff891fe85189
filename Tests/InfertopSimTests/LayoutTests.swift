import InfertopCore
import Testing

@testable import InfertopSim

@Suite struct LayoutTests {
    @Test func defaultFleet_isHeterogeneousWithBothLargeModelLayouts() {
        let topology = ClusterLayout.topology(SimulationConfig())
        #expect(topology.nodes.count == 17)
        #expect(topology.gpuCount == 136)
        let models = Dictionary(grouping: topology.nodes, by: { $0.gpuModel?.shortName ?? "?" }).mapValues(\.count)
        #expect(models == ["H100": 8, "H200": 5, "MI300X": 4])
        let replicas = ClusterLayout.replicas(on: topology)
        let big = replicas.filter { $0.model.name == "llama-405b" }
        #expect(big.count >= 4)
        #expect(big.contains { $0.layout == "TP8xPP2" && $0.nodes.count == 2 })
        #expect(big.contains { $0.layout == "TP8" && $0.nodes.count == 1 })
        #expect(replicas.contains { $0.model.name != "llama-405b" })
    }

    /// One node in 17 serves nothing (node-17, node-34, ...), so that plans have somewhere to go:
    /// the demo's KV-starved replica (llama-405b/5 on node-10) can be relieved onto the spare,
    /// and an evacuation of a one-node replica finds a home.
    @Test func everySeventeenthNode_isAnEmptyHotSpare_andPlansPlaceOntoIt() throws {
        let topology = ClusterLayout.topology(SimulationConfig(nodes: 34))
        let replicas = ClusterLayout.replicas(on: topology)
        let spares = topology.nodes.indices.filter(ClusterLayout.isSpare).map { topology.nodes[$0].id }
        #expect(spares == ["node-17", "node-34"])
        for spare in spares { #expect(!replicas.contains { $0.nodes.contains(spare) }, "\(spare) serves") }
        // Memory in use as the dashboard sees it at the demo's first incident (engines reserve
        // their KV pools, so serving GPUs look full and only the spare has room).
        let state = SimulatedCluster.state(config: SimulationConfig(), at: 70)
        let relieve = try RebalancePlanner(RebalanceInput(state)).plan(.relieve(GPUID(node: "node-10", index: 6))).get()
        #expect(relieve.isComplete, "\(relieve.unplaced)")
        #expect(relieve.moves.map(\.replica) == [ReplicaID(model: "llama-405b", index: 5)])
        #expect(relieve.moves.first?.toGPUs.allSatisfy { $0.node == "node-17" } == true)
    }

    @Test(arguments: [(1, 8), (3, 4), (17, 8), (128, 8), (5, 1), (2, 16)])
    func anySize_placesShardsOnRealGPUsWithinMemory(nodes: Int, gpus: Int) {
        let config = SimulationConfig(nodes: nodes, gpusPerNode: gpus)
        let topology = ClusterLayout.topology(config)
        #expect(topology.gpuCount == nodes * gpus)
        var used = Set<GPUID>()
        for replica in ClusterLayout.replicas(on: topology) {
            #expect(replica.shards.count == replica.tensorParallel * replica.pipelineParallel)
            for shard in replica.shards {
                let gpu = topology.gpu(shard.gpu)
                #expect(gpu != nil)
                #expect(Double(shard.weightsBytes) < Double(gpu?.model.memoryBytes ?? 0) * 0.7)
                #expect(used.insert(shard.gpu).inserted, "\(shard.gpu) holds two shards")
            }
        }
    }

    @Test func nodeNames_padToTheFleetSize() {
        #expect(ClusterLayout.nodeName(6, total: 16).name == "node-07")
        #expect(ClusterLayout.nodeName(6, total: 128).name == "node-007")
    }
}
