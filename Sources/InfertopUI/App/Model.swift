import InfertopCore

/// The views the dashboard shows.
public enum ViewKind: String, Sendable, Hashable, CaseIterable {
    case overview, memory, interconnect, requests
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
    /// Culprits of the shown state, worst first, the headline kept steady.
    public var culprits: [Culprit] = []
    /// Sequence number of the last update folded in.
    public var lastSequence: UInt64 = 0
    /// View 4's selection, open waterfall and scroll offsets.
    public var requests = RequestsViewState()
    /// The open waterfall's trace as last seen in the store: it stays on screen after the store
    /// evicts it (refreshed while the store still has it).
    public var pinnedTrace: RequestTrace?

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

    /// The keymap context of what is on screen.
    public var context: KeyContext {
        if node != nil { return .node }
        switch view {
        case .overview: return .overview
        case .memory: return .memory
        case .interconnect: return .interconnect
        case .requests: return requests.open == nil ? .requests : .waterfall
        }
    }
}
