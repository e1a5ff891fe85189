import InfertopCore

/// Folds a message into the model and says what the runner must do.
///
/// Synchronous and pure: no clock, no I/O, so every key press is a unit test. A read-only model
/// lets no mutating effect out, whatever path asked for one (bubbletea's `WithFilter`).
public func update(_ model: inout Model, _ msg: Msg) -> [Effect] {
    let effects = fold(&model, msg)
    return model.isReadOnly ? effects.filter { !$0.isMutating } : effects
}

private func fold(_ model: inout Model, _ msg: Msg) -> [Effect] {
    switch msg {
    case .resized(let size):
        model.size = size
        clampScroll(&model)
        return []
    case .cluster(let update):
        receive(&model, update)
        if !model.isPaused { recomputeCulprits(&model) }
        return []
    case .clusterBatch(let updates):
        for u in updates {
            receive(&model, u)
            if !model.isPaused && CulpritCadence.isDue(after: u, lastRanked: model.culpritsRankedAt) {
                recomputeCulprits(&model)
                model.culpritsRankedAt = u.time
            }
        }
        return []
    case .key(let key):
        return press(&model, key)
    case .operationsUpdated(let records):
        model.operations = records
        return []
    case .auditUpdated(let records):
        model.audit = records
        return []
    case .controlFinished(let id, let result):
        controlFinished(&model, id, result)
        return []
    case .clusterState(let state, let sequence, let rank):
        model.live = state
        model.lastSequence = sequence
        refreshPinnedTrace(&model)
        if rank && !model.isPaused {
            recomputeCulprits(&model)
            model.culpritsRankedAt = state.time
        }
        return []
    case .replayMoved(let status):
        model.replay = status
        return []
    }
}

/// Folds a feed update into the live state; the screen keeps the frozen state while paused.
func receive(_ model: inout Model, _ update: ClusterUpdate) {
    switch update {
    case .snapshot(let state, _):
        model.live = state
    case .delta, .reshaped:
        // A delta before any snapshot has nothing to apply to; the feed sends a snapshot first.
        guard var state = model.live else { return }
        model.live = nil  // keep the arrays uniquely referenced so the update mutates them in place
        state.apply(update)
        model.live = state
    }
    model.lastSequence = update.sequence
    refreshPinnedTrace(&model)
}

/// Keeps the open waterfall's trace: the store's newest copy while it has one.
func refreshPinnedTrace(_ model: inout Model) {
    guard let open = model.requests.open else {
        model.pinnedTrace = nil
        return
    }
    if let current = model.live?.requests[open] { model.pinnedTrace = current }
}

/// Ranks culprits of the shown state, keeping the previous headline while it is still close and
/// until a challenger has led for a few seconds (`CulpritHeadline`).
func recomputeCulprits(_ model: inout Model) {
    guard let state = model.shown else {
        model.culprits = []
        return
    }
    let ranked = Triage.stabilized(Triage.rank(state, rules: model.rules), previous: model.culprits.first)
    model.culprits = model.headline.update(ranked, time: state.time, spanNanos: state.requests.latency.newestEndNanos)
}
