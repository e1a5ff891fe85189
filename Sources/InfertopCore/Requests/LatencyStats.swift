/// Latency percentiles per model and per replica over a sliding window, kept up to date as
/// engine spans arrive.
///
/// The window is `sliceCount` slices of `sliceNanos` (default six of 10 s: one minute), each an
/// HdrHistogram, rotated by the newest span end time seen, not the wall clock, so a paused or
/// replayed feed keeps its numbers. Percentiles are computed once per batch of spans, for the
/// keys that changed (all of them when the window moves on), so views only read them.
public struct LatencyStats: Sendable {
    public let sliceNanos: UInt64
    public let sliceCount: Int
    /// The newest span end time seen.
    public private(set) var newestEndNanos: UInt64 = 0
    /// Samples that ended before the window and were not counted.
    public private(set) var lateSamples: UInt64 = 0
    public private(set) var byModel: [String: LatencySummary] = [:]
    public private(set) var byReplica: [ReplicaID: LatencySummary] = [:]
    /// Models with requests in the window, by name.
    public private(set) var models: [String] = []
    /// Replicas with requests in the window, per model, in order.
    public private(set) var replicasByModel: [String: [ReplicaID]] = [:]

    private var modelWindows: [String: LatencyWindow] = [:]
    private var replicaWindows: [ReplicaID: LatencyWindow] = [:]
    private var newestEpoch: Int64 = .min
    private var dirtyModels: Set<String> = []
    private var dirtyReplicas: Set<ReplicaID> = []
    private var allDirty = false

    public init(sliceSeconds: Double = 10, sliceCount: Int = 6) {
        sliceNanos = UInt64(max(0.001, sliceSeconds) * 1e9)
        self.sliceCount = max(1, sliceCount)
    }

    public var windowSeconds: Double { Double(sliceNanos) / 1e9 * Double(sliceCount) }

    /// Whether figures were recorded (or the window moved) since the last refresh.
    public var needsRefresh: Bool { allDirty || !dirtyModels.isEmpty || !dirtyReplicas.isEmpty }

    public func summary(model: String) -> LatencySummary? { byModel[model] }
    public func summary(replica: ReplicaID) -> LatencySummary? { byReplica[replica] }

    /// Counts one request's figures under its model and, when known, its replica.
    public mutating func record(_ timings: RequestTimings, model: String, replica: ReplicaID?, endNanos: UInt64) {
        let epoch = Int64(endNanos / sliceNanos)
        if newestEpoch != .min, epoch <= newestEpoch - Int64(sliceCount) {
            lateSamples += 1
            return
        }
        newestEndNanos = max(newestEndNanos, endNanos)
        if epoch > newestEpoch {
            // Older slices may have left the window: every summary must be read again.
            if newestEpoch != .min { allDirty = true }
            newestEpoch = epoch
        }
        modelWindows[model, default: LatencyWindow(sliceCount: sliceCount)].record(timings, epoch: epoch)
        dirtyModels.insert(model)
        if let replica {
            replicaWindows[replica, default: LatencyWindow(sliceCount: sliceCount)].record(timings, epoch: epoch)
            dirtyReplicas.insert(replica)
        }
    }

    /// Refreshes the summaries of the `dirty` keys from their windows, dropping windows left empty.
    /// - Returns: whether a key appeared or disappeared.
    private static func refresh<Key: Hashable>(
        _ dirty: Set<Key>, _ windows: inout [Key: LatencyWindow], _ summaries: inout [Key: LatencySummary],
        newest: Int64
    ) -> Bool {
        var keysChanged = false
        for key in dirty {
            guard let s = windows[key]?.summary(newest: newest) else { continue }
            if s.count == 0 {
                windows[key] = nil
                keysChanged = summaries.removeValue(forKey: key) != nil || keysChanged
            } else {
                keysChanged = keysChanged || summaries[key] == nil
                summaries[key] = s
            }
        }
        return keysChanged
    }

    /// Recomputes the percentiles that changed since the last refresh; windows left empty are dropped.
    public mutating func refresh() {
        if allDirty {
            dirtyModels = Set(modelWindows.keys)
            dirtyReplicas = Set(replicaWindows.keys)
        }
        guard !dirtyModels.isEmpty || !dirtyReplicas.isEmpty else { return }
        let modelsChanged = Self.refresh(dirtyModels, &modelWindows, &byModel, newest: newestEpoch)
        let replicasChanged = Self.refresh(dirtyReplicas, &replicaWindows, &byReplica, newest: newestEpoch)
        let keysChanged = modelsChanged || replicasChanged
        dirtyModels = []
        dirtyReplicas = []
        allDirty = false
        if keysChanged {
            models = byModel.keys.sorted()
            var grouped: [String: [ReplicaID]] = [:]
            for id in byReplica.keys { grouped[id.model, default: []].append(id) }
            replicasByModel = grouped.mapValues { $0.sorted() }
        }
    }
}
