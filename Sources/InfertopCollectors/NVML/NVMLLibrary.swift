#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why there is no NVIDIA collector on this machine, in one line for the agent's log.
///
/// A machine without NVIDIA GPUs is normal, not a fault: the agent logs `reason` once and runs
/// its other collectors.
public struct NVMLUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// `libnvidia-ml` opened with `dlopen`, with every function infertop calls resolved by `dlsym`.
///
/// Versioned names are tried first (the header `#define`s plain names to them), then the older
/// ones. Required functions missing make the library unusable; optional ones are simply nil and
/// the collector reports them. All members are immutable after `load`, and NVML is thread-safe,
/// hence `@unchecked Sendable`.
final class NVMLLibrary: @unchecked Sendable {
    typealias Call = @convention(c) () -> Int32
    typealias ErrorString = @convention(c) (Int32) -> UnsafePointer<CChar>?
    typealias GetCount = @convention(c) (UnsafeMutablePointer<UInt32>?) -> Int32
    typealias GetHandle = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    typealias GetString = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32
    typealias GetStruct = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32
    typealias GetUInt32 = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias GetUInt64 = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias GetIndexed = @convention(c) (OpaquePointer?, UInt32, UnsafeMutablePointer<UInt32>?) -> Int32
    typealias GetLinkCounter =
        @convention(c) (OpaquePointer?, UInt32, UInt32, UnsafeMutablePointer<UInt64>?) -> Int32
    typealias GetFieldValues = @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer?) -> Int32
    typealias EventSetCreate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
    typealias RegisterEvents = @convention(c) (OpaquePointer?, UInt64, OpaquePointer?) -> Int32
    typealias EventSetWait = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UInt32) -> Int32
    typealias EventSetFree = @convention(c) (OpaquePointer?) -> Int32

    let path: String
    /// Wanted name → the symbol actually found (e.g. `nvmlInit_v2` → `nvmlInit`).
    let resolved: [String: String]

    let initialize: Call
    let getCount: GetCount
    let getHandleByIndex: GetHandle
    let shutdown: Call?
    let errorString: ErrorString?
    let getName: GetString?
    let getUUID: GetString?
    let getMemoryV2: GetStruct?
    let getMemoryV1: GetStruct?
    let getUtilization: GetStruct?
    let getPowerUsage: GetUInt32?
    let getTemperatureV: GetStruct?
    let getTemperature: GetIndexed?
    let getClockInfo: GetIndexed?
    let getMaxClockInfo: GetIndexed?
    let getClocksEventReasons: GetUInt64?
    let getPcieReplayCounter: GetUInt32?
    let getNvLinkState: GetIndexed?
    let getNvLinkErrorCounter: GetLinkCounter?
    let getFieldValues: GetFieldValues?
    let eventSetCreate: EventSetCreate?
    let registerEvents: RegisterEvents?
    let eventSetWait: EventSetWait?
    let eventSetFree: EventSetFree?

    /// Opens the library at `path` (a bare name searches the loader path) and resolves symbols.
    static func load(path: String) -> Result<NVMLLibrary, NVMLUnavailable> {
        guard let handle = dlopen(path, RTLD_LAZY | RTLD_GLOBAL) else {
            let detail = dlerror().map { String(cString: $0) } ?? ""
            if detail.isEmpty || detail.contains("No such file") {
                return .failure(NVMLUnavailable(reason: "no NVML on this machine: \(path) not found"))
            }
            return .failure(NVMLUnavailable(reason: "no NVML on this machine: cannot load \(path): \(detail)"))
        }
        var table = SymbolTable(handle: handle)
        guard let initialize = table.find(["nvmlInit_v2", "nvmlInit"], as: Call.self),
            let getCount = table.find(["nvmlDeviceGetCount_v2", "nvmlDeviceGetCount"], as: GetCount.self),
            let getHandle = table.find(
                ["nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"], as: GetHandle.self)
        else {
            let lacking = table.missing.joined(separator: ", ")
            dlclose(handle)
            return .failure(NVMLUnavailable(reason: "NVML library \(path) is unusable: it lacks \(lacking)"))
        }
        return .success(
            NVMLLibrary(
                path: path, table: &table, initialize: initialize,
                getCount: getCount, getHandle: getHandle))
    }

    private init(
        path: String, table: inout SymbolTable, initialize: Call, getCount: GetCount,
        getHandle: GetHandle
    ) {
        self.path = path
        self.initialize = initialize
        self.getCount = getCount
        self.getHandleByIndex = getHandle
        shutdown = table.find(["nvmlShutdown"], as: Call.self)
        errorString = table.find(["nvmlErrorString"], as: ErrorString.self)
        getName = table.find(["nvmlDeviceGetName"], as: GetString.self)
        getUUID = table.find(["nvmlDeviceGetUUID"], as: GetString.self)
        getMemoryV2 = table.find(["nvmlDeviceGetMemoryInfo_v2"], as: GetStruct.self)
        getMemoryV1 = table.find(["nvmlDeviceGetMemoryInfo"], as: GetStruct.self)
        getUtilization = table.find(["nvmlDeviceGetUtilizationRates"], as: GetStruct.self)
        getPowerUsage = table.find(["nvmlDeviceGetPowerUsage"], as: GetUInt32.self)
        getTemperatureV = table.find(["nvmlDeviceGetTemperatureV"], as: GetStruct.self)
        getTemperature = table.find(["nvmlDeviceGetTemperature"], as: GetIndexed.self)
        getClockInfo = table.find(["nvmlDeviceGetClockInfo"], as: GetIndexed.self)
        getMaxClockInfo = table.find(["nvmlDeviceGetMaxClockInfo"], as: GetIndexed.self)
        getClocksEventReasons = table.find(
            ["nvmlDeviceGetCurrentClocksEventReasons", "nvmlDeviceGetCurrentClocksThrottleReasons"],
            as: GetUInt64.self)
        getPcieReplayCounter = table.find(["nvmlDeviceGetPcieReplayCounter"], as: GetUInt32.self)
        getNvLinkState = table.find(["nvmlDeviceGetNvLinkState"], as: GetIndexed.self)
        getNvLinkErrorCounter = table.find(["nvmlDeviceGetNvLinkErrorCounter"], as: GetLinkCounter.self)
        getFieldValues = table.find(["nvmlDeviceGetFieldValues"], as: GetFieldValues.self)
        eventSetCreate = table.find(["nvmlEventSetCreate"], as: EventSetCreate.self)
        registerEvents = table.find(["nvmlDeviceRegisterEvents"], as: RegisterEvents.self)
        eventSetWait = table.find(["nvmlEventSetWait_v2", "nvmlEventSetWait"], as: EventSetWait.self)
        eventSetFree = table.find(["nvmlEventSetFree"], as: EventSetFree.self)
        resolved = table.resolved
    }

    /// What this library cannot read at all, one entry per quantity, naming the functions that
    /// were looked for. Reported in every pass's errors, since the values stay missing.
    var lacking: [String] {
        var out: [String] = []
        func need(_ present: Bool, _ what: String) { if !present { out.append(what) } }
        need(getName != nil, "nvmlDeviceGetName")
        need(getUUID != nil, "nvmlDeviceGetUUID")
        need(getMemoryV2 != nil || getMemoryV1 != nil, "nvmlDeviceGetMemoryInfo_v2/nvmlDeviceGetMemoryInfo")
        need(getUtilization != nil, "nvmlDeviceGetUtilizationRates")
        need(getPowerUsage != nil, "nvmlDeviceGetPowerUsage")
        need(getTemperatureV != nil || getTemperature != nil, "nvmlDeviceGetTemperatureV/nvmlDeviceGetTemperature")
        need(getClockInfo != nil, "nvmlDeviceGetClockInfo")
        need(getMaxClockInfo != nil, "nvmlDeviceGetMaxClockInfo")
        need(
            getClocksEventReasons != nil,
            "nvmlDeviceGetCurrentClocksEventReasons/nvmlDeviceGetCurrentClocksThrottleReasons")
        need(getPcieReplayCounter != nil, "nvmlDeviceGetPcieReplayCounter")
        need(getNvLinkState != nil, "nvmlDeviceGetNvLinkState")
        need(getFieldValues != nil, "nvmlDeviceGetFieldValues")
        need(getNvLinkErrorCounter != nil, "nvmlDeviceGetNvLinkErrorCounter")
        need(
            eventSetCreate != nil && registerEvents != nil && eventSetWait != nil,
            "nvmlEventSetCreate/nvmlDeviceRegisterEvents/nvmlEventSetWait_v2")
        return out
    }

    /// `nvmlErrorString` text for a return code, with the code itself.
    func describe(_ code: Int32) -> String {
        if let errorString, let text = errorString(code) {
            return "\(String(cString: text)) (\(code))"
        }
        return "NVML error \(code)"
    }
}

/// Looks symbols up in a `dlopen` handle, remembering which name matched and which are missing.
private struct SymbolTable {
    let handle: UnsafeMutableRawPointer
    var resolved: [String: String] = [:]
    var missing: [String] = []

    /// The first of `names` the library exports, cast to the C function type `F`.
    mutating func find<F>(_ names: [String], as type: F.Type) -> F? {
        precondition(MemoryLayout<F>.size == MemoryLayout<UnsafeMutableRawPointer>.size)
        for name in names {
            if let symbol = dlsym(handle, name) {
                resolved[names[0]] = name
                return unsafeBitCast(symbol, to: F.self)
            }
        }
        missing.append(names[0])
        return nil
    }
}
