import InfertopCore

/// The views the dashboard shows.
public enum ViewKind: String, Sendable, Hashable, CaseIterable {
    case overview, memory, interconnect, requests, shards, events
}

/// How the GPU memory table is ordered.
public enum MemorySort: String, Sendable, Hashable, CaseIterable {
    case kv, used, other, name

    public var title: String {
        switch self {
        case .kv: "KV%"
        case .used: "USED"
        case .other: "OTHER"
        case .name: "NODE"
        }
    }

    public var next: MemorySort {
        let all = MemorySort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// What the keyboard is typing into.
public enum InputMode: Sendable, Hashable {
    case normal
    case filter(String)
    case command(String)
}

/// A one-line message in the footer, such as a command error.
public struct StatusMessage: Sendable, Hashable {
    public let text: String
    public let isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// Why a dashboard refuses every mutating command: the sentence the status line shows.
public enum ReadOnlyReason {
    public static let flag = "read-only: started with --readonly"
    public static let viewerToken = "read-only: the agent token is a viewer's, which may not change the cluster"
    public static let wall = "read-only: wall mode shows the cluster and never changes it"
}

/// The whole state of the dashboard, as data: what `view` draws and `update` changes.
public struct Model: Sendable {
    /// The cluster as the feeds last reported it.
    public var live: ClusterState?
    /// The cluster frozen when the operator paused.
    public var frozen: ClusterState?
    public var size: Size
    public var glyphs: Glyphs
    public var depth: ColorDepth
    public var keymap: Keymap
    public var rules: HealthRules
    /// Where the data comes from, for the header (`demo seed 7`).
    public var source: String

    public var view: ViewKind = .overview
    /// The node opened with Enter, shown over the current view until Esc.
    public var node: NodeID?
    /// The selected node of the overview and GPU of the memory table, kept by identity so
    /// the selection stays on the same thing as rows reorder.
    public var selectedNode: NodeID?
    public var selectedGPU: GPUID?
    /// The first row shown of the current list.
    public var scroll = 0
    public var memorySort: MemorySort = .kv
    public var filter = Filter()
    public var input: InputMode = .normal
    public var showHelp = false
    public var status: StatusMessage?
    /// The built-in theme on screen, for `:theme`'s list; nil when it came from a file.
    public var themeName: String? = BuiltInThemes.defaultName
    /// Culprits of the shown state, worst first, the headline kept steady.
    public var culprits: [Culprit] = []
    /// Holds the culprit line steady and knows when each culprit began.
    public var headline = CulpritHeadline()
    /// Feed time of the update after which culprits were last ranked: a batch of updates ranks
    /// them once per half second of feed time (`CulpritCadence`), so the culprit line depends on
    /// the updates and their times, never on how they were batched into frames.
    public var culpritsRankedAt: Double?
    /// Where the replay stands; nil for a live dashboard.
    public var replay: ReplayStatus?
    /// Sequence number of the last update folded in.
    public var lastSequence: UInt64 = 0
    /// View 4's selection, open waterfall and scroll offsets.
    public var requests = RequestsViewState()
    /// The open waterfall's trace as last seen in the store: it stays on screen after the store
    /// evicts it (refreshed while the store still has it).
    public var pinnedTrace: RequestTrace?

    // MARK: - Operating the cluster (views 5 and 6, the confirmation dialog)

    /// Why mutations are refused (`ReadOnlyReason.flag`), nil when the operator may change the cluster.
    public var readOnlyReason: String?
    /// Nodes marked with space: a command with no node named acts on them.
    public var markedNodes: Set<NodeID> = []
    /// Replicas marked with space in view 5: `:rebalance --move` with no replica named moves the one.
    public var markedReplicas: Set<ReplicaID> = []
    /// The selected replica of view 5.
    public var selectedReplica: ReplicaID?
    /// The agents' journal, as they last sent it.
    public var operations: [OperationRecord] = []
    /// The agents' audit log, as they last sent it.
    public var audit: [AuditRecord] = []
    /// The confirmation open over the screen; while it is, keys go to it.
    public var dialog: ConfirmDialog?
    /// The rebalance plan shown before and after in view 5, from its dialog until Esc in view 5.
    public var preview: RebalancePlan?
    /// The checks a drain passes before its dialog opens.
    public var safetyRules: SafetyRules = .standard
    /// The number of the next operation id (`op-1`): deterministic, so every key press is a test.
    public var nextOperation = 1

    public init(
        size: Size, glyphs: Glyphs = .unicode, depth: ColorDepth = .full, keymap: Keymap = .default,
        rules: HealthRules = HealthRules(), source: String = ""
    ) {
        self.size = size
        self.glyphs = glyphs
        self.depth = depth
        self.keymap = keymap
        self.rules = rules
        self.source = source
    }

    /// The state on screen: frozen while paused, live otherwise.
    public var shown: ClusterState? { frozen ?? live }
    public var isPaused: Bool { frozen != nil }
    public var isReadOnly: Bool { readOnlyReason != nil }

    /// The keymap context of what is on screen.
    public var context: KeyContext {
        if node != nil { return .node }
        switch view {
        case .overview: return .overview
        case .memory: return .memory
        case .interconnect: return .interconnect
        case .requests: return requests.open == nil ? .requests : .waterfall
        case .shards: return .shards
        case .events: return .events
        }
    }
}
