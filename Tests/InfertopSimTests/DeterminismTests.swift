import InfertopCore
import Testing

@testable import InfertopSim

@Suite struct DeterminismTests {
    func readings(seed: UInt64, seconds: Int) -> [[GPUSample]] {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: seed))
        return (1...seconds).map { t in
            cluster.advance(to: Double(t))
            return cluster.sample().gpuSamples
        }
    }

    @Test func sameSeed_sameOutput() {
        #expect(readings(seed: 7, seconds: 20) == readings(seed: 7, seconds: 20))
    }

    @Test func differentSeed_differentOutput() {
        #expect(readings(seed: 7, seconds: 20) != readings(seed: 8, seconds: 20))
    }

    @Test func replicaReadings_areReplayable() {
        func run() -> [ReplicaSample] {
            let cluster = SimulatedCluster(config: SimulationConfig(seed: 3))
            cluster.advance(to: 45)
            return cluster.sample().replicaSamples
        }
        #expect(run() == run())
    }

    @Test func seededGenerator_streamsAreIndependentAndRepeatable() {
        var a = Xoshiro256StarStar(seed: 1, stream: 2)
        var b = Xoshiro256StarStar(seed: 1, stream: 2)
        var c = Xoshiro256StarStar(seed: 1, stream: 3)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        var u = Xoshiro256StarStar(seed: 9)
        for _ in 0..<1000 {
            let v = u.unit()
            #expect(v >= 0 && v < 1)
        }
    }
}
