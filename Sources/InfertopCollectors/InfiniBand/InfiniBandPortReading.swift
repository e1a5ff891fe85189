import InfertopCore

/// One InfiniBand or RoCE port as sysfs showed it in one pass, with rates since the pass before.
///
/// `PortSample` keeps what the dashboard draws; this keeps everything the collector read (all
/// `counters/` and `hw_counters/` values, such as `port_xmit_wait`, `np_ecn_marked_roce_packets`
/// or `out_of_buffer`) for logs, `/metrics` and congestion views.
public struct InfiniBandPortReading: Sendable, Hashable {
    /// The HCA, e.g. `mlx5_0`.
    public var device: String
    /// The port number under `ports/`, usually 1.
    public var port: Int
    /// `mlx5_0` for port 1 (the name topology files use), `mlx5_0/2` for other ports.
    public var name: String
    public var state: PortSample.State
    /// `state` and `phys_state` as sysfs prints them, e.g. `4: ACTIVE`, `5: LinkUp`.
    public var stateText: String?
    public var physicalStateText: String?
    public var linkLayer: NetworkPort.LinkLayer?
    /// Signalling rate from `rate` (`400 Gb/sec (4X NDR)` → 50e9 bytes/s).
    public var rateBytesPerSecond: Double?
    /// Cumulative data bytes (`port_xmit_data`/`port_rcv_data` × 4).
    public var txBytes: UInt64?
    public var rxBytes: UInt64?
    /// Nil on the first pass for this port.
    public var txBytesPerSecond: Double?
    public var rxBytesPerSecond: Double?
    /// Symbol, link-downed and receive errors per second, all together.
    public var errorsPerSecond: Double?
    /// Raw values keyed `counters/<file>` and `hw_counters/<file>`; `N/A` counters are absent.
    public var counters: [String: UInt64] = [:]
    /// Per-second rates of `counters`, for those seen in the pass before too.
    public var counterRates: [String: Double] = [:]

    public init(device: String, port: Int, state: PortSample.State) {
        self.device = device
        self.port = port
        self.name = port == 1 ? device : "\(device)/\(port)"
        self.state = state
    }

    /// The sample the rest of infertop uses; unknown rates read as zero.
    public func sample(node: NodeID, time: Double) -> PortSample {
        PortSample(
            node: node, port: name, time: time, state: state,
            txBytesPerSecond: txBytesPerSecond ?? 0, rxBytesPerSecond: rxBytesPerSecond ?? 0,
            rateBytesPerSecond: rateBytesPerSecond ?? 0, errorsPerSecond: errorsPerSecond ?? 0)
    }

    /// The counters summed into `errorsPerSecond`, as `PortSample` defines it.
    static let errorCounters = ["counters/symbol_error", "counters/link_downed", "counters/port_rcv_errors"]

    /// `"4: ACTIVE"` → `.active`. 1 DOWN; 2 INIT and 3 ARMED → `.initializing`; 4 ACTIVE and
    /// 5 ACTIVE_DEFER → `.active`. Nil when the text has no known id.
    static func parseState(_ text: String) -> PortSample.State? {
        let id = text.split(separator: ":", maxSplits: 1).first.flatMap { Int($0.filter { $0 != " " }) }
        switch id {
        case 1: return .down
        case 2, 3: return .initializing
        case 4, 5: return .active
        default: return nil
        }
    }

    /// `"400 Gb/sec (4X NDR)"` → 5e10 bytes/s (Gb × 125,000,000, as procfs does).
    static func parseRate(_ text: String) -> Double? {
        guard let first = text.split(separator: " ").first, let gigabits = Double(first),
            gigabits.isFinite, gigabits >= 0, text.contains("Gb/sec")
        else { return nil }
        return gigabits * 125_000_000
    }
}
