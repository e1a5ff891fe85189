/// Who made an accelerator. Nothing in the data model may assume one vendor.
public enum Vendor: String, Sendable, Hashable, CaseIterable {
    case nvidia
    case amd

    /// The name of the GPU-to-GPU fabric inside a node for this vendor.
    public var fabricName: String { self == .nvidia ? "NVLink" : "xGMI" }
}

/// An accelerator model and the datasheet figures an operator reasons with.
///
/// Figures follow DOMAIN.md (and the vendors' datasheets where they disagree).
public struct GPUModel: Hashable, Sendable {
    public let name: String
    public let shortName: String
    public let vendor: Vendor
    public let memoryBytes: UInt64
    public let memoryBandwidthBytesPerSecond: Double
    /// GPU-to-GPU fabric bandwidth of one GPU, both directions, all links together.
    public let fabricBytesPerSecond: Double
    public let fabricLinkCount: Int
    /// Dense FP8 throughput, used for prefill (compute-bound) estimates.
    public let fp8FlopsPerSecond: Double
    public let maxSMClockMHz: Int
    public let tdpWatts: Int
    public let idleWatts: Int

    public init(
        name: String, shortName: String, vendor: Vendor, memoryBytes: UInt64,
        memoryBandwidthBytesPerSecond: Double, fabricBytesPerSecond: Double, fabricLinkCount: Int,
        fp8FlopsPerSecond: Double, maxSMClockMHz: Int, tdpWatts: Int, idleWatts: Int
    ) {
        self.name = name
        self.shortName = shortName
        self.vendor = vendor
        self.memoryBytes = memoryBytes
        self.memoryBandwidthBytesPerSecond = memoryBandwidthBytesPerSecond
        self.fabricBytesPerSecond = fabricBytesPerSecond
        self.fabricLinkCount = fabricLinkCount
        self.fp8FlopsPerSecond = fp8FlopsPerSecond
        self.maxSMClockMHz = maxSMClockMHz
        self.tdpWatts = tdpWatts
        self.idleWatts = idleWatts
    }

    /// NVIDIA H100 SXM5: 80 GB HBM3 at 3.35 TB/s, NVLink 4 (18 links, 900 GB/s).
    public static let h100 = GPUModel(
        name: "NVIDIA H100 80GB HBM3", shortName: "H100", vendor: .nvidia, memoryBytes: 80 * gigabyte,
        memoryBandwidthBytesPerSecond: 3.35e12, fabricBytesPerSecond: 900e9, fabricLinkCount: 18,
        fp8FlopsPerSecond: 1979e12, maxSMClockMHz: 1980, tdpWatts: 700, idleWatts: 70)

    /// NVIDIA H200 SXM: 141 GB HBM3e at 4.8 TB/s, NVLink 4.
    public static let h200 = GPUModel(
        name: "NVIDIA H200", shortName: "H200", vendor: .nvidia, memoryBytes: 141 * gigabyte,
        memoryBandwidthBytesPerSecond: 4.8e12, fabricBytesPerSecond: 900e9, fabricLinkCount: 18,
        fp8FlopsPerSecond: 1979e12, maxSMClockMHz: 1980, tdpWatts: 700, idleWatts: 75)

    /// AMD Instinct MI300X: 192 GB HBM3 at 5.3 TB/s, Infinity Fabric (xGMI, 7 links, 896 GB/s).
    public static let mi300x = GPUModel(
        name: "AMD Instinct MI300X", shortName: "MI300X", vendor: .amd, memoryBytes: 192 * gigabyte,
        memoryBandwidthBytesPerSecond: 5.3e12, fabricBytesPerSecond: 896e9, fabricLinkCount: 7,
        fp8FlopsPerSecond: 2615e12, maxSMClockMHz: 2100, tdpWatts: 750, idleWatts: 90)
}

/// 10^9 bytes: how HBM capacities are sold.
public let gigabyte: UInt64 = 1_000_000_000
/// 2^30 bytes: how memory figures are shown.
public let gibibyte: UInt64 = 1 << 30
