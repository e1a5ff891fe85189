/// A `:` command that the help lists beside the keys: how it is typed, its action and what it does.
///
/// Commands that change the cluster have no single key (a stray key press must never drain a
/// node), so the help is where an operator learns them; read-only mode leaves them out.
public struct CommandHelp: Sendable, Hashable {
    public let syntax: String
    public let action: Action
    public let help: String

    public init(_ syntax: String, _ action: Action, _ help: String) {
        self.syntax = syntax
        self.action = action
        self.help = help
    }

    /// The commands that change the cluster, in the order the help shows them.
    ///
    /// With no node named a command acts on the marked nodes, else on the selected one. Each opens
    /// a dialog with the impact, focus on Cancel; typing the node's name (`3 nodes` for several,
    /// `rebalance` for a plan, the id for a cancel) and Enter confirms.
    public static let mutating: [CommandHelp] = [
        CommandHelp(":cordon [NODE..]", .cordon, "no new placements; replicas keep serving"),
        CommandHelp(":uncordon [NODE..]", .uncordon, "take placements again"),
        CommandHelp(
            ":drain [NODE..] --reason \"..\" [--evacuate] [--force]", .drain,
            "out of the router, requests finish, stop"),
        CommandHelp(
            ":rebalance --relieve NODE:GPU|--evacuate NODE|--move MODEL/N", .rebalance,
            "plan, preview in 5, apply"),
        CommandHelp(":cancel OP", .cancel, "stop an operation where it stands")
    ]

    /// How to confirm, as the help's last command line says it.
    public static let confirmHelp =
        "to confirm, type the node (\"3 nodes\" for several), \"rebalance\" or the op id, and Enter"
}
