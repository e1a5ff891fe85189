/// Everything a key or a `:` command can ask for. The raw value is the command's name.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case overview, memory, interconnect, requests, shards, events
    case up, down, left, right
    case pageUp = "page-up"
    case pageDown = "page-down"
    case top, bottom
    case drill, back
    case culprit
    case culpritRequest = "culprit-request"
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

    /// The help screen's heading, naming the key that opens the context as `keymap` binds it.
    public func title(_ keymap: Keymap) -> String {
        func key(_ action: Action) -> String { keymap.keyLabel(for: action) }
        return switch self {
        case .global: "Everywhere"
        case .overview: "Overview (\(key(.overview)))"
        case .memory: "GPU memory (\(key(.memory)))"
        case .interconnect: "Interconnect (\(key(.interconnect)))"
        case .requests: "Requests (\(key(.requests)))"
        case .waterfall: "Request waterfall (\(key(.drill)) on a request)"
        case .node: "Node detail (\(key(.drill)))"
        case .shards: "Shards (\(key(.shards)))"
        case .events: "Events and audit (\(key(.events)))"
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
