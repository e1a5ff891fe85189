import InfertopCollectors
import InfertopCore
import Testing

@Suite("Node assembler")
struct NodeAssemblerTests {
    private let gib: UInt64 = 1 << 30
    private let llama = "meta-llama/Llama-3.1-70B-Instruct"

    /// llama-70b/0 (vLLM, TP4, FP8 weights) on GPUs 0-3 of the dcgm fixture's node.
    private func binding(kvBytesPerToken: UInt64? = 81_920, url: String? = "http://127.0.0.1:8000/metrics")
        -> EngineBinding
    {
        EngineBinding(
            model: "llama-70b", replica: 0, kind: .vllm, metricsURL: url, gpus: [0, 1, 2, 3], servedModelName: llama,
            weightsBytesPerGPU: 17_650_000_000, kvBytesPerTokenPerGPU: kvBytesPerToken, decodeFloorSeconds: 0.011)
    }

    private func readings(_ binding: EngineBinding, engineStale: Bool = false) throws -> [CollectorReading] {
        var dcgm = DCGMExporterMapping()
        var engine = EngineMetricsMapping(kind: .vllm, servedModel: llama, reportAs: "llama-70b", gpus: binding.gpus)
        var engineReading = engine.map(try MetricsFixtures.document("vllm.txt"), at: 100)
        engineReading.stale = engineStale
        return [dcgm.map(try MetricsFixtures.document("dcgm-exporter-hostname.txt"), at: 100), engineReading]
    }

    @Test func exactKVPoolFromBlocks() throws {
        let b = binding()
        let node = NodeAssembler(node: "gpu-node-07", bindings: [b]).assemble(try readings(b), at: 100)
        #expect(node.gpuSamples.count == 8)
        let g0 = node.gpuSamples[0]
        #expect(g0.gpu == GPUID(node: "gpu-node-07", index: 0))
        let used: UInt64 = (73251 + 545) << 20
        let pool: UInt64 = 38912 * 16 * 81_920
        let kvUsed = UInt64((Double(pool) * 0.4231).rounded())
        #expect(
            g0.memory
                == MemoryBreakdown(
                    capacityBytes: 81559 << 20, weightsBytes: 17_650_000_000, kvUsedBytes: kvUsed,
                    kvFreeBytes: pool - kvUsed,
                    activationBytes: 0, otherBytes: used - 17_650_000_000 - pool))
        #expect(g0.runningRequests == 12 && g0.waitingRequests == 3)
        #expect(g0.utilization == 0.97 && g0.smClockMHz == 1980)
        // GPU 4 has no engine: everything used is "other".
        #expect(node.gpuSamples[4].memory.otherBytes == (512 + 545) << 20)
        #expect(node.gpuSamples[4].memory.kvReservedBytes == 0 && node.gpuSamples[4].runningRequests == 0)
    }

    @Test func estimatedKVPoolWithoutBytesPerToken() throws {
        let b = binding(kvBytesPerToken: nil)
        let node = NodeAssembler(node: "gpu-node-07", bindings: [b]).assemble(try readings(b), at: 100)
        let memory = node.gpuSamples[1].memory
        let used: UInt64 = (73251 + 545) << 20
        #expect(memory.weightsBytes == 17_650_000_000)
        #expect(memory.kvReservedBytes == used - 17_650_000_000)
        #expect(close(memory.kvUsage, 0.4231, 1e-6))
        #expect(memory.usedBytes == used && memory.otherBytes == 0)
    }

    @Test func replicaSamplesFollowTheEngine() throws {
        let b = binding()
        let fresh = NodeAssembler(node: "n", bindings: [b]).assemble(try readings(b), at: 100).replicaSamples
        #expect(fresh.count == 1)
        let r = try #require(fresh.first)
        #expect(r.replica.description == "llama-70b/0" && r.status == .serving)
        #expect(r.runningRequests == 12 && r.floorSeconds == 0.011)
        #expect(close(r.ttftP50Seconds, 0.08) && r.stepSeconds == r.itlP50Seconds)

        let stale = NodeAssembler(node: "n", bindings: [b]).assemble(try readings(b, engineStale: true), at: 100)
        #expect(stale.replicaSamples.first?.status == .down && stale.stale)
        let missing = NodeAssembler(node: "n", bindings: [b]).assemble([], at: 100)
        #expect(missing.replicaSamples.first?.status == .down)
        let headless = NodeAssembler(node: "n", bindings: [binding(url: nil)]).assemble(try readings(b), at: 100)
        #expect(headless.replicaSamples.isEmpty)
    }

    @Test func firstFreshReadingWinsPerField() {
        var nvml = GPUReading(index: 0)
        nvml.memoryTotalBytes = 80 * gib
        nvml.memoryUsedBytes = 10 * gib
        var dcgm = GPUReading(index: 0)
        dcgm.memoryTotalBytes = 99 * gib
        dcgm.memoryUsedBytes = 50 * gib
        dcgm.utilization = 0.5
        dcgm.temperatureCelsius = 70
        var a = CollectorReading()
        a.gpus = [nvml]
        var b = CollectorReading()
        b.gpus = [dcgm]
        var staleFirst = CollectorReading()
        staleFirst.stale = true
        var old = GPUReading(index: 0)
        old.temperatureCelsius = 20
        staleFirst.gpus = [old]
        let sample = NodeAssembler(node: "n").assemble([staleFirst, a, b], at: 1).gpuSamples[0]
        #expect(sample.memory.capacityBytes == 80 * gib && sample.memory.usedBytes == 10 * gib)
        #expect(sample.utilization == 0.5 && sample.temperatureCelsius == 70)
    }

    @Test func breakdownIsClampedToUsed() {
        let tooMuch = MemoryEstimate.breakdown(
            capacityBytes: 80 * gib, usedBytes: 90 * gib,
            engines: [
                EngineMemoryShare(weightsBytes: 60 * gib, activationBytes: 5 * gib, kvPoolBytes: 40 * gib, kvUsage: 0.5)
            ])
        #expect(tooMuch.usedBytes == 80 * gib && tooMuch.weightsBytes == 60 * gib)
        #expect(tooMuch.kvUsedBytes == 20 * gib && tooMuch.kvFreeBytes == 0 && tooMuch.activationBytes == 0)
        let empty = MemoryEstimate.breakdown(capacityBytes: nil, usedBytes: nil, engines: [])
        #expect(empty == .empty(capacityBytes: 0))
    }
}
