import InfertopCore

/// When a batch of feed updates ranks culprits: after a snapshot or a new shape, and after the first update of
/// every half second of feed time.
///
/// The live dashboard batches updates by frame, and frames fall wherever the machine's load puts
/// them; ranking on feed time instead makes the culprit line (whose headline is kept steady
/// against the previous one) a function of the updates and their times only, so a replay of a
/// recording shows at time T exactly what the live screen showed at T. A feed ticks every half
/// second, so the line is never older than that.
enum CulpritCadence {
    static let slotsPerSecond = 2.0

    static func isDue(after update: ClusterUpdate, lastRanked: Double?) -> Bool {
        guard case .delta(let delta) = update, let last = lastRanked else { return true }
        return slot(delta.time) != slot(last)
    }

    private static func slot(_ time: Double) -> Double { (time * slotsPerSecond).rounded(.down) }
}

extension Model {
    /// Whether a batch ranks culprits right after `update`: what `Msg.clusterBatch` does, for a
    /// replay that folds updates elsewhere and hands over the state (`Msg.clusterState`).
    public func ranksCulprits(after update: ClusterUpdate) -> Bool {
        !isPaused && CulpritCadence.isDue(after: update, lastRanked: culpritsRankedAt)
    }
}
