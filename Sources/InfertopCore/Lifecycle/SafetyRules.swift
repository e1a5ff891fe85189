/// The operator's limits for taking capacity away: min_available per model and max_unavailable nodes.
///
/// Drains and rebalances check against these before anything happens, so the defaults are the
/// cautious ones: every model keeps at least one serving replica, and one node is out at a time.
public struct SafetyRules: Hashable, Sendable {
    /// Serving replicas each named model must keep; models not named get `defaultMinAvailable`.
    public var minAvailable: [String: Int]
    public var defaultMinAvailable: Int
    /// Nodes that may be draining, stalled or drained at once.
    public var maxUnavailable: Int

    public init(minAvailable: [String: Int] = [:], defaultMinAvailable: Int = 1, maxUnavailable: Int = 1) {
        self.minAvailable = minAvailable
        self.defaultMinAvailable = defaultMinAvailable
        self.maxUnavailable = maxUnavailable
    }

    /// min_available 1 for every model, max_unavailable 1.
    public static let standard = SafetyRules()

    public func minAvailable(for model: String) -> Int { minAvailable[model] ?? defaultMinAvailable }
}

/// One operator action on one or more nodes, with what the journal and the safety checks need.
///
/// Carries the fingerprint of the state the operator previewed, so an action decided on an old
/// screen is refused rather than carried out against a cluster that has moved on.
public struct OperationRequest: Hashable, Sendable {
    public var operation: NodeOperation
    public var nodes: [NodeID]
    /// Why, for the journal; a drain refuses an empty one.
    public var reason: String
    /// Skips the safety checks (min_available, max_unavailable, reachability), never the reason or staleness.
    public var force: Bool
    /// The state the operator previewed; nil skips the staleness check.
    public var madeFrom: StateFingerprint?

    public init(
        _ operation: NodeOperation, nodes: [NodeID], reason: String = "", force: Bool = false,
        madeFrom: StateFingerprint? = nil
    ) {
        self.operation = operation
        self.nodes = nodes
        self.reason = reason
        self.force = force
        self.madeFrom = madeFrom
    }
}
