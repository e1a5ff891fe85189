import InfertopCore

// MARK: - Keys while a confirmation dialog is open

/// Esc, or Enter on Cancel, closes the dialog and sends nothing; typing fills the confirmation and
/// moves the focus to it; Tab (or ←/→) switches focus; Enter on Confirm with the exact text sends.
func pressInDialog(_ model: inout Model, _ key: Key) -> [Effect] {
    guard var dialog = model.dialog else { return [] }
    switch key {
    case .escape:
        closeDialog(&model, "cancelled: nothing was sent")
    case .ctrl("c"):
        closeDialog(&model, "cancelled: nothing was sent")
        return [.quit]
    case .tab, .left, .right:
        dialog.focus = dialog.focus == .cancel ? .confirm : .cancel
        model.dialog = dialog
    case .backspace, .delete:
        dialog.typed = String(dialog.typed.dropLast())
        dialog.focus = .confirm
        model.dialog = dialog
    case .char(let c):
        dialog.typed.append(c)
        dialog.focus = .confirm
        model.dialog = dialog
    case .enter:
        guard dialog.focus == .confirm else {
            closeDialog(&model, "cancelled: nothing was sent")
            return []
        }
        guard dialog.isConfirmed else {
            let typed = dialog.typed.isEmpty ? "nothing" : "'\(dialog.typed)'"
            model.status = StatusMessage(
                "type \(dialog.expected) exactly to confirm (you typed \(typed)); Esc cancels", isError: true)
            return []
        }
        return confirm(&model, dialog)
    default:
        break
    }
    return []
}

/// Sends the dialog's request, unless the cluster has changed since the impact was computed.
private func confirm(_ model: inout Model, _ dialog: ConfirmDialog) -> [Effect] {
    var request = dialog.request
    if let state = model.live ?? model.shown {
        // A rebalance carries the fingerprint of the whole state its plan was made from; a node action,
        // that of its nodes and their replicas (what the coordinator compares too), and a drain
        // --evacuate also its plan's, checked against the whole state.
        let snapshot = LifecycleSnapshot(state)
        var current = snapshot.fingerprint(scope: request.targets)
        if case .applyPlan = request.kind { current = snapshot.fingerprint }
        var stale: LifecycleRefusal?
        if current != request.madeFrom { stale = .stalePlan(madeFrom: request.madeFrom, current: current) }
        if stale == nil, let plan = request.plan,
            case .failure(let refusal) = plan.validate(against: snapshot.fingerprint)
        {
            stale = refusal
        }
        if let stale {
            closeDialog(&model, "")
            return refuse(&model, stale.description)
        }
    }
    request.id = model.pendingOperationID
    model.nextOperation += 1
    model.dialog = nil
    if request.targets == model.markedNodes.sorted() { model.markedNodes = [] }
    let view = request.plan != nil ? "5 shows the plan and its steps" : "5 and 6 show its progress"
    model.status = StatusMessage("sent \(request.id): \(request.call) · \(view)")
    return [.control(request)]
}

private func closeDialog(_ model: inout Model, _ status: String) {
    if let plan = model.dialog?.request.plan, model.preview == plan { model.preview = nil }
    model.dialog = nil
    model.status = status.isEmpty ? nil : StatusMessage(status)
}
