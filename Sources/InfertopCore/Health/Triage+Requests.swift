/// What the request traces add to triage: replicas whose requests fail or run long when no
/// hardware culprit explains them (the request a culprit hurt most: `ClusterState+HurtRequest.swift`).
extension Triage {
    /// Culprits read from traces, for replicas not already explained by a hardware culprit.
    /// They rank below hardware causes: a failing request is a symptom first.
    static func requestCulprits(_ state: ClusterState, explained: Set<ReplicaID>, rules: HealthRules) -> [Culprit] {
        let store = state.requests
        guard !store.isEmpty else { return [] }
        let windowStart = store.latency.newestEndNanos &- UInt64(store.latency.windowSeconds * 1e9)
        var failures: [ReplicaID: (count: Int, reason: String)] = [:]
        for trace in store.failed() where trace.endNanos >= windowStart {
            guard let replica = trace.replica, !explained.contains(replica) else { continue }
            let reason = failures[replica]?.reason ?? trace.statusText
            failures[replica] = ((failures[replica]?.count ?? 0) + 1, reason)
        }
        var found: [Culprit] = []
        for (replica, failed) in failures where failed.count >= rules.failedRequestsForCulprit {
            found.append(
                Culprit(
                    subject: .replica(replica), kind: .requestFailures, severity: .warn,
                    score: 13 + min(Double(failed.count), 10) / 2,
                    reason:
                        "replica \(replica): \(failed.count) requests failed in \(Format.duration(store.latency.windowSeconds)) (\(failed.reason)) · traces",
                    replica: replica))
        }
        for model in store.latency.models {
            let replicas = store.latency.replicasByModel[model] ?? []
            let p99s = replicas.compactMap { r in store.latency.summary(replica: r)?.e2e.map { (r, $0.p99) } }
            guard p99s.count >= 2 else { continue }
            let sorted = p99s.map(\.1).sorted()
            for (replica, p99) in p99s where !explained.contains(replica) && failures[replica] == nil {
                let peers = LatencyRatios.medianWithout(p99, in: sorted)
                guard peers > 0, p99 >= rules.latencyFloorSeconds, p99 / peers >= rules.latencyRatio else { continue }
                found.append(
                    Culprit(
                        subject: .replica(replica), kind: .latencyOutlier, severity: .warn,
                        score: 13 + min(p99 / peers, 10) / 2,
                        reason:
                            "replica \(replica) e2e p99 \(Format.duration(p99)) = \(Format.ratio(p99 / peers)) of peers · traces",
                        replica: replica))
            }
        }
        return found
    }
}
