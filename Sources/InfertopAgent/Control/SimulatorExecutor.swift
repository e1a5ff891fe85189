import InfertopCore

/// Carries node actions out on the simulated fleet, in simulated time: the router stops sending
/// to a drained node's replicas at once, their requests finish at the engines' pace, then they
/// stop and their memory is freed.
public struct SimulatorExecutor: NodeExecutor {
    public let control: FleetControl
    public var name: String { "simulator" }

    public init(control: FleetControl) { self.control = control }

    public func cordon(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        try control.submit(.cordon, node: node)
        return "\(node) cordoned in the simulated cluster"
    }

    public func uncordon(_ node: NodeID) async throws -> String {
        try control.submit(.uncordon, node: node)
        return "\(node) back in service in the simulated cluster"
    }

    public func drain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        // Idempotent: a node already draining or drained is left as it is (pending first: a drain
        // the fleet has carried out but not yet shown is still pending).
        if control.isPending(.drain, node: node) { return "\(node)'s drain already queued" }
        if let state = control.state(of: node), state.lifecycle == .draining || state.lifecycle == .drained {
            return "\(node) already \(state.lifecycle.rawValue.lowercased())"
        }
        try control.submit(.drain, node: node)
        return "\(node)'s replicas removed from the simulated router"
    }

    public func cancelDrain(_ node: NodeID) async throws -> String {
        try control.submit(.cancelDrain, node: node)
        return "\(node)'s replicas back in the simulated router"
    }

    public func drainProgress(_ node: NodeID) async throws -> DrainProgress {
        guard let state = control.state(of: node) else { return .inFlight(0) }
        return state.lifecycle == .drained ? .drained : .inFlight(state.inFlight)
    }
}
