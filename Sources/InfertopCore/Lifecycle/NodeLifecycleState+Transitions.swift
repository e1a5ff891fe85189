/// The node transitions of ARCHITECTURE.md "Node lifecycle", as pure functions.
///
/// ```
/// ACTIVE --cordon--> CORDONED --drain--> DRAINING --in-flight done--> DRAINED
///   ^                   |  ^                |   \--deadline passed--> STALLED
///   +-----uncordon------+  +--cancel drain--+
/// ```
/// Beyond the diagram: drain from ACTIVE cordons on the way (as `kubectl drain` does), drain from
/// STALLED restarts the drain with a new deadline, uncordon from DRAINED returns the node to service,
/// cancel drain from STALLED returns it to CORDONED, and force drain ends a DRAINING or STALLED drain.
extension NodeLifecycleState {
    /// The state after `operation` on `node`, or why the node cannot take it from here.
    public func applying(_ operation: NodeOperation, to node: NodeID) -> Result<NodeLifecycleState, LifecycleRefusal> {
        switch (operation, self) {
        case (.cordon, .active): .success(.cordoned)
        case (.uncordon, .cordoned), (.uncordon, .drained): .success(.active)
        case (.drain(let deadline), .active), (.drain(let deadline), .cordoned), (.drain(let deadline), .stalled):
            .success(.draining(deadline: deadline))
        case (.cancelDrain, .draining), (.cancelDrain, .stalled): .success(.cordoned)
        case (.forceDrain, .draining), (.forceDrain, .stalled): .success(.drained)
        default: .failure(.invalidNodeTransition(node: node, operation: operation, state: self))
        }
    }

    public func cordon(_ node: NodeID) -> Result<NodeLifecycleState, LifecycleRefusal> {
        applying(.cordon, to: node)
    }

    public func uncordon(_ node: NodeID) -> Result<NodeLifecycleState, LifecycleRefusal> {
        applying(.uncordon, to: node)
    }

    public func drain(_ node: NodeID, deadline: Double) -> Result<NodeLifecycleState, LifecycleRefusal> {
        applying(.drain(deadline: deadline), to: node)
    }

    public func cancelDrain(_ node: NodeID) -> Result<NodeLifecycleState, LifecycleRefusal> {
        applying(.cancelDrain, to: node)
    }

    public func forceDrain(_ node: NodeID) -> Result<NodeLifecycleState, LifecycleRefusal> {
        applying(.forceDrain, to: node)
    }

    /// The state once time reaches `now` with `inFlight` requests left on the node's replicas.
    ///
    /// DRAINING becomes DRAINED when nothing is in flight, else STALLED once `now` is past the
    /// deadline; a STALLED drain whose last request finishes becomes DRAINED. Other states stay.
    public func tick(now: Double, inFlight: Int) -> NodeLifecycleState {
        switch self {
        case .draining(let deadline):
            if inFlight <= 0 { return .drained }
            return now > deadline ? .stalled : self
        case .stalled:
            return inFlight <= 0 ? .drained : .stalled
        case .active, .cordoned, .drained:
            return self
        }
    }
}
