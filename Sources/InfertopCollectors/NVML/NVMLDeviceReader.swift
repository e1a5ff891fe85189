import InfertopCore

/// Cumulative counters of one GPU from one pass; the collector turns them into rates.
struct NVMLCounters: Sendable, Hashable {
    /// NVLink data bytes sent/received, all links together (fields 138/139, KiB × 1024).
    var nvLinkTxBytes: UInt64?
    var nvLinkRxBytes: UInt64?
    /// Replay, recovery and CRC counters keyed by link and counter id.
    var nvLinkErrors: [NVLinkCounterKey: UInt64] = [:]
    var pcieReplays: UInt64?
}

/// One NVLink error counter: `link` 0..<36, `counter` an `nvmlNvLinkErrorCounter_t`.
struct NVLinkCounterKey: Sendable, Hashable {
    var link: UInt32
    var counter: UInt32
}

/// Reads one GPU through NVML: identity, memory, load, heat, clocks, throttling and NVLink.
///
/// "Not supported" answers are normal (a PCIe card has no NVLink, an old driver no v2 memory) and
/// leave the field nil; any other failure becomes one line in `errors`.
struct NVMLDeviceReader {
    let library: NVMLLibrary
    let index: Int
    let handle: OpaquePointer

    /// Fills `reading` with this pass's gauges and returns the raw counters.
    func read(into reading: inout GPUReading, errors: inout [String]) -> NVMLCounters {
        reading.name = string(library.getName, size: NVMLConstant.nameBufferSize, "nvmlDeviceGetName", &errors)
        reading.uuid = string(library.getUUID, size: NVMLConstant.uuidBufferSize, "nvmlDeviceGetUUID", &errors)
        readMemory(into: &reading, errors: &errors)
        if let fn = library.getUtilization {
            var util = NVMLUtilization()
            let rc = withUnsafeMutableBytes(of: &util) { fn(handle, $0.baseAddress) }
            if check(rc, "nvmlDeviceGetUtilizationRates", &errors) {
                reading.utilization = min(Double(util.gpu), 100) / 100
            }
        }
        if let mw = uint32(library.getPowerUsage, "nvmlDeviceGetPowerUsage", &errors) {
            reading.powerWatts = Double(mw) / 1000
        }
        reading.temperatureCelsius = temperature(&errors)
        reading.smClockMHz = indexed(library.getClockInfo, NVMLConstant.clockSM, "nvmlDeviceGetClockInfo", &errors)
            .map { Int($0) }
        reading.maxSMClockMHz = indexed(
            library.getMaxClockInfo, NVMLConstant.clockSM, "nvmlDeviceGetMaxClockInfo", &errors
        ).map { Int($0) }
        if let fn = library.getClocksEventReasons {
            var mask: UInt64 = 0
            if check(fn(handle, &mask), "nvmlDeviceGetCurrentClocksEventReasons", &errors) {
                reading.throttle = ThrottleReasons(rawValue: mask)
            }
        }
        var counters = NVMLCounters()
        counters.pcieReplays = uint32(library.getPcieReplayCounter, "nvmlDeviceGetPcieReplayCounter", &errors)
            .map { UInt64($0) }
        NVLinkReader(device: self).read(into: &reading, counters: &counters, errors: &errors)
        return counters
    }

    /// True on success; false, silently, when the GPU or driver lacks it; false with a line in
    /// `errors` for any other failure.
    func check(_ code: Int32, _ call: String, _ errors: inout [String]) -> Bool {
        if code == NVMLReturn.success { return true }
        if !NVMLReturn.isAbsent(code) { errors.append("nvml gpu \(index): \(call): \(library.describe(code))") }
        return false
    }

    private func readMemory(into reading: inout GPUReading, errors: inout [String]) {
        var v2Failure: Int32?
        if let fn = library.getMemoryV2 {
            var mem = NVMLMemoryV2()
            let rc = withUnsafeMutableBytes(of: &mem) { fn(handle, $0.baseAddress) }
            if rc == NVMLReturn.success {
                reading.memoryTotalBytes = mem.total
                reading.memoryUsedBytes = mem.used
                reading.memoryReservedBytes = mem.reserved
                return
            }
            v2Failure = rc
        }
        if let fn = library.getMemoryV1 {
            var mem = NVMLMemoryV1()
            let rc = withUnsafeMutableBytes(of: &mem) { fn(handle, $0.baseAddress) }
            if check(rc, "nvmlDeviceGetMemoryInfo", &errors) {
                reading.memoryTotalBytes = mem.total
                reading.memoryUsedBytes = mem.used
            }
        } else if let v2Failure {
            _ = check(v2Failure, "nvmlDeviceGetMemoryInfo_v2", &errors)
        }
    }

    private func temperature(_ errors: inout [String]) -> Double? {
        var vFailure: Int32?
        if let fn = library.getTemperatureV {
            var temp = NVMLTemperatureV1()
            let rc = withUnsafeMutableBytes(of: &temp) { fn(handle, $0.baseAddress) }
            if rc == NVMLReturn.success { return Double(temp.temperature) }
            vFailure = rc
        }
        if library.getTemperature != nil {
            let sensor = UInt32(bitPattern: NVMLConstant.temperatureSensorGPU)
            return indexed(library.getTemperature, sensor, "nvmlDeviceGetTemperature", &errors).map { Double($0) }
        }
        if let vFailure { _ = check(vFailure, "nvmlDeviceGetTemperatureV", &errors) }
        return nil
    }

    private func string(
        _ fn: NVMLLibrary.GetString?, size: UInt32, _ call: String,
        _ errors: inout [String]
    ) -> String? {
        guard let fn else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(size) + 1)
        let rc = buffer.withUnsafeMutableBufferPointer { fn(handle, $0.baseAddress, size) }
        guard check(rc, call, &errors) else { return nil }
        buffer[Int(size)] = 0
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return text.isEmpty ? nil : text
    }

    private func uint32(_ fn: NVMLLibrary.GetUInt32?, _ call: String, _ errors: inout [String]) -> UInt32? {
        guard let fn else { return nil }
        var value: UInt32 = 0
        return check(fn(handle, &value), call, &errors) ? value : nil
    }

    func indexed(
        _ fn: NVMLLibrary.GetIndexed?, _ argument: UInt32, _ call: String,
        _ errors: inout [String]
    ) -> UInt32? {
        guard let fn else { return nil }
        var value: UInt32 = 0
        return check(fn(handle, argument, &value), call, &errors) ? value : nil
    }
}
