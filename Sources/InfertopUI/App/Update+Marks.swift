import InfertopCore

// MARK: - Space marks what a command acts on; view 5 moves through replicas

/// Marks or unmarks the selected replica in view 5, else the node the screen points at.
func toggleMark(_ model: inout Model) {
    if model.view == .shards, model.node == nil {
        guard let replica = model.selectedReplica ?? Rows.replicas(model).first?.id else {
            model.status = StatusMessage("no replica to mark", isError: true)
            return
        }
        model.selectedReplica = replica
        let marked = model.markedReplicas.remove(replica) == nil
        if marked { model.markedReplicas.insert(replica) }
        let count = model.markedReplicas.count
        let verb = marked ? "marked" : "unmarked"
        model.status = StatusMessage("\(verb) \(replica) · \(count) marked: :rebalance --move acts on one; Esc clears")
        return
    }
    let showsNodes = model.node != nil || [.overview, .memory, .interconnect].contains(model.view)
    guard showsNodes else {
        model.status = StatusMessage(
            "\(model.keymap.keyLabel(for: .mark)) marks nodes in 1, 2 and 3, replicas in 5", isError: true)
        return
    }
    if model.node == nil, model.view == .overview || model.view == .interconnect, model.selectedNode == nil,
        let first = Rows.nodes(model).first, let state = model.shown
    {
        model.selectedNode = state.topology.nodes[first].id
    }
    guard let node = selectedNode(model) else {
        model.status = StatusMessage(
            "select a node first (arrows), then \(model.keymap.keyLabel(for: .mark)) marks it", isError: true)
        return
    }
    let marked = model.markedNodes.remove(node) == nil
    if marked { model.markedNodes.insert(node) }
    let count = model.markedNodes.count
    model.status = StatusMessage(
        "\(marked ? "marked" : "unmarked") \(node) · \(count) marked: :cordon, :drain act on them; Esc clears")
}

/// Moves view 5's selection through the replicas, keeping it on screen.
func moveReplica(_ model: inout Model, by delta: Int) {
    let rows = Rows.replicas(model)
    guard !rows.isEmpty else { return }
    let current = model.selectedReplica.flatMap { id in rows.firstIndex { $0.id == id } }
    let index = min(max((current ?? -1) + (current == nil && delta > 0 ? 0 : delta), 0), rows.count - 1)
    model.selectedReplica = rows[index].id
}
