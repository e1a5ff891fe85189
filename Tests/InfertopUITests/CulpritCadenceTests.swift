import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// Culprits are ranked on feed time, so the frame after a stream of updates does not depend on
/// how the drawing loop happened to batch them (what a replay relies on to show the live frame).
@Suite struct CulpritCadenceTests {
    /// Two nodes fall silent 0.4 s apart: node-02 turns stale first, node-01 a moment later, and
    /// the steady headline keeps whichever it named first, so when ranking happens matters.
    func updates() -> [ClusterUpdate] {
        var state = CoreFixtures.state(nodes: 2, gpus: 1)
        state.apply(CoreFixtures.delta(state, time: 0, kv: 0.3))
        let node1 = state.topology.nodes[0].gpus[0].id
        var only1 = ClusterDelta(sequence: 2, time: 0.4)
        only1.gpuSamples = [CoreFixtures.sample(node1, time: 0.4, kv: 0.3)]
        return [
            .snapshot(state, sequence: 1), .delta(only1),
            .delta(ClusterDelta(sequence: 3, time: 2.6)),  // node-02 stale
            .delta(ClusterDelta(sequence: 4, time: 2.95)),  // node-01 stale too, same half second
            .delta(ClusterDelta(sequence: 5, time: 3.2))
        ]
    }

    func headline(_ batches: [[ClusterUpdate]]) -> String {
        var model = Model(size: Size(columns: 120, rows: 40), source: "test")
        for b in batches { _ = update(&model, .clusterBatch(b)) }
        return view(model).rows[1]
    }

    @Test func theHeadline_isTheSame_howeverTheUpdatesAreBatched() {
        let u = updates()
        let one = headline([u])
        #expect(one.contains("CULPRIT"))
        #expect(headline(u.map { [$0] }) == one)
        #expect(headline([Array(u[0...2]), Array(u[3...])]) == one)
        #expect(headline([Array(u[0...3]), [u[4]]]) == one)
    }

    @Test func ranking_happensOncePerHalfSecondOfFeedTime() {
        let u = updates()
        #expect(CulpritCadence.isDue(after: u[0], lastRanked: 0.2), "a snapshot always ranks")
        #expect(CulpritCadence.isDue(after: u[2], lastRanked: 0.4))
        #expect(!CulpritCadence.isDue(after: u[3], lastRanked: 2.6), "2.6 and 2.95 share a half second")
        #expect(CulpritCadence.isDue(after: u[4], lastRanked: 2.95))
    }
}
