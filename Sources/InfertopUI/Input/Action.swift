/// Everything a key or a `:` command can ask for. The raw value is the command's name.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case overview, memory, interconnect, requests, shards, events
    case up, down, left, right, pageUp = "page-up", pageDown = "page-down", top, bottom
    case drill, back
    case culprit, culpritRequest = "culprit-request"
    case filter, command, help, pause, sort, quit
    case mark
    /// Replay only: play or pause, 10 s back or on, half or double speed.
    case play, rewind, forward, slower, faster
    case cordon, uncordon, drain, rebalance, cancel

    /// Whether the action changes the cluster, as k9s's `Dangerous`: read-only mode refuses it
    /// with the reason, and the keymap binds it to no single key (only its `:` command runs it).
    public var isMutating: Bool {
        switch self {
        case .cordon, .uncordon, .drain, .rebalance, .cancel: true
        default: false
        }
    }
}

/// Where a binding applies.
public enum KeyContext: String, Sendable, Hashable, CaseIterable {
    case global, overview, memory, interconnect, requests, waterfall, node, shards, events
    /// `infertop replay`: these bindings win over every other while replaying.
    case replay

    public var title: String {
        switch self {
        case .global: "Everywhere"
        case .overview: "Overview (1)"
        case .memory: "GPU memory (2)"
        case .interconnect: "Interconnect (3)"
        case .requests: "Requests (4)"
        case .waterfall: "Request waterfall (Enter on a request)"
        case .node: "Node detail (Enter)"
        case .shards: "Shards (5)"
        case .events: "Events and audit (6)"
        case .replay: "Replay (infertop replay)"
        }
    }
}

/// One row of the keymap: the keys, what they do, the words the help shows, and where.
public struct KeyBinding: Sendable, Hashable {
    public let keys: [Key]
    public let action: Action
    public let help: String
    public let context: KeyContext
    /// Shown in the footer's short hint line.
    public let hint: String?

    public init(_ keys: [Key], _ action: Action, _ help: String, context: KeyContext = .global, hint: String? = nil) {
        self.keys = keys
        self.action = action
        self.help = help
        self.context = context
        self.hint = hint
    }
}
