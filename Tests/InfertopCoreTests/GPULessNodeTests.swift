import Testing

@testable import InfertopCore

/// A node without GPUs (a CPU-only head node, or a GPU node whose driver is not loaded) sends no
/// GPU samples: it is live while its agent's messages arrive, and goes stale, then lost, when
/// they stop, as a node with GPUs does when its samples stop.
@Suite struct GPULessNodeTests {
    @Test func itsAgentsMessages_keepItLive_andTheirSilenceLosesIt() {
        let node = NodeID("login-01")
        var state = ClusterState(topology: Topology(nodes: [NodeSpec(id: node, gpus: [], ports: [])]), replicas: [])
        let source = SourceStatus(address: "127.0.0.1:50051", node: node, state: .live)
        for t in 1...30 {
            var delta = ClusterDelta(sequence: UInt64(t), time: Double(t))
            if t <= 12 {
                var heard = source
                heard.lastMessageTime = Double(t)
                delta.sources = [heard]
            }
            state.apply(delta)
            let reachability = state.status(node)?.reachability
            let silent = Double(t - 12)
            if silent < 2.5 {
                #expect(reachability == .live, "t=\(t)")
            } else if silent < 10 {
                #expect(reachability == .stale, "t=\(t)")
            } else {
                #expect(reachability == .lost, "t=\(t)")
            }
        }
    }
}
