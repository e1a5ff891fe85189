/// How the dashboard's connection to one agent stands.
public enum SourceState: Sendable, Hashable {
    case connecting
    case live
    /// The connection failed; the next try is after a jittered backoff.
    case retrying(reason: String, inSeconds: Double)
    /// The agent refused the token: retried only slowly, so a wrong token never storms it.
    case authFailed(reason: String)
    /// The address does not resolve.
    case unresolvable(reason: String)

    /// A short word for tables: `live`, `retrying`, `auth failed`.
    public var word: String {
        switch self {
        case .connecting: "connecting"
        case .live: "live"
        case .retrying: "retrying"
        case .authFailed: "auth failed"
        case .unresolvable: "unresolvable"
        }
    }

    public var isLive: Bool { self == .live }
}

/// One agent as the dashboard sees it: where it is, which node it serves, how the connection
/// stands, its version and when it last sent anything.
public struct SourceStatus: Sendable, Hashable {
    public var address: String
    public var node: NodeID?
    public var state: SourceState
    public var version: String?
    /// Dashboard time of the last message (update or heartbeat).
    public var lastMessageTime: Double?

    public init(address: String, node: NodeID? = nil, state: SourceState = .connecting, version: String? = nil,
        lastMessageTime: Double? = nil)
    {
        self.address = address
        self.node = node
        self.state = state
        self.version = version
        self.lastMessageTime = lastMessageTime
    }
}
