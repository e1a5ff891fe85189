import InfertopCore
import Synchronization

/// Reads InfiniBand and RoCE ports from `<root>/sys/class/infiniband/<hca>/ports/<n>/`.
///
/// sysfs is what `ibstat`, procfs and node_exporter read, needs no library, and covers RoCE
/// NICs too (`link_layer` = `Ethernet`). Data counters count 4-byte words, so they are multiplied
/// by 4. Rates come from the change since the previous pass: zero on the first pass, and a
/// counter that went down (cleared, driver reloaded) counts from zero. Counters reading
/// `N/A (no PMA)` are skipped; unreadable or garbled files become lines in `errors`. Only
/// port-level `hw_counters` are read: device-level ones cannot be pinned on one port.
public final class InfiniBandCollector: Collector {
    public let name = "infiniband"
    /// The node the ports belong to, stamped on every `PortSample`.
    public let node: NodeID
    /// The file-system root the sysfs paths hang off (`/` on a real machine; a fixture in tests).
    public let root: String

    private let rates = Mutex(HardwareCounterRates<String>())

    public init(node: NodeID, root: String = "/") {
        self.node = node
        self.root = root
    }

    /// True when sysfs lists at least one HCA, so the agent can skip this collector otherwise.
    public static func hasDevices(root: String = "/") -> Bool {
        !(Sysfs.entries(Sysfs.path(root, "sys/class/infiniband")) ?? []).isEmpty
    }

    public func collect(at time: Double) async -> CollectorReading {
        let pass = read(at: time)
        var out = CollectorReading()
        out.ports = pass.ports.map { $0.sample(node: node, time: time) }
        out.errors = pass.errors
        return out
    }

    /// One synchronous pass with every detail read, and what went wrong.
    public func read(at time: Double) -> (ports: [InfiniBandPortReading], errors: [String]) {
        var files = SysfsReader()
        var ports: [InfiniBandPortReading] = []
        let base = Sysfs.path(root, "sys/class/infiniband")
        for device in Sysfs.entries(base) ?? [] {
            let portsDir = Sysfs.path(base, device, "ports")
            for portName in Sysfs.entries(portsDir) ?? [] {
                guard let port = Int(portName) else { continue }
                ports.append(readPort(device: device, port: port, dir: Sysfs.path(portsDir, portName), files: &files))
            }
        }
        rates.withLock { rates in
            var seen = Set<String>()
            for i in ports.indices { applyRates(to: &ports[i], rates: &rates, seen: &seen, at: time) }
            rates.keep(only: seen)
        }
        return (ports, files.errors)
    }

    private func readPort(device: String, port: Int, dir: String, files: inout SysfsReader) -> InfiniBandPortReading {
        let statePath = Sysfs.path(dir, "state")
        let stateText = files.text(statePath)
        let state = stateText.flatMap(InfiniBandPortReading.parseState)
        if state == nil {
            files.errors.append("\(statePath): no port state in \"\(stateText?.prefix(40) ?? "")\"")
        }
        var reading = InfiniBandPortReading(device: device, port: port, state: state ?? .down)
        reading.stateText = stateText
        reading.physicalStateText = files.text(Sysfs.path(dir, "phys_state"))
        reading.linkLayer = files.text(Sysfs.path(dir, "link_layer")).flatMap(NetworkPort.LinkLayer.init(rawValue:))
        let ratePath = Sysfs.path(dir, "rate")
        if let text = files.text(ratePath) {
            reading.rateBytesPerSecond = InfiniBandPortReading.parseRate(text)
            if reading.rateBytesPerSecond == nil {
                files.errors.append("\(ratePath): no rate in \"\(text.prefix(40))\"")
            }
        }
        for folder in ["counters", "counters_ext", "hw_counters"] {
            let counterDir = Sysfs.path(dir, folder)
            for file in Sysfs.entries(counterDir) ?? [] where file != "lifespan" {
                if let value = files.unsigned(Sysfs.path(counterDir, file)) {
                    reading.counters["\(folder)/\(file)"] = value
                }
            }
        }
        let words = reading.counters
        reading.txBytes = (words["counters/port_xmit_data"] ?? words["counters_ext/port_xmit_data_64"]).map(Self.bytes)
        reading.rxBytes = (words["counters/port_rcv_data"] ?? words["counters_ext/port_rcv_data_64"]).map(Self.bytes)
        return reading
    }

    /// Data counters count 4-byte words; saturates rather than traps on absurd values.
    private static func bytes(_ words: UInt64) -> UInt64 {
        let (product, overflow) = words.multipliedReportingOverflow(by: 4)
        return overflow ? .max : product
    }

    private func applyRates(
        to reading: inout InfiniBandPortReading, rates: inout HardwareCounterRates<String>,
        seen: inout Set<String>, at time: Double
    ) {
        let prefix = "\(reading.device)/\(reading.port)/"
        for (counter, value) in reading.counters {
            seen.insert(prefix + counter)
            if let rate = rates.rate(prefix + counter, value, at: time) { reading.counterRates[counter] = rate }
        }
        func byteRate(_ key: String, _ bytes: UInt64?) -> Double? {
            guard let bytes else { return nil }
            seen.insert(prefix + key)
            return rates.rate(prefix + key, bytes, at: time)
        }
        reading.txBytesPerSecond = byteRate("tx-bytes", reading.txBytes)
        reading.rxBytesPerSecond = byteRate("rx-bytes", reading.rxBytes)
        let errorRates = InfiniBandPortReading.errorCounters.compactMap { reading.counterRates[$0] }
        reading.errorsPerSecond = errorRates.isEmpty ? nil : errorRates.reduce(0, +)
    }
}
