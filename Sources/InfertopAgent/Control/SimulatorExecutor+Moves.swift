import InfertopCore
import InfertopSim

/// A plan's make-before-break steps on the simulated fleet, each idempotent: it looks at the copy
/// first (a resumed step finds its launch done, its copy already in the router) and acts only
/// when the fleet has not; waits are answered from what the fleet showed after its last second.
extension SimulatorExecutor: ReplicaMover {
    public func perform(_ step: MoveStep) async throws -> OperationRunner.StepOutcome {
        switch step {
        case .shiftTraffic(let replica, let gpus):
            return try route(.removeFromRouter, FleetControl.Copy(replica, on: gpus), want: .outOfRouter)
        case .restoreTraffic(let replica, let gpus), .addToRouter(let replica, let gpus):
            return try route(.addToRouter, FleetControl.Copy(replica, on: gpus), want: .serving)
        case .removeFromRouter(let replica, let gpus):
            return try route(.removeFromRouter, FleetControl.Copy(replica, on: gpus), want: .outOfRouter)
        case .reserve(let gpus):
            return .done("\(GPURanges.words(gpus)) held for the move (the launch takes their memory)")
        case .launchAndLoad(let replica, let gpus, let source):
            let copy = FleetControl.Copy(replica, on: gpus)
            // Pending first: an action the fleet has carried out but not yet shown stays pending.
            if control.isPending(copy: copy) { return .waiting("starting \(copy)") }
            let (state, failure) = control.state(of: copy)
            if let failure { throw SimulatedControlError(description: failure) }
            if let state {
                return .done("\(copy) launched, \(Format.gib(state.totalBytes)) GiB of weights from \(source)")
            }
            control.submit(.launch(source), copy: copy)
            return .waiting("starting \(copy)")
        case .waitReady(let replica, let gpus):
            let copy = FleetControl.Copy(replica, on: gpus)
            let (state, failure) = control.state(of: copy)
            if let failure { throw SimulatedControlError(description: failure) }
            guard let state else { return .waiting("\(copy) not started yet") }
            guard state.phase == .loading else { return .done("\(copy) loaded and ready") }
            return .waiting("\(Format.gib(state.loadedBytes)) of \(Format.gib(state.totalBytes)) GiB loaded")
        case .waitInFlight(let replica, let gpus):
            let copy = FleetControl.Copy(replica, on: gpus)
            guard let state = control.state(of: copy).state else { return .waiting("\(copy) not seen yet") }
            if state.inFlight == 0 { return .done("no request left on \(copy)") }
            return .waiting("\(state.inFlight) request\(state.inFlight == 1 ? "" : "s") in flight on \(copy)")
        case .stop(let replica, let gpus):
            return try route(.stop, FleetControl.Copy(replica, on: gpus), want: .stopped)
        case .confirmFreed(let gpus):
            let stopped = control.stoppedCopies(on: gpus)
            return stopped
                ? .done("memory freed on \(GPURanges.words(gpus))") : .waiting("\(GPURanges.words(gpus)) not freed yet")
        }
    }

    /// Asks the fleet for `action` on `copy` unless it already shows `want`; done once it does.
    private func route(_ action: FleetControl.CopyAction, _ copy: FleetControl.Copy, want: ReplicaCopyPhase) throws
        -> OperationRunner.StepOutcome
    {
        if control.isPending(copy: copy) { return .waiting("\(action) \(copy)") }
        let (state, failure) = control.state(of: copy)
        if let failure { throw SimulatedControlError(description: "\(action) \(copy): \(failure)") }
        if state?.phase == want { return .done("\(copy): \(want.words)") }
        control.submit(action, copy: copy)
        return .waiting("\(action) \(copy)")
    }
}

extension ReplicaCopyPhase {
    /// How a journal line says it.
    var words: String {
        switch self {
        case .loading: "loading"
        case .outOfRouter: "out of the router"
        case .serving: "in the router"
        case .stopped: "stopped, memory freed"
        }
    }
}
