import InfertopCore
import InfertopSim
import InfertopWire
import SwiftProtobuf
import Testing

/// Core values survive the trip through `infertop.v1` and its binary encoding.
@Suite struct WireConversionTests {
    let cluster: SimulatedCluster = {
        let c = SimulatedCluster(config: SimulationConfig(seed: 3, nodes: 16))
        c.advance(to: 65)
        return c
    }()

    @Test func samples_roundTripThroughBytes() throws {
        let delta = cluster.sample()
        let node = cluster.topology.nodes[9].id
        let replicas = Set(cluster.replicas.filter { $0.nodes.contains(node) }.map(\.id))
        let values = NodeValues(node: node, from: delta, replicas: replicas)
        let bytes: [UInt8] = try values.wire.serializedBytes()
        let decoded = try Infertop_V1_Delta(serializedBytes: bytes)
        let back = NodeValues.delta(from: decoded, node: node, sequence: 1, time: delta.time)
        #expect(back.gpuSamples == delta.gpuSamples.filter { $0.gpu.node == node })
        #expect(back.fabricLinks == delta.fabricLinks.filter { $0.node == node })
        #expect(back.ports == delta.ports.filter { $0.node == node })
        #expect(Set(back.replicaSamples) == Set(delta.replicaSamples.filter { replicas.contains($0.replica) }))
    }

    @Test func topologyAndReplicas_roundTrip() throws {
        for node in cluster.topology.nodes {
            let bytes: [UInt8] = try node.wire.serializedBytes()
            #expect(NodeSpec(wire: try Infertop_V1_NodeTopology(serializedBytes: bytes)) == node)
        }
        for replica in cluster.replicas {
            let bytes: [UInt8] = try replica.wire.serializedBytes()
            #expect(ReplicaSpec(wire: try Infertop_V1_Replica(serializedBytes: bytes)) == replica)
        }
    }

    @Test func merging_keepsTheNewestValueOfEach() {
        let a = NodeValues(node: "node-01", from: cluster.sample(), replicas: [])
        cluster.advance(to: 66)
        let b = NodeValues(node: "node-01", from: cluster.sample(), replicas: [])
        var merged = a
        merged.merge(b)
        #expect(merged.gpus == b.gpus)
        #expect(merged.fabricLinks == b.fabricLinks)
    }
}

@Suite struct ProblemsOnTheWireTests {
    @Test func problems_travelOnlyWhenChanged() {
        var values = NodeValues(node: "node-01")
        #expect(NodeValues.delta(from: values.wire, node: "node-01", sequence: 1, time: 0).problems.isEmpty)
        values.problems = ["scrape:vllm: connection refused"]
        let delta = NodeValues.delta(from: values.wire, node: "node-01", sequence: 2, time: 0)
        #expect(delta.problems == ["node-01": ["scrape:vllm: connection refused"]])
        values.problems = []
        #expect(NodeValues.delta(from: values.wire, node: "node-01", sequence: 3, time: 0).problems == ["node-01": []])
    }
}
