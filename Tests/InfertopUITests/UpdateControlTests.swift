import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// The mutating commands from key to effect: refusals say why and send nothing, a dialog opens with
/// the focus on Cancel, and only the exact typed confirmation returns one `.control` effect.
@Suite struct UpdateControlTests {
    func model(_ size: Size = Size(columns: 120, rows: 40)) -> Model { Fixtures.model(size: size) }

    /// Types `:text` and Enter; returns every effect along the way.
    @discardableResult
    func command(_ model: inout Model, _ text: String) -> [Effect] {
        var effects = update(&model, .key(.char(":")))
        for c in text { effects += update(&model, .key(.char(c))) }
        return effects + update(&model, .key(.enter))
    }

    /// Someone else cordons `node` while a dialog is open: a new snapshot arrives.
    func cordonMeanwhile(_ node: NodeID, in model: inout Model) throws {
        var state = try #require(model.live)
        state.nodeStatus[try #require(state.topology.nodeIndex(of: node))].lifecycle = .cordoned
        _ = update(&model, .cluster(.snapshot(state, sequence: 9)))
    }

    @discardableResult
    func type(_ model: inout Model, _ text: String) -> [Effect] {
        text.flatMap { update(&model, .key(.char($0))) }
    }

    static let mutating = [
        "cordon node-03", "uncordon node-03", "drain node-03 --reason \"kv full\"",
        "drain node-03 --evacuate --reason x",
        "rebalance --relieve node-10:6", "rebalance --evacuate node-12", "rebalance --move llama-70b/2", "cancel op-1"
    ]

    @Test(arguments: mutating)
    func readOnly_refusesEveryMutatingCommand_withItsReason(_ text: String) {
        var m = Fixtures.controlModel(size: Size(columns: 120, rows: 40))
        m.readOnlyReason = ReadOnlyReason.flag
        let effects = command(&m, text)
        #expect(effects.isEmpty)
        #expect(m.dialog == nil)
        #expect(m.status?.isError == true)
        #expect(m.status?.text.hasPrefix("read-only: started with --readonly") == true, "\(m.status?.text ?? "")")
    }

    @Test func readOnly_refusesARemappedKeyToo() {
        var m = model()
        m.keymap = Keymap(bindings: Keymap.default.bindings + [KeyBinding([.char("D")], .cordon, "cordon")])
        m.readOnlyReason = ReadOnlyReason.viewerToken
        m.selectedNode = "node-03"
        #expect(update(&m, .key(.char("D"))).isEmpty)
        #expect(m.dialog == nil)
        #expect(m.status?.text.contains("viewer") == true)
    }

    @Test func readOnly_hidesTheCommandsFromHelpAndShowsInTheFooter() {
        var m = model()
        m.readOnlyReason = ReadOnlyReason.wall
        #expect(view(m).rows.last?.contains("READ-ONLY") == true)
        m.showHelp = true
        let text = view(m).rows.joined(separator: "\n")
        #expect(!text.contains(":drain"))
        #expect(text.contains("wall mode"))
    }

    @Test func drain_withoutReason_isRefusedBeforeAnyEffect() {
        var m = model()
        #expect(command(&m, "drain node-03").isEmpty)
        #expect(m.dialog == nil)
        #expect(m.status?.text == "drain needs --reason \"...\": the journal keeps why")
    }

    @Test func drain_refusedBelowMinAvailable_namesTheModel() {
        var m = model()
        // node-16 holds all eight llama-8b replicas.
        #expect(command(&m, "drain node-16 --reason \"free the GPUs\"").isEmpty)
        #expect(m.dialog == nil)
        #expect(m.status?.isError == true)
        #expect(m.status?.text.contains("llama-8b") == true)
        #expect(m.status?.text.contains("min_available") == true)
    }

    @Test func drain_refusedByStricterSafetyRules() {
        var m = model()
        m.safetyRules = SafetyRules(minAvailable: ["llama-405b": 8])
        command(&m, "drain node-03 --reason x")
        #expect(m.dialog == nil)
        #expect(m.status?.text.contains("llama-405b with 7 serving replicas") == true, "\(m.status?.text ?? "")")
    }

    @Test func dialog_opensWithFocusOnCancel_andTheImpact() throws {
        var m = model()
        #expect(command(&m, "drain node-03 --reason \"kv full\"").isEmpty)
        let dialog = try #require(m.dialog)
        #expect(dialog.focus == .cancel)
        #expect(dialog.title == "DRAIN node-03")
        #expect(dialog.expected == "node-03")
        let text = view(m).rows.joined(separator: "\n")
        #expect(text.contains("llama-405b/1 TP8xPP2 on node-03,node-04: stops; llama-405b keeps 7 of 8 serving"))
        #expect(text.contains("type node-03 and Enter to confirm"))
    }

    @Test func confirm_needsTheExactTypedName() {
        var m = model()
        command(&m, "drain node-03 --reason \"kv full\"")
        #expect(type(&m, "node-3").isEmpty)
        #expect(update(&m, .key(.enter)).isEmpty)
        #expect(m.dialog != nil, "a wrong name keeps the dialog open")
        #expect(m.status?.text.contains("type node-03 exactly") == true)
        _ = update(&m, .key(.backspace))
        type(&m, "03")
        #expect(m.dialog?.typed == "node-03")
        #expect(update(&m, .key(.enter)).count == 1)
    }

    @Test func escape_orEnterOnCancel_closeWithNoEffect() {
        var m = model()
        command(&m, "cordon node-03")
        #expect(update(&m, .key(.escape)).isEmpty)
        #expect(m.dialog == nil)
        command(&m, "cordon node-03")
        type(&m, "node-03")
        _ = update(&m, .key(.tab))
        #expect(m.dialog?.focus == .cancel)
        #expect(update(&m, .key(.enter)).isEmpty, "Enter on Cancel sends nothing, even with the name typed")
        #expect(m.dialog == nil)
        #expect(m.nextOperation == 1)
    }

    @Test func confirmedDrain_returnsExactlyOneControlEffect() throws {
        var m = model()
        command(&m, "drain node-03 --reason \"kv full\"")
        let fingerprint = LifecycleSnapshot(try #require(m.shown)).fingerprint(scope: ["node-03"])
        type(&m, "node-03")
        let effects = update(&m, .key(.enter))
        let expected = ControlRequest(
            id: OperationID("op-1"), kind: .drain(evacuate: false, force: false), targets: ["node-03"],
            reason: "kv full", madeFrom: fingerprint)
        #expect(effects == [.control(expected)])
        #expect(m.dialog == nil)
        #expect(m.nextOperation == 2)
        #expect(m.status?.text.hasPrefix("sent op-1: drain node-03") == true)
    }

    /// The confirmation checks what the preview showed: node-03 cordoned by someone else
    /// meanwhile refuses it; a change to another node does not.
    @Test(arguments: [("node-03", false), ("node-01", true)])
    func confirm_refusesOnlyWhenWhatThePreviewShowedChanged(cordonedMeanwhile node: String, sends: Bool) throws {
        var m = model()
        command(&m, "drain node-03 --reason x")
        try cordonMeanwhile(NodeID(node), in: &m)
        type(&m, "node-03")
        #expect(update(&m, .key(.enter)).count == (sends ? 1 : 0), "\(m.status?.text ?? "")")
        if !sends {
            #expect(m.dialog == nil)
            #expect(m.status?.text.contains("the cluster has changed since") == true)
        }
    }

    @Test func confirmedEvacuatingDrain_carriesItsPlan() {
        var m = Fixtures.spareNodeModel(size: Size(columns: 120, rows: 40))
        command(&m, "drain node-11 --evacuate --reason \"kv full\"")
        type(&m, "node-11")
        guard case .control(let request) = update(&m, .key(.enter)).first else {
            Issue.record("no control effect: \(m.status?.text ?? "")")
            return
        }
        #expect(request.kind == .drain(evacuate: true, force: false))
        #expect(request.plan?.goal == .evacuate("node-11"))
        #expect(request.plan?.moves.count == 2)
    }

    @Test func marks_areTheTargetsWhenNoNodeIsNamed() {
        var m = model()
        m.selectedNode = "node-03"
        _ = update(&m, .key(.char(" ")))
        m.selectedNode = "node-05"
        _ = update(&m, .key(.char(" ")))
        #expect(m.markedNodes == ["node-03", "node-05"])
        #expect(view(m).rows.last?.contains("2 marked") == true)
        command(&m, "cordon")
        #expect(m.dialog?.expected == "2 nodes")
        type(&m, "2 nodes")
        guard case .control(let request) = update(&m, .key(.enter)).first else {
            Issue.record("no control effect")
            return
        }
        #expect(request.targets == ["node-03", "node-05"])
        #expect(m.markedNodes.isEmpty, "the marks were used")
    }

    @Test func rebalance_previewsThePlanInViewFive_andEscClosesIt() {
        var m = Fixtures.spareNodeModel(size: Size(columns: 120, rows: 40))
        command(&m, "rebalance --relieve node-10:6")
        #expect(m.dialog?.expected == "rebalance")
        #expect(m.preview?.goal == .relieve(GPUID(node: "node-10", index: 6)))
        _ = update(&m, .key(.escape))
        #expect(m.preview == nil, "a cancelled dialog takes its preview with it")
        command(&m, "rebalance --relieve node-10:6")
        type(&m, "rebalance")
        guard case .control(let request) = update(&m, .key(.enter)).first else {
            Issue.record("no control effect")
            return
        }
        #expect(request.plan == m.preview)
        #expect(request.kind == .applyPlan(goal: "relieve node-10 gpu6"))
    }

    @Test func cancel_needsAnOperationStillRunning() {
        var m = Fixtures.controlModel(size: Size(columns: 120, rows: 40))
        command(&m, "cancel op-9")
        #expect(m.status?.text == "op-9 is not in the journal: 6 lists the operations")
        command(&m, "cancel op-2")
        #expect(m.status?.text.contains("already finished") == true)
        command(&m, "cancel op-1")
        #expect(m.dialog?.expected == "op-1")
        #expect(view(m).rows.joined().contains("node-07 DRAINING → CORDONED"))
    }

    @Test func controlFinished_failureShowsItsMessage() {
        var m = model()
        _ = update(&m, .controlFinished(OperationID("op-1"), .failure(ControlFailure("agent node-03 is unreachable"))))
        #expect(m.status?.isError == true)
        #expect(m.status?.text == "op-1 was not carried out: agent node-03 is unreachable")
    }

    @Test func controlFinished_successJoinsTheJournal() {
        var m = model()
        let record = OperationRecord(
            id: OperationID("op-1"), kind: .cordon, targets: ["node-03"], requestedBy: "alice", reason: "",
            createdAt: 70, status: .succeeded)
        _ = update(&m, .controlFinished(record.id, .success(record)))
        #expect(m.operations == [record])
        #expect(m.status?.text.hasPrefix("op-1 done: cordon node-03") == true)
    }
}
