import InfertopTestSupport
import Testing

@testable import InfertopCore

/// A GPU node is aged from when its agent was first heard until its first GPU sample, not from
/// the feed's time zero (a dashboard that opened a minute before the agent came up must not call
/// it lost at once), and heartbeats never stand in for samples: an agent that answers but never
/// reads its GPUs goes stale, then lost, as a silent node does.
@Suite struct WarmingNodeTests {
    static func run(firstHeard: Int, samplesFrom: Int?, until end: Int, check: (Int, Reachability?) -> Void) {
        var state = CoreFixtures.state(nodes: 1, gpus: 2)
        let node = state.topology.nodes[0]
        let source = SourceStatus(address: "127.0.0.1:50051", node: node.id, state: .live)
        for t in 1...end {
            let time = Double(t)
            var delta = ClusterDelta(sequence: UInt64(t), time: time)
            if t >= firstHeard {
                var heard = source
                heard.lastMessageTime = time
                delta.sources = [heard]
            }
            if let from = samplesFrom, t >= from {
                delta.gpuSamples = node.gpus.map { CoreFixtures.sample($0.id, time: time, kv: 0.5) }
            }
            state.apply(delta)
            check(t, state.status(node.id)?.reachability)
        }
    }

    @Test func agedFromWhenFirstHeard_notFromTimeZero() {
        // First heard at t=30, samples from t=31: live throughout (before the fix, lost at once).
        Self.run(firstHeard: 30, samplesFrom: 31, until: 40) { t, reachability in
            if t >= 30 { #expect(reachability == .live, "t=\(t)") }
        }
    }

    @Test func heartbeatsWithoutSamples_goStaleThenLost() {
        // Heard every second from t=5, never a GPU sample.
        Self.run(firstHeard: 5, samplesFrom: nil, until: 20) { t, reachability in
            guard t >= 5 else { return }
            let silent = Double(t - 5)
            let expected: Reachability = silent < 2.5 ? .live : silent < 10 ? .stale : .lost
            #expect(reachability == expected, "t=\(t)")
        }
    }
}
