import InfertopCore
import InfertopSim
import InfertopWire
import Testing

/// The agents' edge: wire messages become Core `NodeReport`s before the merger sees them.
@Suite struct NodeReportWireTests {
    let cluster: SimulatedCluster = {
        let c = SimulatedCluster(config: SimulationConfig(seed: 3, nodes: 2, gpusPerNode: 8))
        _ = c.run(to: 20, spans: false)
        return c
    }()

    private func values(_ node: NodeID) -> NodeValues {
        let replicas = Set(cluster.replicas.filter { $0.nodes.contains(node) }.map(\.id))
        return NodeValues(node: node, from: cluster.sample(), replicas: replicas)
    }

    @Test func aSnapshotBecomesAFullReport_withTheNodeItsReplicasAndItsValues() throws {
        let node = cluster.topology.nodes[1]
        let hosted = cluster.replicas.filter { $0.nodes.contains(node.id) }
        var m = Infertop_V1_Update()
        m.time = 1234.5
        m.spansDroppedInTransit = 7
        m.snapshot.topology = node.wire
        m.snapshot.replicas = hosted.map(\.wire)
        m.snapshot.values = values(node.id).wire
        let report = NodeReport(wire: m, node: nil)
        guard case .full(let spec, let replicas, let delta) = report.content else {
            Issue.record("a snapshot must become a full report")
            return
        }
        #expect(spec == node)
        #expect(replicas == hosted)
        #expect(delta.gpuSamples.count == 8 && delta.gpuSamples.allSatisfy { $0.gpu.node == node.id })
        #expect(
            delta.gpuSamples.map(\.memory)
                == values(node.id).gpus.keys.sorted().map { values(node.id).gpus[$0]!.memory })
        #expect(Set(delta.replicaSamples.map(\.replica)) == Set(hosted.map(\.id)))
        #expect(report.reportedTime == 1234.5 && report.spansDroppedInTransit == 7 && report.node == node.id)
    }

    @Test func aDeltaTakesTheNodeTheConnectionDescribed_andCarriesNothingBeforeIt() {
        let node = cluster.topology.nodes[0].id
        var m = Infertop_V1_Update()
        m.time = 99
        m.delta = values(node).wire
        guard case .values(let delta) = NodeReport(wire: m, node: node).content else {
            Issue.record("a delta must become a values report")
            return
        }
        #expect(delta.gpuSamples.count == 8 && delta.gpuSamples.allSatisfy { $0.gpu.node == node })
        guard case .values(let unknown) = NodeReport(wire: m, node: nil).content else {
            Issue.record("a delta must become a values report")
            return
        }
        #expect(unknown.isEmpty, "values for a node not yet described are dropped")
        #expect(NodeReport(wire: m, node: nil).reportedTime == 99)
    }

    @Test func aHeartbeatIsASignOfLife() {
        var m = Infertop_V1_Update()
        m.heartbeat = Infertop_V1_Heartbeat()
        guard case .heartbeat = NodeReport(wire: m, node: "node-01").content else {
            Issue.record("a heartbeat must stay a heartbeat")
            return
        }
    }
}
