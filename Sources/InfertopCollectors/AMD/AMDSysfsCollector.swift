import InfertopCore

/// Reads AMD GPUs from the `amdgpu` driver's sysfs files under `<root>/sys/class/drm/card*/device/`.
///
/// sysfs needs no library and no ROCm install, and its units are fixed by the kernel: VRAM in
/// bytes, busy in percent, hwmon temperature in millidegrees and power in microwatts. amdsmi
/// (`libamd_smi.so`) is not used, present or not: its struct layouts change between ROCm
/// releases, and its VRAM figures come from these same files. What only amdsmi has (XGMI
/// traffic, ECC) is therefore not read here. Only cards whose PCI vendor is 0x1002 count; GPU
/// indexes follow card numbers (`card0` before `card2`), skipping other vendors' cards.
public struct AMDSysfsCollector: Collector {
    /// The PCI vendor id of AMD/ATI, as `device/vendor` prints it.
    public static let vendorID = "0x1002"

    public let name = "amd-sysfs"
    /// The file-system root the sysfs paths hang off (`/` on a real machine; a fixture in tests).
    public let root: String

    public init(root: String = "/") {
        self.root = root
    }

    /// True when at least one AMD card is present, so the agent can skip this collector otherwise.
    public static func hasCards(root: String = "/") -> Bool {
        !AMDSysfsCollector(root: root).cardDirectories().isEmpty
    }

    public func collect(at time: Double) async -> CollectorReading {
        read()
    }

    /// One synchronous pass over every AMD card.
    public func read() -> CollectorReading {
        var out = CollectorReading()
        var files = SysfsReader()
        for (index, device) in cardDirectories().enumerated() {
            out.gpus.append(readCard(index: index, device: device, files: &files))
        }
        out.errors = files.errors
        return out
    }

    /// `device` folders of the AMD cards, in card-number order.
    private func cardDirectories() -> [String] {
        let drm = Sysfs.path(root, "sys/class/drm")
        guard let names = Sysfs.entries(drm) else { return [] }
        var probe = SysfsReader()
        return names.filter(Self.isCard).map { Sysfs.path(drm, $0, "device") }.filter {
            probe.text(Sysfs.path($0, "vendor"))?.lowercased() == Self.vendorID
        }
    }

    /// `card0`, `card12`; not connectors such as `card0-DP-1` nor `renderD128`.
    static func isCard(_ name: String) -> Bool {
        name.hasPrefix("card") && name.count > 4 && name.dropFirst(4).allSatisfy { $0.isASCII && $0.isNumber }
    }

    private func readCard(index: Int, device: String, files: inout SysfsReader) -> GPUReading {
        var gpu = GPUReading(index: index)
        gpu.name = files.text(Sysfs.path(device, "product_name")).flatMap { $0.isEmpty ? nil : $0 }
        gpu.uuid = files.text(Sysfs.path(device, "unique_id")).flatMap { $0.isEmpty ? nil : $0 }
        gpu.memoryTotalBytes = files.unsigned(Sysfs.path(device, "mem_info_vram_total"))
        gpu.memoryUsedBytes = files.unsigned(Sysfs.path(device, "mem_info_vram_used"))
        if let busy = files.unsigned(Sysfs.path(device, "gpu_busy_percent")) {
            if busy <= 100 {
                gpu.utilization = Double(busy) / 100
            } else {
                files.errors.append("\(Sysfs.path(device, "gpu_busy_percent")): \(busy) is not a percentage")
            }
        }
        if let hwmon = hwmonDirectory(device) {
            readHwmon(hwmon, into: &gpu, files: &files)
        }
        return gpu
    }

    private func hwmonDirectory(_ device: String) -> String? {
        let base = Sysfs.path(device, "hwmon")
        return Sysfs.entries(base)?.first { $0.hasPrefix("hwmon") }.map { Sysfs.path(base, $0) }
    }

    /// Temperature (junction, else edge, else `temp1`), power (`power1_average`, else
    /// `power1_input`) and the shader clock (`freq1_input` labelled `sclk`, in Hz).
    private func readHwmon(_ hwmon: String, into gpu: inout GPUReading, files: inout SysfsReader) {
        let sensors = (Sysfs.entries(hwmon) ?? []).filter { $0.hasPrefix("temp") && $0.hasSuffix("_label") }
        var labels: [String: String] = [:]
        for sensor in sensors {
            if let label = files.text(Sysfs.path(hwmon, sensor))?.lowercased() {
                labels[label] = String(sensor.dropLast("_label".count))
            }
        }
        let temp = labels["junction"] ?? labels["edge"] ?? "temp1"
        if let milli = files.signed(Sysfs.path(hwmon, "\(temp)_input")) {
            gpu.temperatureCelsius = Double(milli) / 1000
        }
        let averagePath = Sysfs.path(hwmon, "power1_average")
        let microwatts =
            Sysfs.readFile(averagePath) == .missing
            ? files.unsigned(Sysfs.path(hwmon, "power1_input")) : files.unsigned(averagePath)
        gpu.powerWatts = microwatts.map { Double($0) / 1_000_000 }
        let freqLabel = files.text(Sysfs.path(hwmon, "freq1_label"))?.lowercased()
        if freqLabel == nil || freqLabel == "sclk", let hertz = files.unsigned(Sysfs.path(hwmon, "freq1_input")) {
            gpu.smClockMHz = Int(hertz / 1_000_000)
        }
    }
}
