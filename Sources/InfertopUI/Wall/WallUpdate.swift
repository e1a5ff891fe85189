import InfertopCore

/// What reaches the wall: feed updates, the passing of time, a resize, a key.
public enum WallMsg: Sendable {
    case clusterBatch([ClusterUpdate])
    /// Wall time in seconds (any origin, monotonic): drives the cycle.
    case tick(Double)
    case resized(Size)
    case key(Key)
}

/// Folds a message into the wall; returns true when the wall should quit.
///
/// Only quit keys do anything: the wall has no selection, no dialog and no control call, so a
/// visitor pressing keys on the wall's keyboard changes nothing.
public func wallUpdate(_ wall: inout WallModel, _ msg: WallMsg) -> Bool {
    switch msg {
    case .clusterBatch(let updates):
        guard !updates.isEmpty else { return false }
        _ = update(&wall.dashboard, .clusterBatch(updates))
        return false
    case .tick(let now):
        guard let since = wall.cycleSince else {
            wall.cycleSince = now
            return false
        }
        if now - since >= wall.settings.cycleSeconds {
            wall.cycleIndex = (wall.cycleIndex + 1) % wall.settings.views.count
            wall.cycleSince = now
        }
        return false
    case .resized(let size):
        wall.dashboard.size = size
        return false
    case .key(let key):
        return key == .char("q") || key == .char("Q") || key == .ctrl("c")
    }
}

/// The dashboard model as the wall shows it at `size`: the culprit's view while there is one
/// (selected as `c` would), else the view the cycle is on.
func wallFrameModel(_ wall: WallModel, size: Size) -> Model {
    var m = wall.dashboard
    m.size = size
    m.node = nil
    m.filter = Filter()
    m.scroll = 0
    if m.culprits.isEmpty {
        m.view = wall.cycledView
    } else {
        goToCulprit(&m)
    }
    m.status = nil
    return m
}
