import InfertopCore

/// The physical state of one simulated GPU between samples: heat, clocks, memory outside
/// the engine, and the health of its fabric links.
struct GPUState {
    let spec: GPUSpec
    var temperature: Double
    var smClockMHz: Int
    var throttle: ThrottleReasons = []
    var powerWatts: Double
    /// Activations, CUDA graphs and workspace of the engine.
    var activationBytes: UInt64
    /// CUDA context, NCCL buffers: the runtime's share.
    var runtimeBytes: UInt64
    /// Memory of a process that is not the engine (the KV-pressure incident).
    var strayBytes: UInt64 = 0
    /// Cooling lost (the straggler incident).
    var coolingFailed = false
    var linksUp: Int
    var fabricErrorsPerSecond = 0.0
    var utilization = 0.0

    init(spec: GPUSpec, rng: inout Xoshiro256StarStar) {
        self.spec = spec
        let model = spec.model
        temperature = 38 + rng.unit() * 4
        smClockMHz = model.maxSMClockMHz
        powerWatts = Double(model.idleWatts)
        activationBytes = UInt64(Double(model.memoryBytes) * (0.028 + rng.unit() * 0.006))
        runtimeBytes = UInt64((1.4 + rng.unit() * 0.5) * Double(gigabyte))
        linksUp = model.fabricLinkCount
    }

    /// The engine's KV pool as configured at start: 90% of memory less weights and workspace.
    func reservedKVBytes(weights: UInt64) -> UInt64 {
        let budget = UInt64(Double(spec.model.memoryBytes) * 0.90)
        let fixed = weights + activationBytes + runtimeBytes
        return budget > fixed ? budget - fixed : 0
    }

    /// The pool that still fits beside whatever else holds memory now.
    func usableKVBytes(weights: UInt64) -> UInt64 {
        let reserved = reservedKVBytes(weights: weights)
        let taken = weights + activationBytes + runtimeBytes + strayBytes
        let room = spec.model.memoryBytes > taken ? spec.model.memoryBytes - taken : 0
        return min(reserved, room)
    }

    /// Steps heat, power and clocks by `dt` given how busy the GPU was.
    mutating func step(dt: Double, busy: Double, computeShare: Double, rng: inout Xoshiro256StarStar) {
        let model = spec.model
        utilization = busy > 0 ? min(0.99, 0.62 + 0.35 * busy * (0.5 + 0.5 * computeShare) + rng.normal() * 0.01) : 0
        let load = busy > 0 ? 0.35 + 0.6 * busy * (0.4 + 0.6 * computeShare) : 0
        let clockShare = Double(smClockMHz) / Double(model.maxSMClockMHz)
        let target = Double(model.idleWatts) + Double(model.tdpWatts - model.idleWatts) * load * clockShare
        powerWatts += (target - powerWatts) * min(1, dt / 1.5) + rng.normal() * 3
        powerWatts = min(Double(model.tdpWatts), max(Double(model.idleWatts) * 0.8, powerWatts))
        let ambient = coolingFailed ? 66.0 : 30.0
        let targetTemp = ambient + 50 * powerWatts / Double(model.tdpWatts)
        temperature += (targetTemp - temperature) * min(1, dt / 3)
        if temperature >= 88 {
            throttle = [.hwThermal, .swThermal]
            smClockMHz = Int(Double(model.maxSMClockMHz) * 0.55)
        } else if temperature < 84 {
            throttle = busy > 0 ? [] : [.gpuIdle]
            smClockMHz = busy > 0 ? model.maxSMClockMHz - Int(rng.unit() * 45) : 345
        }
    }
}
