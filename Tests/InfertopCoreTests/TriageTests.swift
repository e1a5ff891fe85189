import InfertopTestSupport
import Testing

@testable import InfertopCore

@Suite struct TriageTests {
    /// Four single-node replicas of the same layout, so each has three peers.
    func healthy() -> ClusterState {
        var state = CoreFixtures.state(nodes: 4, gpus: 8)
        state.apply(CoreFixtures.delta(state, time: 1, kv: 0.4))
        return state
    }

    @Test func healthyCluster_hasNoCulprit() {
        #expect(Triage.rank(healthy()).isEmpty)
    }

    @Test func kvPressure_namesTheSqueezedGPUWithItsReason() {
        var state = healthy()
        let gpu = GPUID(node: "node-03", index: 5)
        var sample = CoreFixtures.sample(gpu, time: 1, kv: 0.99, waiting: 12, preemptions: 41)
        sample.memory.otherBytes = 14 * gibibyte
        let slow = CoreFixtures.replicaSample(ReplicaID(model: "llama-405b", index: 2), time: 1, ttft: 1.2)
        state.apply(ClusterDelta(sequence: 2, time: 1, gpuSamples: [sample], replicaSamples: [slow]))
        let top = Triage.rank(state).first
        #expect(top?.subject == .gpu(gpu))
        #expect(top?.kind == .kvPressure)
        #expect(top?.severity == .crit)
        let reason = top?.reason ?? ""
        #expect(reason.hasPrefix("node-03 gpu5: KV cache 99%"))
        #expect(reason.contains("41.0 preemptions/s"))
        #expect(reason.contains("12 waiting"))
        #expect(reason.contains("14.0 GiB other"))
        #expect(reason.contains("replica llama-405b/2 p99 TTFT x3.0"))
    }

    @Test func fullCacheWithoutVictims_isOnlyAWarning() {
        var state = healthy()
        let gpus = (0..<8).map { CoreFixtures.sample(GPUID(node: "node-01", index: $0), time: 1, kv: 0.96) }
        state.apply(ClusterDelta(sequence: 2, time: 1, gpuSamples: gpus))
        let top = Triage.rank(state).first
        #expect(top?.severity == .warn)
        #expect(top?.kind == .kvPressure)
    }

    @Test func straggler_namesTheThrottledGPU() {
        var state = healthy()
        let gpu = GPUID(node: "node-02", index: 3)
        var sample = CoreFixtures.sample(gpu, time: 1, kv: 0.4)
        sample.throttle = [.hwThermal, .swThermal]
        sample.smClockMHz = 1089
        sample.temperatureCelsius = 92
        state.apply(ClusterDelta(sequence: 2, time: 1, gpuSamples: [sample]))
        let top = Triage.rank(state).first
        #expect(top?.subject == .gpu(gpu))
        #expect(top?.kind == .straggler)
        #expect(top?.reason.contains("thermal throttle") == true)
        #expect(top?.reason.contains("SM 1089 MHz (-45%)") == true)
    }

    @Test func idleClocks_areNotAStraggler() {
        var state = healthy()
        var sample = CoreFixtures.sample(GPUID(node: "node-02", index: 3), time: 1, kv: 0.4)
        sample.throttle = [.gpuIdle]
        sample.smClockMHz = 345
        state.apply(ClusterDelta(sequence: 2, time: 1, gpuSamples: [sample]))
        #expect(Triage.rank(state).isEmpty)
    }

    @Test func degradedFabric_namesTheGPUAndPeer() {
        var state = healthy()
        let bad = FabricLinkSample(
            node: "node-04", gpu: 6, peer: 2, time: 1, bytesPerSecond: 1e9, capacityBytesPerSecond: 450e9, linksUp: 8,
            linksTotal: 18, errorsPerSecond: 108)
        let ok = FabricLinkSample(
            node: "node-04", gpu: 2, peer: 6, time: 1, bytesPerSecond: 1e9, capacityBytesPerSecond: 450e9, linksUp: 18,
            linksTotal: 18, errorsPerSecond: 30)
        state.apply(ClusterDelta(sequence: 2, time: 1, fabricLinks: [ok, bad]))
        let top = Triage.rank(state).first
        #expect(top?.subject == .link(GPUID(node: "node-04", index: 6), peer: 2))
        #expect(top?.reason.hasPrefix("node-04 gpu6: NVLink to gpu2 8/18 links up · 108 errors/s") == true)
    }

    @Test func lostNode_outranksEverything() {
        var state = healthy()
        let gpu = GPUID(node: "node-03", index: 5)
        let pressured = CoreFixtures.sample(gpu, time: 1, kv: 0.99, waiting: 3, preemptions: 10)
        state.apply(ClusterDelta(sequence: 2, time: 1, gpuSamples: [pressured]))
        for t in 2...12 {
            var delta = CoreFixtures.delta(state, time: Double(t), kv: 0.4)
            delta.gpuSamples.removeAll { $0.gpu.node == "node-01" }
            state.apply(delta)
        }
        let top = Triage.rank(state).first
        #expect(top?.subject == .node("node-01"))
        #expect(top?.kind == .nodeLost)
        #expect(top?.reason.contains("replica llama-405b/0 down") == true)
    }

    @Test func slowReplica_withoutHardwareCause_isAnOutlier() {
        var state = healthy()
        let slow = CoreFixtures.replicaSample(ReplicaID(model: "llama-405b", index: 1), time: 1, ttft: 2.4)
        state.apply(ClusterDelta(sequence: 2, time: 1, replicaSamples: [slow]))
        let top = Triage.rank(state).first
        #expect(top?.subject == .replica(ReplicaID(model: "llama-405b", index: 1)))
        #expect(top?.reason.contains("p99 TTFT x6.0 of peers") == true)
    }

    @Test func stabilized_keepsTheHeadlineWhileItIsClose() {
        let a = Culprit(subject: .node("a"), kind: .nodeStale, severity: .crit, score: 90, reason: "a", replica: nil)
        let b = Culprit(subject: .node("b"), kind: .nodeStale, severity: .crit, score: 100, reason: "b", replica: nil)
        #expect(Triage.stabilized([b, a], previous: a).first == a)
        let c = Culprit(subject: .node("c"), kind: .nodeLost, severity: .crit, score: 200, reason: "c", replica: nil)
        #expect(Triage.stabilized([c, a], previous: a).first == c)
        #expect(Triage.stabilized([b, a], previous: nil).first == b)
    }
}

@Suite struct LeaveOneOutMedianTests {
    @Test func matchesTheNaiveMedian() {
        var rng = SystemRandomNumberGenerator()
        for n in 2...12 {
            let values = (0..<n).map { _ in Double(Int.random(in: 0...5, using: &rng)) }
            let sorted = values.sorted()
            for (i, v) in values.enumerated() {
                var peers = values
                peers.remove(at: i)
                peers.sort()
                let mid = peers.count / 2
                let naive = peers.count % 2 == 1 ? peers[mid] : (peers[mid - 1] + peers[mid]) / 2
                #expect(LatencyRatios.medianWithout(v, in: sorted) == naive)
            }
        }
    }
}

@Suite struct SourceProblemTests {
    @Test func agentProblems_rankBelowRealTrouble_andClear() {
        var state = CoreFixtures.state(nodes: 2, gpus: 1)
        state.apply(CoreFixtures.delta(state, time: 1, kv: 0.4))
        state.apply(ClusterDelta(sequence: 2, time: 1, problems: ["node-02": ["scrape:vllm: timed out after 2 s"]]))
        let top = Triage.rank(state).first
        #expect(top?.kind == .sourceProblem)
        #expect(top?.reason == "node-02: agent cannot read scrape:vllm: timed out after 2 s")
        state.apply(ClusterDelta(sequence: 3, time: 1, problems: ["node-02": []]))
        #expect(Triage.rank(state).isEmpty)
    }
}
