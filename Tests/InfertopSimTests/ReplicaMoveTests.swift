import InfertopCore
import Testing

@testable import InfertopSim

/// A make-before-break move on the simulated cluster, step by step as a plan lists them: the
/// demo's KV-starved replica (llama-405b/5 on node-10, stray process on gpu6) relieved onto the
/// hot spare node-17. The new copy loads at the fabric rate, serves, the old copy drains and
/// stops, memory moves with it, the placement is published once, and the culprit clears.
@Suite struct ReplicaMoveTests {
    static let replica = ReplicaID(model: "llama-405b", index: 5)
    static let from = (0..<8).map { GPUID(node: "node-10", index: $0) }
    static let to = (0..<8).map { GPUID(node: "node-17", index: $0) }

    /// Advances a second at a time (folding samples into `state`) until `done`, at most `limit` s.
    static func advance(
        _ cluster: SimulatedCluster, _ state: inout ClusterState, limit: Double, until done: (ClusterState) -> Bool
    ) -> Bool {
        let end = cluster.time + limit
        while cluster.time < end {
            if done(state) { return true }
            cluster.advance(to: cluster.time + 1)
            var delta = cluster.sample()
            delta.spans = cluster.takeFinishedSpans()
            state.apply(delta)
        }
        return done(state)
    }

    @Test func relievingTheStarvedReplica_ontoTheSpare_movesItAndClearsTheCulprit() throws {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7))
        var state = cluster.run(to: 70, spans: true)
        #expect(Triage.rank(state).first?.reason.hasPrefix("node-10 gpu6") == true)
        try cluster.launch(Self.replica, on: Self.to, from: .peer(ReplicaID(model: "llama-405b", index: 0)))
        try cluster.launch(Self.replica, on: Self.to, from: .storage)  // a resumed step: no second copy
        let loading = try #require(cluster.copy(Self.replica, on: Self.to))
        #expect(loading.phase == .loading && loading.totalBytes > 300 << 30)
        // 377 GiB at 25 GB/s over the fabric: about 16 s.
        #expect(
            Self.advance(cluster, &state, limit: 30) { _ in
                cluster.copy(Self.replica, on: Self.to)?.phase == .outOfRouter
            })
        #expect(cluster.time - 70 >= 14, "loaded in \(cluster.time - 70) s")
        try cluster.addToRouter(Self.replica, on: Self.to)
        #expect(cluster.takePlacementChange() && !cluster.takePlacementChange(), "published once")
        #expect(cluster.replicas.first { $0.id == Self.replica }?.nodes == ["node-17"])
        try cluster.removeFromRouter(Self.replica, on: Self.from)
        #expect(throws: SimulatedControlError.self) { try cluster.stopCopy(Self.replica, on: Self.from) }
        #expect(
            Self.advance(cluster, &state, limit: 120) { _ in cluster.copy(Self.replica, on: Self.from)?.inFlight == 0 })
        try cluster.stopCopy(Self.replica, on: Self.from)
        #expect(cluster.copy(Self.replica, on: Self.from)?.phase == .stopped)
        #expect(cluster.copy(Self.replica, on: Self.to)?.phase == .serving)
        _ = Self.advance(cluster, &state, limit: 1) { _ in false }
        // Memory moved: node-10 holds only the driver (and gpu6 the stray process); node-17 the weights.
        let n10 = try #require(state.topology.nodeIndex(of: "node-10"))
        let n17 = try #require(state.topology.nodeIndex(of: "node-17"))
        #expect(state.gpuSamples[n10][0]?.memory.weightsBytes == 0)
        #expect((state.gpuSamples[n10][6]?.memory.otherBytes ?? 0) > 40 << 30, "the stray process stays")
        #expect((state.gpuSamples[n17][0]?.memory.weightsBytes ?? 0) > 40 << 30)
        #expect(state.replicaSamples[Self.replica]?.status == .serving)
        // The replica has the spare's whole KV pool, and the tenant's sessions, their prefix
        // affinity gone with the old copy, spread over its peers: once the latency window has
        // rolled over, no culprit names the replica or either of its homes.
        let cleared = Self.advance(cluster, &state, limit: 150) { now in
            let headline = Triage.rank(now).first?.reason ?? ""
            return !headline.contains("llama-405b/5") && !headline.contains("node-10 gpu6")
                && !headline.contains("node-17")
        }
        #expect(cleared, "headline still: \(Triage.rank(state).first?.reason ?? "none")")
    }

    @Test func aTargetThatServes_isRefused_andAMissingCopyIsNamed() throws {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7))
        cluster.advance(to: 5)
        let busy = (0..<8).map { GPUID(node: "node-09", index: $0) }
        #expect(throws: SimulatedControlError.self) {
            try cluster.launch(Self.replica, on: busy, from: .storage)
        }
        do {
            try cluster.addToRouter(Self.replica, on: Self.to)
            Issue.record("added a copy that does not exist")
        } catch {
            #expect("\(error)" == "no copy of llama-405b/5 on node-17 gpu0-7 in the simulated cluster")
        }
    }
}
