import InfertopCore
import Testing

@testable import InfertopSim

@Suite struct LayoutTests {
    @Test func defaultFleet_isHeterogeneousWithBothLargeModelLayouts() {
        let topology = ClusterLayout.topology(SimulationConfig())
        #expect(topology.nodes.count == 16)
        #expect(topology.gpuCount == 128)
        let models = Dictionary(grouping: topology.nodes, by: { $0.gpuModel?.shortName ?? "?" }).mapValues(\.count)
        #expect(models == ["H100": 8, "H200": 4, "MI300X": 4])
        let replicas = ClusterLayout.replicas(on: topology)
        let big = replicas.filter { $0.model.name == "llama-405b" }
        #expect(big.count >= 4)
        #expect(big.contains { $0.layout == "TP8xPP2" && $0.nodes.count == 2 })
        #expect(big.contains { $0.layout == "TP8" && $0.nodes.count == 1 })
        #expect(replicas.contains { $0.model.name != "llama-405b" })
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
