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

/// What kind of source a `SourceStatus` describes.
public enum SourceKind: Sendable, Hashable {
    /// An agent: one node, over gRPC.
    case agent
    /// A fleet source answering for many nodes (a Prometheus server).
    case fleet
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
    /// An agent, or a fleet source such as Prometheus.
    public var kind: SourceKind
    /// What the source lacks, named for the screen (`no NVLink series`); empty when complete.
    public var notes: [String] = []

    public init(
        address: String, node: NodeID? = nil, state: SourceState = .connecting, version: String? = nil,
        lastMessageTime: Double? = nil, kind: SourceKind = .agent
    ) {
        self.kind = kind
        self.address = address
        self.node = node
        self.state = state
        self.version = version
        self.lastMessageTime = lastMessageTime
    }
}
