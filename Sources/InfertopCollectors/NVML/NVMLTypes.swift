// Swift mirrors of the NVML structs and constants infertop reads (nvml.h, NVML_API_VERSION 13).
// Every struct below is passed to C only as a raw pointer, so its Swift layout must equal the
// documented x86-64 layout field for field; `NVMLLayoutTests` pins sizes and offsets.

/// NVML return codes (`nvmlReturn_t`) the collector tells apart.
enum NVMLReturn {
    static let success: Int32 = 0
    static let uninitialized: Int32 = 1
    static let invalidArgument: Int32 = 2
    static let notSupported: Int32 = 3
    static let noPermission: Int32 = 4
    static let notFound: Int32 = 6
    static let insufficientSize: Int32 = 7
    static let driverNotLoaded: Int32 = 9
    static let timeout: Int32 = 10
    static let libraryNotFound: Int32 = 12
    static let functionNotFound: Int32 = 13
    static let gpuIsLost: Int32 = 15
    static let argumentVersionMismatch: Int32 = 25
    static let deprecated: Int32 = 26

    /// Codes that mean "this GPU or driver does not have it", not a fault worth reporting.
    static func isAbsent(_ code: Int32) -> Bool {
        code == notSupported || code == functionNotFound || code == invalidArgument
            || code == argumentVersionMismatch || code == deprecated
    }
}

/// NVML constants: buffer sizes, struct versions, enum values, field ids and event bits.
enum NVMLConstant {
    static let nameBufferSize: UInt32 = 96
    static let uuidBufferSize: UInt32 = 96
    /// `nvmlMemory_v2` = sizeof(nvmlMemory_v2_t) | 2 << 24.
    static let memoryV2Version: UInt32 = 0x0200_0028
    /// `nvmlTemperature_v1` = sizeof(nvmlTemperature_v1_t) | 1 << 24.
    static let temperatureV1Version: UInt32 = 0x0100_000C
    static let temperatureSensorGPU: Int32 = 0
    static let clockGraphics: UInt32 = 0
    static let clockSM: UInt32 = 1
    static let maxNvLinks: UInt32 = 36
    static let enableStateEnabled: UInt32 = 1
    /// NVLink error counters summed into one rate: DL_REPLAY, DL_RECOVERY, DL_CRC_FLIT, DL_CRC_DATA.
    static let nvLinkErrorCounters: [UInt32] = [0, 1, 2, 3]
    static let fieldNvLinkThroughputDataTx: UInt32 = 138
    static let fieldNvLinkThroughputDataRx: UInt32 = 139
    /// `scopeId` meaning "all links together".
    static let scopeAllLinks: UInt32 = 0xFFFF_FFFF
    static let eventXidCriticalError: UInt64 = 0x8
}

/// `nvmlMemory_t` (24 bytes): v1, where `used` includes the driver's reserve.
struct NVMLMemoryV1 {
    var total: UInt64 = 0
    var free: UInt64 = 0
    var used: UInt64 = 0
}

/// `nvmlMemory_v2_t` (40 bytes): `used` excludes `reserved`; `version` must be set first.
struct NVMLMemoryV2 {
    var version: UInt32 = NVMLConstant.memoryV2Version
    var padding: UInt32 = 0
    var total: UInt64 = 0
    var reserved: UInt64 = 0
    var free: UInt64 = 0
    var used: UInt64 = 0
}

/// `nvmlUtilization_t` (8 bytes): percent of the last sample period.
struct NVMLUtilization {
    var gpu: UInt32 = 0
    var memory: UInt32 = 0
}

/// `nvmlTemperature_v1_t` (12 bytes) for `nvmlDeviceGetTemperatureV`.
struct NVMLTemperatureV1 {
    var version: UInt32 = NVMLConstant.temperatureV1Version
    var sensorType: Int32 = NVMLConstant.temperatureSensorGPU
    var temperature: Int32 = 0
}

/// `nvmlFieldValue_t` (40 bytes); `value` holds the 8-byte union's raw bits.
struct NVMLFieldValue {
    var fieldId: UInt32 = 0
    var scopeId: UInt32 = 0
    var timestamp: Int64 = 0
    var latencyUsec: Int64 = 0
    var valueType: Int32 = 0
    var nvmlReturn: Int32 = 0
    var value: UInt64 = 0

    init(fieldId: UInt32, scopeId: UInt32) {
        self.fieldId = fieldId
        self.scopeId = scopeId
    }

    /// The value as an unsigned counter, read by `valueType`; nil for negative or non-finite ones.
    var unsignedValue: UInt64? {
        switch valueType {
        case 0:
            let d = Double(bitPattern: value)
            return d.isFinite && d >= 0 && d < 1.8e19 ? UInt64(d) : nil
        case 1: return UInt64(UInt32(truncatingIfNeeded: value))
        case 2, 3: return value
        case 4: return Int64(bitPattern: value) >= 0 ? value : nil
        case 5:
            let v = Int32(truncatingIfNeeded: value)
            return v >= 0 ? UInt64(v) : nil
        case 6: return UInt64(UInt16(truncatingIfNeeded: value))
        default: return nil
        }
    }
}

/// `nvmlEventData_t` (32 bytes); `device` is the `nvmlDevice_t` pointer's bit pattern.
struct NVMLEventData {
    var device: UInt = 0
    var eventType: UInt64 = 0
    var eventData: UInt64 = 0
    var gpuInstanceId: UInt32 = 0
    var computeInstanceId: UInt32 = 0
}
