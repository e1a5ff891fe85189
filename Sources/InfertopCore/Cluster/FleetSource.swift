/// A source that answers for many nodes at once (a Prometheus server), beside or instead of
/// agents. It reports whole refreshes as `NodeReport`s into the same `ClusterMerger`.
public protocol FleetSource: Sendable {
    /// How the source is named on screen and in the sources table: `prometheus http://...`.
    var address: String { get }

    /// Refreshes until the task is cancelled, handing every refresh and connection change to
    /// `deliver`. Never throws: failures are `FleetEvent.status` and are retried.
    func run(_ deliver: @escaping @Sendable (FleetEvent) -> Void) async
}

/// What a `FleetSource` delivers.
public enum FleetEvent: Sendable {
    /// One refresh: a full report per node it saw, and what it lacks (`no NVLink series`).
    case refresh(reports: [NodeReport], notes: [String], version: String?)
    /// The connection changed (unreachable, retrying, answering again).
    case status(SourceStatus)
    /// Past values of GPUs for the sparklines, fetched once on open (best effort).
    case history(GPUHistory)
}

/// Recent KV-cache use per GPU, oldest first, for the history rings a fresh dashboard starts empty.
public struct GPUHistory: Sendable {
    public var kvUsage: [GPUID: [Float]]

    public init(kvUsage: [GPUID: [Float]]) { self.kvUsage = kvUsage }
}

extension ClusterMerger {
    /// Folds one fleet event in.
    public mutating func receive(_ event: FleetEvent, from address: String, now: Double) -> ClusterUpdate {
        switch event {
        case .refresh(let reports, let notes, let version):
            return receive(fleet: reports, from: address, version: version, notes: notes, now: now)
        case .status(let status):
            var status = status
            status.kind = .fleet
            return receive(status, now: now)
        case .history(let history):
            return receive(history: history, now: now)
        }
    }
}
