import InfertopCore
import Testing

@testable import InfertopSim

/// The simulator must obey DOMAIN.md: no decode step below the floor, no GPU over capacity,
/// the breakdown always summing to what is used.
@Suite struct PhysicsTests {
    @Test(arguments: [UInt64(7), 11])
    func run_obeysThePhysics(seed: UInt64) {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: seed))
        var checkedSteps = 0
        for t in stride(from: 5.0, through: 600, by: 5) {
            cluster.advance(to: t)
            let delta = cluster.sample()
            for s in delta.gpuSamples {
                let m = s.memory
                #expect(m.usedBytes <= m.capacityBytes, "\(s.gpu) uses more than its capacity at \(t)")
                #expect(m.usedBytes + m.unallocatedBytes == m.capacityBytes)
                #expect(m.kvUsage >= 0 && m.kvUsage <= 1)
                #expect(s.utilization >= 0 && s.utilization <= 1)
                #expect(s.powerWatts > 0)
            }
            for r in delta.replicaSamples where r.stepSeconds > 0 {
                checkedSteps += 1
                #expect(r.stepSeconds >= r.floorSeconds, "\(r.replica) decoded faster than its floor at \(t)")
                #expect(r.itlP50Seconds == 0 || r.itlP50Seconds >= r.floorSeconds * 0.999)
            }
        }
        #expect(checkedSteps > 1000)
    }

    @Test func floor_matchesTheDomainFigure() {
        // 405B at 4 bits with TP8 reads about 25 GB per GPU per step: about 7.6 ms on an H100.
        let topology = ClusterLayout.topology(SimulationConfig(nodes: 1))
        let model = ServedModel(
            name: "405b-int4", parameterCount: 405e9, bytesPerParameter: 0.5, layers: 126, hiddenSize: 16384,
            kvBytesPerToken: 0)
        let id = ReplicaID(model: "405b-int4", index: 0)
        let shards = topology.nodes[0].gpus.map {
            Shard(
                replica: id, tpRank: $0.id.index, ppStage: 0, gpu: $0.id, weightsBytes: UInt64(model.weightsBytes / 8))
        }
        let replica = ReplicaSpec(id: id, model: model, tensorParallel: 8, pipelineParallel: 1, shards: shards)
        #expect(abs(replica.decodeFloorSeconds(in: topology) - 0.00756) < 0.0001)
    }

    @Test func kvCache_growsThenPreemptsWhenFull() {
        let topology = ClusterLayout.topology(SimulationConfig(nodes: 1))
        let replicas = ClusterLayout.replicas(on: topology)
        let engine = ReplicaEngine(spec: replicas[0], topology: topology)
        engine.kvCapacityTokens = 40_000
        for i in 0..<12 {
            engine.enqueue(
                SimRequest(id: UInt64(i), arrival: 0, promptTokens: 3000, cachedTokens: 0, outputTokens: 3000))
        }
        var grew = false
        var last = 0.0
        var preempted = 0
        for step in 0..<200 {
            engine.tick(start: Double(step) * 0.2, dt: 0.2)
            if engine.liveTokens > last { grew = true }
            last = engine.liveTokens
            #expect(engine.liveTokens <= engine.kvCapacityTokens + 1)
            preempted +=
                engine.takeInterval(time: Double(step) * 0.2 + 0.2, seconds: 0.2).preemptionsPerSecond > 0 ? 1 : 0
        }
        #expect(grew)
        #expect(preempted > 0, "a full cache must preempt")
    }

    @Test func arrivals_areBurstyNotFlat() {
        var traffic = TrafficModel(baseRate: 10)
        var rng = Xoshiro256StarStar(seed: 5)
        var perTenSeconds: [Double] = []
        var sum = 0.0
        for tick in 0..<20_000 {
            sum += traffic.rate(at: Double(tick) * 0.2, dt: 0.2, rng: &rng) * 0.2
            if tick % 50 == 49 {
                perTenSeconds.append(sum)
                sum = 0
            }
        }
        let lo = perTenSeconds.min() ?? 0
        let hi = perTenSeconds.max() ?? 0
        #expect(hi / lo > 1.8, "busy periods should carry clearly more traffic than quiet ones")
    }
}
