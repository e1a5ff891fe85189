/// Why a GPU's clocks are held down, with NVML's `nvmlClocksEventReasons` bit values.
public struct ThrottleReasons: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let gpuIdle = ThrottleReasons(rawValue: 0x1)
    public static let swPowerCap = ThrottleReasons(rawValue: 0x4)
    public static let hwSlowdown = ThrottleReasons(rawValue: 0x8)
    public static let swThermal = ThrottleReasons(rawValue: 0x20)
    public static let hwThermal = ThrottleReasons(rawValue: 0x40)
    public static let hwPowerBrake = ThrottleReasons(rawValue: 0x80)

    /// Reasons that mean the GPU runs slower than it should (idle does not).
    public static let slowing: ThrottleReasons = [.swPowerCap, .hwSlowdown, .swThermal, .hwThermal, .hwPowerBrake]

    /// Short words for the reasons, as an operator reads them.
    public var words: [String] {
        var out: [String] = []
        if contains(.hwThermal) || contains(.swThermal) { out.append("thermal") }
        if contains(.swPowerCap) { out.append("power cap") }
        if contains(.hwPowerBrake) { out.append("power brake") }
        if contains(.hwSlowdown) && !contains(.hwThermal) { out.append("HW slowdown") }
        return out
    }
}

/// One reading of one GPU: memory, load, heat and what the serving engine on it reports.
public struct GPUSample: Hashable, Sendable {
    public var gpu: GPUID
    /// Seconds on the cluster's clock (virtual in the simulator).
    public var time: Double
    public var memory: MemoryBreakdown
    /// Share of time a kernel ran, 0...1.
    public var utilization: Double
    public var temperatureCelsius: Double
    public var powerWatts: Double
    public var smClockMHz: Int
    public var throttle: ThrottleReasons
    /// Sequences the engine preempted per second on this GPU's replica.
    public var preemptionsPerSecond: Double
    public var runningRequests: Int
    public var waitingRequests: Int

    public init(
        gpu: GPUID, time: Double, memory: MemoryBreakdown, utilization: Double, temperatureCelsius: Double,
        powerWatts: Double, smClockMHz: Int, throttle: ThrottleReasons, preemptionsPerSecond: Double,
        runningRequests: Int, waitingRequests: Int
    ) {
        self.gpu = gpu
        self.time = time
        self.memory = memory
        self.utilization = utilization
        self.temperatureCelsius = temperatureCelsius
        self.powerWatts = powerWatts
        self.smClockMHz = smClockMHz
        self.throttle = throttle
        self.preemptionsPerSecond = preemptionsPerSecond
        self.runningRequests = runningRequests
        self.waitingRequests = waitingRequests
    }
}
