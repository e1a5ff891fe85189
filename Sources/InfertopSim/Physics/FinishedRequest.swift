import InfertopCore

/// A request that left its engine, with how and when: what its spans are made from.
struct FinishedRequest {
    /// How the request ended.
    enum Outcome: Equatable {
        /// Generated all its tokens.
        case completed
        /// Waited past the queue timeout without being scheduled; the router gave up.
        case aborted
        /// Held by a replica when this node was lost.
        case lost(NodeID)
    }

    var request: SimRequest
    var finishedAt: Double
    var outcome: Outcome
    /// Index of the replica (engine) that held it; set when the cluster collects it.
    var replica = 0
    /// Spans it will make; set when it is buffered.
    var spanCount = 0
}
