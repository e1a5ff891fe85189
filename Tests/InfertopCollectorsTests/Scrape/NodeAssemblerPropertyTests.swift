import InfertopCollectors
import InfertopCore
import Testing

@Suite("Node assembler invariants")
struct NodeAssemblerPropertyTests {
    private static func bytes(_ rng: inout Xoshiro256StarStar) -> UInt64? {
        switch UInt64.random(in: 0..<10, using: &rng) {
        case 0: nil
        case 1: 0
        case 2: UInt64.random(in: (UInt64.max - 1000)...UInt64.max, using: &rng)
        default: UInt64.random(in: 0...(200 << 30), using: &rng)
        }
    }

    private static func share(_ rng: inout Xoshiro256StarStar) -> Double? {
        [nil, .nan, -0.5, 1.7, 42, .infinity, Double.random(in: 0...1, using: &rng)].randomElement(using: &rng)!
    }

    @Test func breakdownSumsToUsedAndNeverExceedsCapacity() {
        for seed in UInt64(1)...600 {
            var rng = Xoshiro256StarStar(seed: seed)
            var bindings: [EngineBinding] = []
            var engines = CollectorReading()
            engines.stale = Bool.random(using: &rng)
            for replica in 0..<Int.random(in: 0...3, using: &rng) {
                let gpus = (0..<4).filter { _ in Bool.random(using: &rng) }
                bindings.append(
                    EngineBinding(
                        model: "m", replica: replica, kind: .vllm, metricsURL: "http://127.0.0.1:1/metrics", gpus: gpus,
                        weightsBytesPerGPU: Self.bytes(&rng), kvBytesPerTokenPerGPU: Self.bytes(&rng),
                        activationBytesPerGPU: Self.bytes(&rng)))
                var engine = EngineReading(model: "m", engine: "vllm")
                engine.gpus = gpus
                engine.kvUsage = Self.share(&rng)
                engine.kvBlocks = [nil, 0, Int.max, Int.random(in: 0...100_000, using: &rng)].randomElement(
                    using: &rng)!
                engine.kvBlockSizeTokens = [nil, 16, Int.max].randomElement(using: &rng)!
                if Bool.random(using: &rng) { engines.engines.append(engine) }
            }
            var hardware = CollectorReading()
            var expected: [Int: (capacity: UInt64?, used: UInt64?, reserved: UInt64?)] = [:]
            for index in 0..<4 {
                var gpu = GPUReading(index: index)
                gpu.memoryTotalBytes = Self.bytes(&rng)
                gpu.memoryUsedBytes = Self.bytes(&rng)
                gpu.memoryReservedBytes = Self.bytes(&rng)
                gpu.utilization = Self.share(&rng)
                hardware.gpus.append(gpu)
                expected[index] = (gpu.memoryTotalBytes, gpu.memoryUsedBytes, gpu.memoryReservedBytes)
            }
            let node = NodeAssembler(node: "n", bindings: bindings).assemble([hardware, engines], at: 0)
            #expect(node.gpuSamples.count == 4)
            for sample in node.gpuSamples {
                let m = sample.memory
                let sum = [m.weightsBytes, m.kvUsedBytes, m.kvFreeBytes, m.activationBytes, m.otherBytes]
                    .reduce(0.0) { $0 + Double($1) }
                #expect(sum <= Double(m.capacityBytes), "seed \(seed)")
                #expect(m.usedBytes <= m.capacityBytes, "seed \(seed)")
                #expect((0...1).contains(sample.utilization), "seed \(seed)")
                guard let e = expected[sample.gpu.index], let capacity = e.capacity, let used = e.used else { continue }
                let (withReserved, overflow) = used.addingReportingOverflow(e.reserved ?? 0)
                #expect(m.capacityBytes == capacity, "seed \(seed)")
                #expect(m.usedBytes == min(overflow ? .max : withReserved, capacity), "seed \(seed)")
            }
        }
    }
}
