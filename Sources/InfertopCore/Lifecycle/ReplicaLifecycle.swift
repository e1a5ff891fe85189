/// Where one copy of a replica stands, from launch to stop.
///
/// Rebalance moves are make-before-break: the new copy walks starting -> loading -> ready ->
/// serving while the old one walks serving -> removedFromRouter -> draining -> stopped. The router
/// cannot say when a worker is idle, so `draining` waits on the engine's own count of requests.
public enum ReplicaLifecycle: String, Hashable, Sendable, CaseIterable {
    case starting
    case loading
    case ready
    case serving
    case removedFromRouter
    case draining
    case stopped

    /// `removed from the router`: the words a refusal uses.
    public var words: String {
        switch self {
        case .removedFromRouter: "removed from the router"
        default: rawValue
        }
    }
}

/// A step in a replica copy's life, as an executor asks for it.
///
/// Separate from the states so a refusal names what was asked and what would have allowed it.
public enum ReplicaAction: String, Hashable, Sendable, CaseIterable {
    case load
    case markReady
    case addToRouter
    case removeFromRouter
    case drain
    case stop

    /// `be added to the router`: the verb after "cannot".
    public var words: String {
        switch self {
        case .load: "start loading"
        case .markReady: "be marked ready"
        case .addToRouter: "be added to the router"
        case .removeFromRouter: "be removed from the router"
        case .drain: "drain"
        case .stop: "stop"
        }
    }

    /// The states the action is allowed from.
    public var allowedFrom: [ReplicaLifecycle] {
        switch self {
        case .load: [.starting]
        case .markReady: [.loading]
        case .addToRouter: [.ready, .removedFromRouter]
        case .removeFromRouter: [.serving]
        case .drain: [.removedFromRouter]
        case .stop: [.starting, .loading, .ready, .removedFromRouter, .draining]
        }
    }
}

extension ReplicaLifecycle {
    /// The state after `action` on `replica`, or why it cannot happen now.
    ///
    /// Stopping a copy with requests still in flight (`inFlight` > 0) is refused unless `force`;
    /// adding a copy that was removed from the router puts its traffic back (relieve's restore).
    public func applying(
        _ action: ReplicaAction, to replica: ReplicaID, inFlight: Int = 0, force: Bool = false
    ) -> Result<ReplicaLifecycle, LifecycleRefusal> {
        guard action.allowedFrom.contains(self) else {
            return .failure(.invalidReplicaTransition(replica: replica, action: action, state: self))
        }
        switch action {
        case .load: return .success(.loading)
        case .markReady: return .success(.ready)
        case .addToRouter: return .success(.serving)
        case .removeFromRouter: return .success(.removedFromRouter)
        case .drain: return .success(.draining)
        case .stop:
            let holdsRequests = self == .draining || self == .removedFromRouter
            if holdsRequests && inFlight > 0 && !force {
                return .failure(.requestsInFlight(replica: replica, count: inFlight))
            }
            return .success(.stopped)
        }
    }
}
