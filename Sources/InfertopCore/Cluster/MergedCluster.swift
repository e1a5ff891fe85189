/// A `ClusterMerger` and the one state its updates make, for a receiver with no screen of its
/// own: `infertop snapshot`, a replay's cursor, tests. The dashboard does not use it: its model
/// applies the feed's updates itself.
public struct MergedCluster: Sendable {
    public private(set) var merger = ClusterMerger()
    /// The cluster as of the last update folded.
    public private(set) var state = ClusterState.empty

    public init() {}

    /// Makes one update with the merger, applies it to the state, and returns it.
    @discardableResult
    public mutating func fold(_ step: (inout ClusterMerger) -> ClusterUpdate) -> ClusterUpdate {
        let update = step(&merger)
        state.apply(update)
        return update
    }
}
