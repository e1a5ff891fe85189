import InfertopCore
import InfertopWire
import Testing

/// The dashboard's merger on wire messages as an agent sends them.
@Suite struct ClusterMergerTests {
    @Test func silentNode_turnsStaleThenLost_byTheReceiversClock() {
        var merged = MergedCluster()
        var update = Infertop_V1_Update()
        let node = NodeSpec(
            id: "node-01", gpus: [GPUSpec(id: GPUID(node: "node-01", index: 0), model: .h100, island: 0)], ports: [])
        var snapshot = Infertop_V1_Snapshot()
        snapshot.topology = node.wire
        var sample = Infertop_V1_GPUSample()
        sample.index = 0
        snapshot.values.gpus = [sample]
        update.snapshot = snapshot
        update.time = 123_456
        guard
            case .reshaped(let topology, _, _) = merged.fold({ $0.receive(update, from: "a:1", version: "1", now: 0) })
        else {
            Issue.record("the first message of a new node must reshape the cluster")
            return
        }
        #expect(topology.nodes.map(\.id) == ["node-01"])
        #expect(merged.state.status("node-01")?.reachability == .live)
        #expect(merged.state.reportedTime == 123_456)
        merged.fold { $0.tick(now: 2) }
        #expect(merged.state.status("node-01")?.reachability == .live)
        merged.fold { $0.tick(now: 2.6) }
        #expect(merged.state.status("node-01")?.reachability == .stale)
        merged.fold { $0.tick(now: 10.5) }
        #expect(merged.state.status("node-01")?.reachability == .lost)
    }

    @Test(arguments: [
        ("10.0.0.7:50051", true), ("node-07:1", true), ("[::1]:50051", true), ("nohost", false),
        (":50051", false), ("host:0", false), ("host:99999", false)
    ])
    func endpoints_parse(text: String, ok: Bool) {
        let parsed = AgentEndpoint.parse(text)
        if ok { #expect((try? parsed.get()) != nil) } else { #expect((try? parsed.get()) == nil) }
    }
}
