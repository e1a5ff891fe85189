import InfertopTestSupport
import Testing

@testable import InfertopCore

@Suite struct NodeLifecycleTests {
    let node = NodeID("node-03")

    /// One sentence: ends with a full stop and has no sentence break inside.
    func isOneSentence(_ text: String) -> Bool {
        text.hasSuffix(".") && !text.dropLast().contains(". ") && !text.contains("\n")
    }

    func refusal<T>(_ result: Result<T, LifecycleRefusal>) -> LifecycleRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    // MARK: node transitions

    @Test func everyAllowedNodeTransition_leadsWhereTheDiagramSays() throws {
        let cases: [(NodeLifecycleState, NodeOperation, NodeLifecycleState)] = [
            (.active, .cordon, .cordoned),
            (.cordoned, .uncordon, .active),
            (.drained, .uncordon, .active),
            (.active, .drain(deadline: 300), .draining(deadline: 300)),
            (.cordoned, .drain(deadline: 300), .draining(deadline: 300)),
            (.stalled, .drain(deadline: 900), .draining(deadline: 900)),
            (.draining(deadline: 300), .cancelDrain, .cordoned),
            (.stalled, .cancelDrain, .cordoned),
            (.draining(deadline: 300), .forceDrain, .drained),
            (.stalled, .forceDrain, .drained)
        ]
        for (from, operation, to) in cases {
            #expect(try from.applying(operation, to: node).get() == to, "\(from) --\(operation)--> \(to)")
        }
        #expect(try NodeLifecycleState.active.cordon(node).get() == .cordoned)
        #expect(try NodeLifecycleState.cordoned.uncordon(node).get() == .active)
        #expect(try NodeLifecycleState.cordoned.drain(node, deadline: 60).get() == .draining(deadline: 60))
        #expect(try NodeLifecycleState.draining(deadline: 60).cancelDrain(node).get() == .cordoned)
        #expect(try NodeLifecycleState.stalled.forceDrain(node).get() == .drained)
    }

    @Test func everyOtherNodeTransition_isRefusedNamingTheState() {
        let states: [NodeLifecycleState] = [.active, .cordoned, .draining(deadline: 300), .drained, .stalled]
        let operations: [NodeOperation] = [.cordon, .uncordon, .drain(deadline: 600), .cancelDrain, .forceDrain]
        var refused = 0
        for state in states {
            for operation in operations {
                guard let why = refusal(state.applying(operation, to: node)) else { continue }
                refused += 1
                #expect(why == .invalidNodeTransition(node: node, operation: operation, state: state))
                #expect(why.description.hasPrefix("node-03 is \(state.phase.rawValue)"), "\(why)")
                #expect(isOneSentence(why.description), "\(why)")
            }
        }
        #expect(refused == 25 - 10)
    }

    @Test func invalidTransitionSentences_sayWhatToDoInstead() {
        #expect(
            NodeLifecycleState.active.uncordon(node).failureText
                == "node-03 is ACTIVE, not cordoned: there is nothing to uncordon.")
        #expect(NodeLifecycleState.draining(deadline: 300).uncordon(node).failureText.contains("cancel the drain"))
        #expect(NodeLifecycleState.cordoned.cordon(node).failureText.contains("already"))
        #expect(NodeLifecycleState.draining(deadline: 300).drain(node, deadline: 900).failureText.contains("00:05:00"))
        #expect(NodeLifecycleState.drained.cancelDrain(node).failureText.contains("uncordon it instead"))
        #expect(NodeLifecycleState.active.forceDrain(node).failureText.contains("no drain to force"))
    }

    @Test func tick_finishesOrStallsADrain() {
        let draining = NodeLifecycleState.draining(deadline: 100)
        #expect(draining.tick(now: 50, inFlight: 3) == draining)
        #expect(draining.tick(now: 50, inFlight: 0) == .drained)
        #expect(draining.tick(now: 100, inFlight: 3) == draining)
        #expect(draining.tick(now: 100.5, inFlight: 3) == .stalled)
        #expect(draining.tick(now: 200, inFlight: 0) == .drained)
        #expect(NodeLifecycleState.stalled.tick(now: 300, inFlight: 1) == .stalled)
        #expect(NodeLifecycleState.stalled.tick(now: 300, inFlight: 0) == .drained)
        for still in [NodeLifecycleState.active, .cordoned, .drained] {
            #expect(still.tick(now: 1e9, inFlight: 0) == still)
        }
    }

    @Test func phase_roundTripsThroughNodeStatusLifecycle() {
        for phase in NodeLifecycle.allCases {
            #expect(NodeLifecycleState(phase: phase, deadline: 42).phase == phase)
        }
        #expect(NodeLifecycleState(phase: .draining, deadline: 42) == .draining(deadline: 42))
        #expect(NodeLifecycleState.active.acceptsPlacements)
        #expect(!NodeLifecycleState.cordoned.acceptsPlacements)
        #expect(NodeLifecycleState.stalled.isUnavailable && !NodeLifecycleState.cordoned.isUnavailable)
    }

    // MARK: replica transitions

    @Test func replicaCopy_walksFromStartToStop() throws {
        let id = ReplicaID(model: "llama-70b", index: 1)
        var state = ReplicaLifecycle.starting
        for (action, next) in [
            (ReplicaAction.load, ReplicaLifecycle.loading), (.markReady, .ready), (.addToRouter, .serving),
            (.removeFromRouter, .removedFromRouter), (.drain, .draining), (.stop, .stopped)
        ] {
            state = try state.applying(action, to: id).get()
            #expect(state == next)
        }
        #expect(try ReplicaLifecycle.removedFromRouter.applying(.addToRouter, to: id).get() == .serving)
        #expect(try ReplicaLifecycle.loading.applying(.stop, to: id).get() == .stopped)
    }

    @Test func replicaRefusals_nameTheStateAndTheWayOut() throws {
        let id = ReplicaID(model: "llama-70b", index: 1)
        let early = refusal(ReplicaLifecycle.serving.applying(.load, to: id))
        #expect(early == .invalidReplicaTransition(replica: id, action: .load, state: .serving))
        #expect(
            early?.description == "Replica llama-70b/1 is serving, so it cannot start loading: only a replica "
                + "that is starting can.")
        let stopServing = refusal(ReplicaLifecycle.serving.applying(.stop, to: id))?.description ?? ""
        #expect(stopServing.contains("removed from the router") && isOneSentence(stopServing))
        let busy = refusal(ReplicaLifecycle.draining.applying(.stop, to: id, inFlight: 3))
        #expect(busy == .requestsInFlight(replica: id, count: 3))
        #expect(busy?.description.contains("3 requests in flight") == true)
        #expect(busy?.description.contains("--force") == true)
        #expect(try ReplicaLifecycle.draining.applying(.stop, to: id, inFlight: 3, force: true).get() == .stopped)
        #expect(refusal(ReplicaLifecycle.stopped.applying(.stop, to: id)) != nil)
    }

    // MARK: drain policy

    /// Four single-node llama-405b replicas (node-01...node-04), all serving.
    func snapshot(states: [NodeID: NodeLifecycleState] = [:], serving: Set<Int>? = nil) -> LifecycleSnapshot {
        let state = CoreFixtures.state(nodes: 4, gpus: 8)
        let ids = serving.map { Set($0.map { ReplicaID(model: "llama-405b", index: $0) }) }
        return LifecycleSnapshot(topology: state.topology, replicas: state.replicas, states: states, serving: ids)
    }

    func drain(_ nodes: [NodeID], reason: String = "swap a DIMM", force: Bool = false) -> OperationRequest {
        OperationRequest(.drain(deadline: 600), nodes: nodes, reason: reason, force: force)
    }

    @Test func safeDrain_givesTheNewStates() throws {
        let next = try DrainPolicy.evaluate(drain([node]), in: snapshot()).get()
        #expect(next == [node: .draining(deadline: 600)])
        let cordon = try DrainPolicy.evaluate(OperationRequest(.cordon, nodes: [node]), in: snapshot()).get()
        #expect(cordon == [node: .cordoned])
    }

    @Test func drainWithoutReason_isRefused_evenWithForce() {
        for reason in ["", "   "] {
            let why = refusal(DrainPolicy.evaluate(drain([node], reason: reason, force: true), in: snapshot()))
            #expect(why == .missingReason)
            #expect(why?.description == "A drain needs a reason: add --reason \"...\" so the journal says why.")
        }
    }

    @Test func drainBelowMinAvailable_namesModelRemainingAndMinimum() {
        let rules = SafetyRules(minAvailable: ["llama-405b": 2])
        let few = snapshot(serving: [0, 2])
        let why = refusal(DrainPolicy.evaluate(drain([NodeID("node-01")]), in: few, rules: rules))
        #expect(why == .belowMinAvailable(model: "llama-405b", remaining: 1, minAvailable: 2, nodes: ["node-01"]))
        let text = why?.description ?? ""
        #expect(text.contains("node-01") && text.contains("llama-405b") && text.contains("1 serving replica,"))
        #expect(text.contains("min_available of 2") && text.contains("--force") && isOneSentence(text))
        // A node whose replica is down takes nothing away.
        #expect(refusal(DrainPolicy.evaluate(drain([NodeID("node-02")]), in: few, rules: rules)) == nil)
        // Forced, it goes through.
        #expect(refusal(DrainPolicy.evaluate(drain([NodeID("node-01")], force: true), in: few, rules: rules)) == nil)
    }

    @Test func drainBelowMinAvailable_countsNodesAlreadyOut() {
        let rules = SafetyRules(minAvailable: ["llama-405b": 3], maxUnavailable: 2)
        let oneOut = snapshot(states: [NodeID("node-04"): .drained])
        let why = refusal(DrainPolicy.evaluate(drain([NodeID("node-01")]), in: oneOut, rules: rules))
        #expect(why == .belowMinAvailable(model: "llama-405b", remaining: 2, minAvailable: 3, nodes: ["node-01"]))
        #expect(why?.description.contains("2 serving replicas") == true)
    }

    @Test func drainPastMaxUnavailable_namesTheNodesAlreadyOut() {
        let busy = snapshot(states: [NodeID("node-01"): .draining(deadline: 100)])
        let why = refusal(DrainPolicy.evaluate(drain([node]), in: busy))
        #expect(why == .tooManyUnavailable(requested: [node], alreadyUnavailable: ["node-01"], maxUnavailable: 1))
        let text = why?.description ?? ""
        #expect(text.contains("2 nodes out of service") && text.contains("node-01 is already out of service"))
        #expect(text.contains("max_unavailable of 1") && isOneSentence(text))
        let two = refusal(DrainPolicy.evaluate(drain(["node-01", "node-02"]), in: snapshot()))
        #expect(two?.description.hasPrefix("Draining node-01 and node-02 would take 2 nodes") == true)
        #expect(refusal(DrainPolicy.evaluate(drain([node], force: true), in: busy)) == nil)
        // A cordoned node still serves: it does not count.
        #expect(refusal(DrainPolicy.evaluate(drain([node]), in: snapshot(states: ["node-01": .cordoned]))) == nil)
    }

    @Test func redrainingAStalledNode_doesNotCountItTwice() throws {
        let stalled = snapshot(states: [node: .stalled])
        #expect(try DrainPolicy.evaluate(drain([node]), in: stalled).get() == [node: .draining(deadline: 600)])
    }

    @Test func unreachableNode_needsForce() {
        var lost = snapshot()
        lost.unreachable = [node]
        let why = refusal(DrainPolicy.evaluate(drain([node]), in: lost))
        #expect(why == .unreachable(node))
        let text = why?.description ?? ""
        #expect(text.contains("node-03 is unreachable") && text.contains("--force") && isOneSentence(text))
        #expect(refusal(DrainPolicy.evaluate(drain([node], force: true), in: lost)) == nil)
    }

    @Test func previewFromAnOlderState_isRefused_evenWithForce() {
        // The drain's scope is its node and the replicas on it: a change there makes the preview stale.
        let before = snapshot().fingerprint(scope: [node])
        let after = snapshot(states: [node: .cordoned])
        var request = drain([node], force: true)
        request.madeFrom = before
        let why = refusal(DrainPolicy.evaluate(request, in: after))
        let current = after.fingerprint(scope: [node])
        #expect(why == .stalePlan(madeFrom: before, current: current))
        let text = why?.description ?? ""
        #expect(text.contains(before.description) && text.contains(current.description))
        #expect(text.contains("preview it again") && isOneSentence(text))
        request.madeFrom = current
        #expect(refusal(DrainPolicy.evaluate(request, in: after)) == nil)
        // A change elsewhere in the cluster does not make this node's preview stale.
        request.madeFrom = before
        let elsewhere = snapshot(states: [NodeID(node.name == "node-01" ? "node-02" : "node-01"): .cordoned])
        #expect(refusal(DrainPolicy.evaluate(request, in: elsewhere)) == nil)
    }

    @Test func invalidTransitionInARequest_andUnknownNodes_areRefused() {
        let uncordon = OperationRequest(.uncordon, nodes: [node])
        let why = refusal(DrainPolicy.evaluate(uncordon, in: snapshot()))
        #expect(why?.description == "node-03 is ACTIVE, not cordoned: there is nothing to uncordon.")
        let ghost = refusal(DrainPolicy.evaluate(drain(["node-99"]), in: snapshot()))
        #expect(ghost == .unknownNode("node-99"))
        #expect(ghost.map { isOneSentence($0.description) && $0.description.contains("node-99") } == true)
        let none = refusal(DrainPolicy.evaluate(drain([]), in: snapshot()))
        #expect(none == .noNodes && none.map { isOneSentence($0.description) } == true)
    }

    @Test func snapshotFromClusterState_readsLifecycleReachabilityAndServing() {
        var state = CoreFixtures.state(nodes: 4, gpus: 8)
        state.nodeStatus[1].lifecycle = .draining
        state.nodeStatus[2].reachability = .lost
        state.replicaSamples[ReplicaID(model: "llama-405b", index: 3)] = {
            var sample = CoreFixtures.replicaSample(ReplicaID(model: "llama-405b", index: 3), time: 1)
            sample.status = .down
            return sample
        }()
        let snap = LifecycleSnapshot(state, deadlines: ["node-02": 120])
        #expect(snap.state(of: "node-02") == .draining(deadline: 120))
        #expect(snap.unreachable == ["node-03"])
        #expect(snap.serving == [ReplicaID(model: "llama-405b", index: 0), ReplicaID(model: "llama-405b", index: 1)])
    }

    // MARK: fingerprint

    @Test func fingerprint_isFNV1aAndIgnoresOrder() {
        var fnv = FNV1a64()
        fnv.add(byte: UInt8(ascii: "a"))
        #expect(fnv.value == 0xaf63_dc4c_8601_ec8c)
        let base = snapshot()
        let reversed = StateFingerprint(replicas: base.replicas.reversed(), states: [:])
        #expect(reversed == base.fingerprint)
        #expect(StateFingerprint(replicas: base.replicas, states: [node: .active]) == base.fingerprint)
        #expect(snapshot(states: [node: .cordoned]).fingerprint != base.fingerprint)
        #expect(
            snapshot(states: [node: .draining(deadline: 1)]).fingerprint
                != snapshot(states: [node: .draining(deadline: 2)]).fingerprint)
        #expect(base.fingerprint.description.count == 16)
        #expect(StateFingerprint(replicas: [], states: [:]).value == Self.emptyFingerprint)
    }

    /// FNV-1a 64 of "placement\0lifecycle\0": the same in every process.
    static let emptyFingerprint: UInt64 = {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array("placement".utf8) + [0] + Array("lifecycle".utf8) + [0] {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }()
}

extension Result where Failure == LifecycleRefusal {
    /// The refusal's sentence, or "" on success.
    fileprivate var failureText: String {
        if case .failure(let refusal) = self { return refusal.description }
        return ""
    }
}
