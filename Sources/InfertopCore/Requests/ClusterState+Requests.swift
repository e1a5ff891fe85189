extension ClusterState {
    /// Folds a delta's spans and span-storage reports in: each span is resolved to its replica
    /// and GPU group against the current placement, then joined to its trace. Percentiles are
    /// refreshed at most every `RequestStore.latencyRefreshSeconds` of cluster time, so a frame's
    /// worth of deltas from many agents pays for one refresh.
    public mutating func applyRequests(_ delta: ClusterDelta) {
        for (node, status) in delta.spanStorage { spanStorage[node] = status }
        if !delta.spans.isEmpty {
            let resolved = delta.spans.map { ReplicaResolver.resolve($0, in: self) }
            requests.insert(resolved, refreshingLatency: false)
        }
        requests.refreshLatency(at: time)
    }

    /// The waterfall of one trace, or nil when the store does not hold it (never seen, or evicted).
    public func waterfall(_ id: TraceID, rules: HealthRules = HealthRules()) -> RequestWaterfall? {
        requests[id].map { RequestWaterfall(trace: $0, in: self, rules: rules) }
    }

    /// The waterfall of a trace the caller kept, when the store no longer has it.
    public func waterfall(_ id: TraceID, kept: RequestTrace?, rules: HealthRules = HealthRules()) -> RequestWaterfall? {
        waterfall(id, rules: rules)
            ?? kept.flatMap { $0.id == id ? RequestWaterfall(trace: $0, in: self, rules: rules) : nil }
    }

    /// A replica's decode floor: the latest sample's figure, else computed from its placement.
    public func decodeFloorSeconds(replica: ReplicaID) -> Double? {
        if let floor = replicaSamples[replica]?.floorSeconds, floor > 0 { return floor }
        guard let spec = self.replica(replica) else { return nil }
        let floor = spec.decodeFloorSeconds(in: topology)
        return floor > 0 ? floor : nil
    }

    /// A model's decode floor: the lowest among its replicas (the best the fleet can do for it).
    public func decodeFloorSeconds(model: String) -> Double? {
        var best: Double?
        for spec in replicas where spec.id.model == model {
            if let f = decodeFloorSeconds(replica: spec.id) { best = min(best ?? f, f) }
        }
        return best
    }

    /// Spans the agents could not deliver (pushed out of storage before any subscriber had
    /// them, or cut from a slow reader's update), summed over nodes.
    public var spansDropped: UInt64 { spanStorage.values.reduce(0) { $0 + $1.dropped } }
}
