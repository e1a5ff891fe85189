import InfertopCore

extension GPUSample {
    public var wire: Infertop_V1_GPUSample {
        var m = Infertop_V1_GPUSample()
        m.index = UInt32(gpu.index)
        m.time = time
        var mem = Infertop_V1_MemoryBreakdown()
        mem.capacityBytes = memory.capacityBytes
        mem.weightsBytes = memory.weightsBytes
        mem.kvUsedBytes = memory.kvUsedBytes
        mem.kvFreeBytes = memory.kvFreeBytes
        mem.activationBytes = memory.activationBytes
        mem.otherBytes = memory.otherBytes
        m.memory = mem
        m.utilization = utilization
        m.temperatureCelsius = temperatureCelsius
        m.powerWatts = powerWatts
        m.smClockMhz = UInt32(clamping: smClockMHz)
        m.throttleReasons = throttle.rawValue
        m.preemptionsPerSecond = preemptionsPerSecond
        m.runningRequests = UInt32(clamping: runningRequests)
        m.waitingRequests = UInt32(clamping: waitingRequests)
        return m
    }

    public init(wire m: Infertop_V1_GPUSample, node: NodeID) {
        let mem = m.memory
        self.init(
            gpu: GPUID(node: node, index: Int(m.index)), time: m.time,
            memory: MemoryBreakdown(
                capacityBytes: mem.capacityBytes, weightsBytes: mem.weightsBytes, kvUsedBytes: mem.kvUsedBytes,
                kvFreeBytes: mem.kvFreeBytes, activationBytes: mem.activationBytes, otherBytes: mem.otherBytes),
            utilization: m.utilization, temperatureCelsius: m.temperatureCelsius, powerWatts: m.powerWatts,
            smClockMHz: Int(m.smClockMhz), throttle: ThrottleReasons(rawValue: m.throttleReasons),
            preemptionsPerSecond: m.preemptionsPerSecond, runningRequests: Int(m.runningRequests),
            waitingRequests: Int(m.waitingRequests))
    }
}

extension FabricLinkSample {
    public var wire: Infertop_V1_FabricLinkSample {
        var m = Infertop_V1_FabricLinkSample()
        m.gpu = UInt32(gpu)
        m.peer = UInt32(peer)
        m.time = time
        m.bytesPerSecond = bytesPerSecond
        m.capacityBytesPerSecond = capacityBytesPerSecond
        m.linksUp = UInt32(clamping: linksUp)
        m.linksTotal = UInt32(clamping: linksTotal)
        m.errorsPerSecond = errorsPerSecond
        return m
    }

    public init(wire m: Infertop_V1_FabricLinkSample, node: NodeID) {
        self.init(
            node: node, gpu: Int(m.gpu), peer: Int(m.peer), time: m.time, bytesPerSecond: m.bytesPerSecond,
            capacityBytesPerSecond: m.capacityBytesPerSecond, linksUp: Int(m.linksUp), linksTotal: Int(m.linksTotal),
            errorsPerSecond: m.errorsPerSecond)
    }
}

extension PortSample {
    public var wire: Infertop_V1_PortSample {
        var m = Infertop_V1_PortSample()
        m.port = port
        m.time = time
        switch state {
        case .active: m.state = .active
        case .down: m.state = .down
        case .initializing: m.state = .init_
        }
        m.txBytesPerSecond = txBytesPerSecond
        m.rxBytesPerSecond = rxBytesPerSecond
        m.rateBytesPerSecond = rateBytesPerSecond
        m.errorsPerSecond = errorsPerSecond
        return m
    }

    public init(wire m: Infertop_V1_PortSample, node: NodeID) {
        let state: State
        switch m.state {
        case .active: state = .active
        case .init_: state = .initializing
        default: state = .down
        }
        self.init(
            node: node, port: m.port, time: m.time, state: state, txBytesPerSecond: m.txBytesPerSecond,
            rxBytesPerSecond: m.rxBytesPerSecond, rateBytesPerSecond: m.rateBytesPerSecond,
            errorsPerSecond: m.errorsPerSecond)
    }
}

extension ReplicaSample {
    public var wire: Infertop_V1_ReplicaSample {
        var m = Infertop_V1_ReplicaSample()
        m.model = replica.model
        m.index = UInt32(replica.index)
        m.time = time
        m.status = status == .serving ? .serving : .down
        m.tokensPerSecond = tokensPerSecond
        m.requestsPerSecond = requestsPerSecond
        m.runningRequests = UInt32(clamping: runningRequests)
        m.waitingRequests = UInt32(clamping: waitingRequests)
        m.preemptionsPerSecond = preemptionsPerSecond
        m.ttftP50Seconds = ttftP50Seconds
        m.ttftP99Seconds = ttftP99Seconds
        m.itlP50Seconds = itlP50Seconds
        m.itlP99Seconds = itlP99Seconds
        m.stepSeconds = stepSeconds
        m.floorSeconds = floorSeconds
        return m
    }

    public init(wire m: Infertop_V1_ReplicaSample) {
        self.init(
            replica: ReplicaID(model: m.model, index: Int(m.index)), time: m.time,
            status: m.status == .down ? .down : .serving, tokensPerSecond: m.tokensPerSecond,
            requestsPerSecond: m.requestsPerSecond, runningRequests: Int(m.runningRequests),
            waitingRequests: Int(m.waitingRequests), preemptionsPerSecond: m.preemptionsPerSecond,
            ttftP50Seconds: m.ttftP50Seconds, ttftP99Seconds: m.ttftP99Seconds, itlP50Seconds: m.itlP50Seconds,
            itlP99Seconds: m.itlP99Seconds, stepSeconds: m.stepSeconds, floorSeconds: m.floorSeconds)
    }
}
