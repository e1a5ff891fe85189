import InfertopCore

// MARK: - A mutating command: refused with its reason, or checked and shown in a dialog

/// A mutating action from a key (a remapped one) rather than a typed command: the same checks, with
/// the subject taken from the marks or the selection.
func controlAction(_ model: inout Model, _ action: Action) -> [Effect] {
    if let reason = model.readOnlyReason {
        return refuse(&model, "\(reason): :\(action.rawValue) is refused, nothing was sent")
    }
    switch action {
    case .cordon: return requestControl(&model, .cordon(nodes: [], reason: ""))
    case .uncordon: return requestControl(&model, .uncordon(nodes: [], reason: ""))
    case .drain: return requestControl(&model, .drain(nodes: [], reason: "", evacuate: false, force: false))
    case .rebalance:
        return refuse(
            &model, "rebalance needs a goal: type :rebalance --relieve NODE:GPU, --evacuate NODE or --move MODEL/N")
    default:
        return refuse(&model, "cancel needs an operation id: type :cancel op-3 (6 lists them)")
    }
}

/// Checks a mutating command against the shown state and opens its dialog; never an effect.
///
/// Read-only refuses first. Then the subject is resolved (named, else marked, else selected), a node
/// operation passes `DrainPolicy.evaluate` with the model's safety rules, and a plan is made for
/// `rebalance` and `drain --evacuate`. Any refusal is one sentence on the status line.
func requestControl(_ model: inout Model, _ command: ControlCommand) -> [Effect] {
    if let reason = model.readOnlyReason {
        return refuse(&model, "\(reason): :\(command.action.rawValue) is refused, nothing was sent")
    }
    guard let state = model.shown else { return refuse(&model, "no cluster state yet: nothing to act on") }
    let snapshot = LifecycleSnapshot(state)
    let now = state.reportedTime ?? state.time
    let dialog: Result<ConfirmDialog, ControlRefusal>
    switch command {
    case .cordon(let nodes, let reason):
        dialog = nodeDialog(model, .cordon, kind: .cordon, nodes, reason: reason, snapshot: snapshot, state: state)
    case .uncordon(let nodes, let reason):
        dialog = nodeDialog(model, .uncordon, kind: .uncordon, nodes, reason: reason, snapshot: snapshot, state: state)
    case .drain(let nodes, let reason, let evacuate, let force):
        dialog = nodeDialog(
            model, .drain(deadline: now + Model.drainDeadlineSeconds), kind: .drain(evacuate: evacuate, force: force),
            nodes, reason: reason, snapshot: snapshot, state: state)
    case .rebalance(let target, let reason):
        dialog = rebalanceDialog(model, target, reason: reason, snapshot: snapshot, state: state)
    case .cancel(let id, let reason):
        dialog = cancelDialog(model, id, reason: reason, snapshot: snapshot)
    }
    switch dialog {
    case .failure(let refusal):
        return refuse(&model, refusal.sentence)
    case .success(let open):
        model.dialog = open
        model.input = .normal
        if let plan = open.request.plan { model.preview = plan }
        model.status = StatusMessage("type \(open.expected) and Enter to confirm · Esc cancels")
        return []
    }
}

/// The answer to a sent control call: the journal entry joins the list, or the failure is shown.
func controlFinished(_ model: inout Model, _ id: OperationID, _ result: Result<OperationRecord, ControlFailure>) {
    switch result {
    case .success(let record):
        if let i = model.operations.firstIndex(where: { $0.id == record.id }) {
            model.operations[i] = record
        } else {
            model.operations.append(record)
        }
        let targets = record.targets.map(\.name).joined(separator: " ")
        model.status = StatusMessage("\(record.id) \(record.status): \(record.kind) \(targets) · 5 shows its steps")
    case .failure(let failure):
        model.status = StatusMessage("\(id) was not carried out: \(failure.message)", isError: true)
    }
}

@discardableResult
func refuse(_ model: inout Model, _ sentence: String) -> [Effect] {
    model.status = StatusMessage(sentence, isError: true)
    return []
}

/// Why a command opens no dialog, as the sentence the status line shows.
struct ControlRefusal: Error {
    let sentence: String

    init(_ sentence: String) { self.sentence = sentence }
}

extension Model {
    /// How long a drain from the dashboard gives in-flight requests before it stalls.
    public static let drainDeadlineSeconds = 600.0

    /// The next operation id, `op-N`; the counter moves on only when a request is sent.
    var pendingOperationID: OperationID { OperationID("op-\(nextOperation)") }

    /// `→`, or `->` where the screen is ASCII.
    var arrow: String { glyphs.arrow }
}
