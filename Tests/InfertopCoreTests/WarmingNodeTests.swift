import InfertopTestSupport
import Testing

@testable import InfertopCore

/// A GPU node whose agent is up but has not read its GPUs yet (the agent starting, or the demo's
/// simulator warming up to `--start-at`) is not silent: its agent's heartbeats keep it live
/// until the first sample, and from then on its samples alone do.
@Suite struct WarmingNodeTests {
    @Test func heartbeatsBeforeTheFirstSample_keepItLive_thenSamplesDo() {
        var state = CoreFixtures.state(nodes: 1, gpus: 2)
        let node = state.topology.nodes[0]
        let source = SourceStatus(address: "127.0.0.1:50051", node: node.id, state: .live)
        for t in 1...40 {
            let time = Double(t)
            var delta = ClusterDelta(sequence: UInt64(t), time: time)
            // Heartbeats all along; GPU samples only from t=20 to t=25.
            var heard = source
            heard.lastMessageTime = time
            delta.sources = [heard]
            if (20...25).contains(t) {
                delta.gpuSamples = node.gpus.map { CoreFixtures.sample($0.id, time: time, kv: 0.5) }
            }
            state.apply(delta)
            let reachability = state.status(node.id)?.reachability
            if t < 20 {
                // 19 s of warm-up: before the fix it went stale at 2.5 s and lost at 10 s.
                #expect(reachability == .live, "t=\(t): warming up, heard every second")
                #expect(!state.hasSampledGPUs(0))
            } else {
                // Once it has sampled, heartbeats no longer stand in for samples.
                let silent = time - 25
                let expected: Reachability = silent < 2.5 ? .live : silent < 10 ? .stale : .lost
                #expect(reachability == expected, "t=\(t)")
            }
        }
    }
}
