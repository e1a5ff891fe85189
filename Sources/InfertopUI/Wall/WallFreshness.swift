import InfertopCore

/// How fresh the wall's picture is: the age of the newest data, and whether every source is
/// lost, in which case the whole pane says `NO DATA since …` instead of a frozen picture.
public struct WallFreshness: Sendable, Hashable {
    /// Cluster time of the newest sample or message; nil before any arrived.
    public var newest: Double?
    /// Seconds since the newest data, on the receiver's clock.
    public var age: Double?
    /// Every source is gone: each agent is disconnected or each node silent past stale.
    public var noData: Bool
    /// Why, in a few words: `3 agents unreachable`, `every node silent`.
    public var reason: String

    public init(_ state: ClusterState?) {
        guard let state else {
            self.init(newest: nil, age: nil, noData: false, reason: "")
            return
        }
        let samples = state.nodeStatus.map(\.lastSampleTime).filter { $0 > 0 }
        let messages = state.sources.values.compactMap(\.lastMessageTime)
        let newest = (samples + messages).max()
        let sources = Array(state.sources.values)
        // Only after data once flowed: before the first sample the wall says it is waiting.
        let disconnected = !messages.isEmpty && sources.allSatisfy { !$0.state.isLive }
        let silent = !samples.isEmpty && state.nodeStatus.allSatisfy { $0.reachability != .live }
        let reason: String
        if disconnected {
            reason = sources.count == 1 ? "the agent is not connected" : "none of \(sources.count) agents connected"
        } else if silent {
            reason = "every node silent"
        } else {
            reason = ""
        }
        self.init(
            newest: newest, age: newest.map { max(0, state.time - $0) },
            noData: newest != nil && (disconnected || silent), reason: reason)
    }

    init(newest: Double?, age: Double?, noData: Bool, reason: String) {
        self.newest = newest
        self.age = age
        self.noData = noData
        self.reason = reason
    }
}
