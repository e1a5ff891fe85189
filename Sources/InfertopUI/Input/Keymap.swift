/// The key bindings, as data: the dispatcher, the footer hints and the `?` help all read them,
/// so help can never drift from what the keys do.
public struct Keymap: Sendable, Hashable {
    public let bindings: [KeyBinding]
    /// The `:` commands that change the cluster: no key runs them, the help lists them.
    public let commands: [CommandHelp]

    public init(bindings: [KeyBinding], commands: [CommandHelp] = []) {
        self.bindings = bindings
        self.commands = commands
    }

    /// The action for a key in a context; context bindings win over global ones.
    public func action(for key: Key, in context: KeyContext) -> Action? {
        if let b = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) { return b.action }
        return bindings.first(where: { $0.context == .global && $0.keys.contains(key) })?.action
    }

    /// The bindings that apply in a context, context-specific first; a global binding whose keys
    /// the context takes over is left out.
    public func bindings(for context: KeyContext) -> [KeyBinding] {
        let own = bindings.filter { $0.context == context }
        let taken = Set(own.flatMap(\.keys))
        return own + bindings.filter { $0.context == .global && !$0.keys.allSatisfy(taken.contains) }
    }

    /// How a binding's keys read in help: `↑ k`.
    public static func label(_ keys: [Key]) -> String { keys.map(\.description).joined(separator: " ") }

    public static let `default` = Keymap(
        bindings: [
            KeyBinding([.char("1")], .overview, "overview: every node and GPU, worst first", hint: "overview"),
            KeyBinding([.char("2")], .memory, "GPU memory: what fills each GPU, sortable", hint: "memory"),
            KeyBinding([.char("3")], .interconnect, "interconnect: NVLink/xGMI, node fabric, ports", hint: "links"),
            KeyBinding(
                [.char("4")], .requests, "requests: latency vs its floor, slowest and failed requests", hint: "requests"
            ),
            KeyBinding(
                [.char("5")], .shards, "shards: every shard on every GPU, the plan before/after, operations live"),
            KeyBinding([.char("6")], .events, "events: the journal and the audit log, newest first"),
            KeyBinding([.char("c")], .culprit, "go to the culprit: GPU (2), link or port (3), node", hint: "culprit"),
            KeyBinding(
                [.char("w")], .culpritRequest, "open the waterfall of the slowest request the culprit hurt",
                hint: "its request"),
            KeyBinding([.up, .char("k")], .up, "move up"),
            KeyBinding([.down, .char("j")], .down, "move down"),
            KeyBinding([.left, .char("h")], .left, "move left (a column or a page)"),
            KeyBinding([.right, .char("l")], .right, "move right (a column or a page)"),
            KeyBinding([.pageUp], .pageUp, "page up"),
            KeyBinding([.pageDown], .pageDown, "page down"),
            KeyBinding([.home, .char("g")], .top, "first row"),
            KeyBinding([.end, .char("G")], .bottom, "last row"),
            KeyBinding([.enter], .drill, "open the selected node", hint: "node"),
            KeyBinding([.escape], .back, "back; clear the filter"),
            KeyBinding([.char("/")], .filter, "filter by node, GPU model or replica; !text negates", hint: "filter"),
            KeyBinding([.char(":")], .command, "command line (:q, :view memory, :sort kv, :filter x)", hint: "cmd"),
            KeyBinding([.char(" ")], .mark, "mark or unmark the selected node (the replica in 5) for a command"),
            KeyBinding([.char("p")], .pause, "pause or resume the live view", hint: "pause"),
            KeyBinding([.char("?")], .help, "this help", hint: "help"),
            KeyBinding([.char("q"), .ctrl("c")], .quit, "quit", hint: "quit"),
            KeyBinding(
                [.char("s")], .sort, "sort by KV use, used memory, other memory or name", context: .memory, hint: "sort"
            ),
            KeyBinding(
                [.enter], .drill, "open the waterfall of the selected request", context: .requests, hint: "waterfall"),
            KeyBinding(
                [.char("/")], .filter, "filter requests by trace-id prefix, model or node; !text negates",
                context: .requests, hint: "filter"),
            KeyBinding(
                [.escape, .backspace, .enter], .back, "back to the request list", context: .waterfall, hint: "back"),
            KeyBinding(
                [.char(" ")], .mark, "mark or unmark the selected replica for :rebalance --move", context: .shards,
                hint: "mark"),
            KeyBinding(
                [.escape], .back, "close the plan preview; clear the filter, then the marks", context: .shards,
                hint: "back"),
            // A replay takes over space, left and right (h and l still move): nothing can be marked
            // for a command in a replay, and scrubbing is what its arrows are for.
            KeyBinding([.char(" ")], .play, "play or pause the replay", context: .replay, hint: "play/pause"),
            KeyBinding([.left], .rewind, "10 s back (h still moves left)", context: .replay, hint: "-10s"),
            KeyBinding([.right], .forward, "10 s on (l still moves right)", context: .replay, hint: "+10s"),
            KeyBinding([.char("[")], .slower, "half the speed", context: .replay, hint: "slower"),
            KeyBinding(
                [.char("]")], .faster, "double the speed (:speed 8 sets it; :goto 02:14:30 or :goto 90 jumps)",
                context: .replay, hint: "faster")
        ], commands: CommandHelp.mutating)

    /// The replay binding of a key, which wins over every other while replaying.
    public func replayAction(for key: Key) -> Action? {
        bindings.first { $0.context == .replay && $0.keys.contains(key) }?.action
    }
}
