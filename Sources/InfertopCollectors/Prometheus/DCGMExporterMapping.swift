import InfertopCore

/// Maps dcgm-exporter's `/metrics` (default counters, DATASOURCES §2) to one `GPUReading` per
/// `gpu` label: framebuffer MiB to bytes, utilisation % to 0...1, watts, °C, MHz, the last XID,
/// NVLink MB/s to bytes/s, and the PCIe replay and NVLink error counters to rates.
///
/// With `hostname` set, series whose `hostname` (dcgm-exporter since d5e5f51) or `Hostname`
/// (before) label names another host are left out; series without the label (`-n`) are kept.
/// NVLink/NVSwitch entity series (`nvlink`/`nvswitch` labels) are skipped. MIG instances of one
/// GPU (`GPU_I_ID`) have their framebuffer figures summed.
public struct DCGMExporterMapping: ScrapeMapping {
    public let hostname: String?
    public var source: String { "dcgm-exporter" }
    private var rates = CounterRates()
    private var lastXID: [Int: Int] = [:]

    public init(hostname: String? = nil) {
        self.hostname = hostname
    }

    public mutating func map(_ document: PrometheusDocument, at time: Double) -> CollectorReading {
        CollectorReading(gpus: gpuReadings(document, at: time))
    }

    /// The GPUs in the document, by index.
    public mutating func gpuReadings(_ document: PrometheusDocument, at time: Double) -> [GPUReading] {
        var gpus: [Int: GPUReading] = [:]
        var pass = DCGMPass()
        for sample in document.samples where sample.name.hasPrefix("DCGM_") {
            let labels = sample.labels
            guard labels["nvlink"] == nil, labels["nvswitch"] == nil,
                let index = labels["gpu"].flatMap({ Int($0) }), acceptsHost(labels),
                !Self.isBlank(sample.value)
            else { continue }
            var gpu = gpus[index] ?? GPUReading(index: index)
            gpu.name = gpu.name ?? labels["modelName"] ?? labels["model_name"]
            gpu.uuid = gpu.uuid ?? labels["UUID"] ?? labels["uuid"]
            let field = String(sample.name.dropFirst("DCGM_FI_".count))
            apply(field, sample.value, to: &gpu, instance: labels["GPU_I_ID"] ?? "", pass: &pass, at: time)
            gpus[index] = gpu
        }
        rates.endPass()
        pass.finish(&gpus)
        return gpus.keys.sorted().compactMap { gpus[$0] }
    }

    /// One field's value: set on the GPU, or kept in `pass` when it needs the whole page first.
    private mutating func apply(
        _ field: String, _ v: Double, to gpu: inout GPUReading, instance: String, pass: inout DCGMPass,
        at time: Double
    ) {
        let index = gpu.index
        switch field {
        case "DEV_FB_USED", "DEV_FB_FREE", "DEV_FB_RESERVED", "DEV_FB_TOTAL":
            pass.framebuffer[index, default: [:]][field, default: [:]][instance] = v
        case "DEV_GPU_UTIL": gpu.utilization = min(1, max(0, v / 100))
        case "DEV_POWER_USAGE": gpu.powerWatts = v
        case "DEV_GPU_TEMP": gpu.temperatureCelsius = v
        case "DEV_SM_CLOCK": gpu.smClockMHz = Int(exactly: v.rounded())
        case "DEV_MAX_SM_CLOCK": gpu.maxSMClockMHz = Int(exactly: v.rounded())
        case "DEV_CLOCK_THROTTLE_REASONS", "DEV_CLOCKS_EVENT_REASONS":
            if v >= 0, v < 0x1p63 { gpu.throttle = ThrottleReasons(rawValue: UInt64(v)) }
        case "DEV_XID_ERRORS":
            let xid = Int(exactly: v.rounded()) ?? 0
            if xid != 0, lastXID[index] != xid { gpu.xids = [xid] }
            lastXID[index] = xid
        case "DEV_PCIE_REPLAY_COUNTER":
            if let rate = rates.rate(of: "pcie_replay/\(index)", value: v, at: time) { gpu.pcieReplaysPerSecond = rate }
        case "DEV_NVLINK_BANDWIDTH_TOTAL": pass.nvlinkTotal[index] = v * 1e6
        case "PROF_NVLINK_TX_BYTES": pass.nvlinkTx[index] = v
        case "PROF_NVLINK_RX_BYTES": pass.nvlinkRx[index] = v
        case "DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL", "DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL",
            "DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL", "DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL":
            if let rate = rates.rate(of: "\(field)/\(index)", value: v, at: time) {
                pass.fabricErrors[index, default: 0] += rate
            }
        default: break
        }
    }

    private func acceptsHost(_ labels: [String: String]) -> Bool {
        guard let wanted = hostname, let host = labels["hostname"] ?? labels["Hostname"] else { return true }
        return Self.sameHost(host, wanted)
    }

    /// Host names compare without case, and a short name matches its fully qualified form.
    static func sameHost(_ a: String, _ b: String) -> Bool {
        let x = a.lowercased()
        let y = b.lowercased()
        if x == y { return true }
        let shortX = x.split(separator: ".", maxSplits: 1).first.map(String.init) ?? x
        let shortY = y.split(separator: ".", maxSplits: 1).first.map(String.init) ?? y
        return (shortX == y || shortY == x) && !x.isEmpty && !y.isEmpty
    }

    /// DCGM's "blank" sentinels (no data, not found, not supported, no permission), which the
    /// exporter prints as numbers: int64 ≥ 0x7ffffffffffffff0 (2^63 once a Double), int32 0x7ffffff0...0x7fffffff,
    /// and the fp64 blank 2^47.
    static func isBlank(_ value: Double) -> Bool {
        !value.isFinite || value >= 0x1p63 || value == 140_737_488_355_328
            || (value >= 2_147_483_632 && value <= 2_147_483_647)
    }
}

extension GPUReading {
    /// Sets memory from dcgm-exporter framebuffer fields in MiB (`DEV_FB_USED` and so on).
    fileprivate mutating func applyFramebuffer(_ mib: [String: Double]) {
        func bytes(_ field: String) -> UInt64? {
            guard let value = mib[field], value >= 0, value < 0x1p43 else { return nil }
            return UInt64(value * 1_048_576)
        }
        memoryUsedBytes = bytes("DEV_FB_USED")
        memoryReservedBytes = bytes("DEV_FB_RESERVED")
        if let total = bytes("DEV_FB_TOTAL") {
            memoryTotalBytes = total
        } else if let used = memoryUsedBytes, let free = bytes("DEV_FB_FREE") {
            memoryTotalBytes = used + free + (memoryReservedBytes ?? 0)
        }
    }
}

/// What one page gives per GPU that is applied only once the whole page is read.
private struct DCGMPass {
    /// Framebuffer MiB by GPU, field and MIG instance (duplicates of one instance, e.g. one
    /// series per pod sharing a GPU, count once).
    var framebuffer: [Int: [String: [String: Double]]] = [:]
    var fabricErrors: [Int: Double] = [:]
    var nvlinkTotal: [Int: Double] = [:]
    var nvlinkTx: [Int: Double] = [:]
    var nvlinkRx: [Int: Double] = [:]

    func finish(_ gpus: inout [Int: GPUReading]) {
        for (index, fields) in framebuffer {
            gpus[index]?.applyFramebuffer(fields.mapValues { $0.values.reduce(0, +) })
        }
        for (index, rate) in fabricErrors { gpus[index]?.fabricErrorsPerSecond = rate }
        for index in gpus.keys {
            if let tx = nvlinkTx[index], let rx = nvlinkRx[index] {
                gpus[index]?.fabricTxBytesPerSecond = tx
                gpus[index]?.fabricRxBytesPerSecond = rx
            } else if let total = nvlinkTotal[index] {
                // DCGM gives only TX+RX; `GPUReading` has no total field, so it is split evenly.
                gpus[index]?.fabricTxBytesPerSecond = total / 2
                gpus[index]?.fabricRxBytesPerSecond = total / 2
            }
        }
    }
}
