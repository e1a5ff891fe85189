import InfertopCore
import Synchronization

/// Reads every NVIDIA GPU of the node through NVML (`libnvidia-ml.so.1`, loaded with `dlopen`).
///
/// Loading at run time keeps one agent binary for machines with and without NVIDIA drivers:
/// `open` answers either a collector or an `NVMLUnavailable` reason to log once. Gauges come
/// straight from NVML; NVLink bytes, NVLink errors and PCIe replays are cumulative counters
/// turned into rates between passes (nil on the first pass); XID events arrive on a thread of
/// their own and are handed out with the next pass.
public final class NVMLCollector: Collector {
    /// The library name go-nvml and the NVIDIA container toolkit use.
    public static let defaultLibraryPath = "libnvidia-ml.so.1"

    public let name = "nvml"
    /// GPUs NVML reported when the collector opened.
    public var gpuCount: Int { devices.count }

    private struct Device: Sendable {
        var index: Int
        var handle: UInt?
        var handleError: String?
    }

    private enum RateKey: Hashable, Sendable {
        case nvLinkTx(Int)
        case nvLinkRx(Int)
        case pcieReplays(Int)
        case nvLinkError(Int, NVLinkCounterKey)
    }

    private struct State: Sendable {
        var rates = HardwareCounterRates<RateKey>()
        var startupErrors: [String]
        var shutDown = false
    }

    let library: NVMLLibrary
    private let devices: [Device]
    private let xids: NVMLXIDListener?
    private let xidWaitSeconds: Double
    private let state: Mutex<State>

    private init(
        library: NVMLLibrary, devices: [Device], xids: NVMLXIDListener?, xidWaitSeconds: Double,
        startupErrors: [String]
    ) {
        self.library = library
        self.devices = devices
        self.xids = xids
        self.xidWaitSeconds = xidWaitSeconds
        self.state = Mutex(State(startupErrors: startupErrors))
    }

    deinit { xids?.stop(waitingUpTo: 0) }

    /// Loads NVML from `libraryPath`, initializes it and finds the GPUs.
    ///
    /// - Parameter xidWaitMilliseconds: how long one `nvmlEventSetWait_v2` call blocks; `shutdown`
    ///   takes up to this long.
    public static func open(
        libraryPath: String = defaultLibraryPath,
        xidWaitMilliseconds: UInt32 = 1000
    ) -> Result<NVMLCollector, NVMLUnavailable> {
        let library: NVMLLibrary
        switch NVMLLibrary.load(path: libraryPath) {
        case .failure(let reason): return .failure(reason)
        case .success(let loaded): library = loaded
        }
        let initName = library.resolved["nvmlInit_v2"] ?? "nvmlInit_v2"
        let rc = library.initialize()
        if rc == NVMLReturn.driverNotLoaded {
            return .failure(
                NVMLUnavailable(
                    reason: "no NVML on this machine: NVIDIA driver not loaded (\(initName): \(library.describe(rc)))"))
        }
        guard rc == NVMLReturn.success else {
            return .failure(NVMLUnavailable(reason: "NVML did not start: \(initName): \(library.describe(rc))"))
        }
        var count: UInt32 = 0
        let countRC = library.getCount(&count)
        guard countRC == NVMLReturn.success, count > 0 else {
            _ = library.shutdown?()
            let why = countRC == NVMLReturn.success ? "no GPUs" : library.describe(countRC)
            return .failure(NVMLUnavailable(reason: "NVML found no GPUs: nvmlDeviceGetCount_v2: \(why)"))
        }
        var devices: [Device] = []
        for index in 0..<Int(min(count, 1024)) {
            var handle: OpaquePointer?
            let rc = library.getHandleByIndex(UInt32(index), &handle)
            if rc == NVMLReturn.success, let handle {
                devices.append(Device(index: index, handle: UInt(bitPattern: handle)))
            } else {
                let text = "nvml gpu \(index): nvmlDeviceGetHandleByIndex_v2: \(library.describe(rc))"
                devices.append(Device(index: index, handleError: text))
            }
        }
        let registrable = devices.compactMap { d in d.handle.map { (index: d.index, handle: $0) } }
        let (xids, xidErrors) = NVMLXIDListener.start(
            library: library, devices: registrable, timeoutMilliseconds: xidWaitMilliseconds)
        return .success(
            NVMLCollector(
                library: library, devices: devices, xids: xids,
                xidWaitSeconds: Double(xidWaitMilliseconds) / 1000,
                startupErrors: xidErrors))
    }

    public func collect(at time: Double) async -> CollectorReading {
        var out = CollectorReading()
        if state.withLock({ $0.shutDown }) {
            out.errors = ["nvml: collector was shut down"]
            return out
        }
        out.errors = library.lacking.map { "nvml: library lacks \($0)" }
        var raw: [(Int, NVMLCounters)] = []
        for device in devices {
            var reading = GPUReading(index: device.index)
            if let handle = device.handle, let pointer = OpaquePointer(bitPattern: handle) {
                let reader = NVMLDeviceReader(library: library, index: device.index, handle: pointer)
                raw.append((out.gpus.count, reader.read(into: &reading, errors: &out.errors)))
            } else if let error = device.handleError {
                out.errors.append(error)
            }
            out.gpus.append(reading)
        }
        if let drained = xids?.drain() {
            for i in out.gpus.indices { out.gpus[i].xids = drained.xids[out.gpus[i].index] ?? [] }
            out.errors += drained.errors
        }
        state.withLock { state in
            out.errors = state.startupErrors + out.errors
            state.startupErrors = []
            var seen = Set<RateKey>()
            for (slot, counters) in raw {
                Self.applyRates(counters, to: &out.gpus[slot], rates: &state.rates, seen: &seen, at: time)
            }
            state.rates.keep(only: seen)
        }
        return out
    }

    /// Stops the XID thread and calls `nvmlShutdown`; later passes return only an error.
    /// Blocks up to one XID wait; NVML is left initialized if the thread does not end in time.
    public func shutdown() {
        let first = state.withLock { state in
            defer { state.shutDown = true }
            return !state.shutDown
        }
        guard first else { return }
        let ended = xids?.stop(waitingUpTo: xidWaitSeconds + 1) ?? true
        if ended { _ = library.shutdown?() }
    }

    private static func applyRates(
        _ counters: NVMLCounters, to reading: inout GPUReading,
        rates: inout HardwareCounterRates<RateKey>, seen: inout Set<RateKey>, at time: Double
    ) {
        let gpu = reading.index
        func rate(_ key: RateKey, _ value: UInt64?) -> Double? {
            guard let value else { return nil }
            seen.insert(key)
            return rates.rate(key, value, at: time)
        }
        reading.fabricTxBytesPerSecond = rate(.nvLinkTx(gpu), counters.nvLinkTxBytes)
        reading.fabricRxBytesPerSecond = rate(.nvLinkRx(gpu), counters.nvLinkRxBytes)
        reading.pcieReplaysPerSecond = rate(.pcieReplays(gpu), counters.pcieReplays)
        let errorRates = counters.nvLinkErrors.compactMap { rate(.nvLinkError(gpu, $0.key), $0.value) }
        reading.fabricErrorsPerSecond = errorRates.isEmpty ? nil : errorRates.reduce(0, +)
    }
}
