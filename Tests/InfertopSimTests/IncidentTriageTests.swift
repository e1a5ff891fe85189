import InfertopCore
import Testing

@testable import InfertopSim

/// Every scripted incident, on three seeds: the headline names the right GPU, link or node
/// within ten simulated seconds of its start, checked against the simulator's ground truth,
/// and the culprit leads to a request it hurt (spans folded in as the dashboard gets them).
@Suite struct IncidentTriageTests {
    @Test(arguments: [UInt64(7), 11, 23])
    func everyIncident_isNamedWithinTenSeconds(seed: UInt64) {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: seed))
        let incidents = cluster.schedule.incidents(inCycle: 0)
        #expect(incidents.map(\.kind) == IncidentKind.allCases)
        var state = ClusterState(topology: cluster.topology, replicas: cluster.replicas)
        var previous: Culprit?
        var tracker = CulpritHeadline()
        var t = 0.0
        for incident in incidents {
            var named = false
            while t < incident.start + 10 {
                t += 1
                cluster.advance(to: t)
                var delta = cluster.sample()
                delta.spans = cluster.takeFinishedSpans()
                state.apply(delta)
                let ranked = Triage.stabilized(Triage.rank(state), previous: previous)
                _ = tracker.update(ranked, time: state.time, spanNanos: state.requests.latency.newestEndNanos)
                previous = ranked.first
                if t > incident.start, let top = ranked.first, matches(top, incident) { named = true }
            }
            #expect(
                named,
                "seed \(seed): \(incident.kind) on \(incident.expectedName) was not named; headline: \(previous?.reason ?? "none")"
            )
            let headline = previous?.reason ?? ""
            #expect(headline.contains(incident.expectedName), "seed \(seed): headline at +10 s was '\(headline)'")
            if let culprit = previous {
                // `w`: the request it hurt most since it began, measured the way it hurts (not the longest).
                let since = tracker.onsets[culprit.subject]?.spanNanos
                let hurt = state.requestHurtMost(by: culprit, sinceNanos: since)
                let affected = hurt.flatMap { state.requests[$0.trace] }
                #expect(affected != nil, "seed \(seed): no request found for \(incident.kind)")
                if let affected, let replica = culprit.replica {
                    #expect(
                        affected.spans.contains { $0.replica == replica },
                        "seed \(seed): \(incident.kind) request not on \(replica)")
                }
                let incidentStart = cluster.config.spanEpochNanos + UInt64(incident.start * 1e9)
                if let affected {
                    // Within the simulator's one-second step: a lost node's requests end as it goes.
                    #expect(
                        affected.endNanos + 1_000_000_000 >= incidentStart,
                        "seed \(seed): \(incident.kind): `w` chose a request that ended before the incident (\(hurt?.measure ?? ""))"
                    )
                }
                let expected: String? =
                    switch incident.kind {
                    case .kvPressure: "longest queue"
                    case .straggler, .degradedFabric: "slowest decode"
                    case .portFlap: "slowest pipeline hop"
                    default: nil
                    }
                if let expected {
                    #expect(
                        hurt?.measure.hasPrefix(expected) == true,
                        "seed \(seed): \(incident.kind): \(hurt?.measure ?? "nil")")
                }
            }
        }
    }

    @Test func incidents_repeatEveryCycleOnNewTargets() {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7))
        let first = cluster.schedule.incidents(inCycle: 0)
        let second = cluster.schedule.incidents(inCycle: 1)
        #expect(second.map(\.start) == first.map { $0.start + IncidentSchedule.cycleSeconds })
        #expect(first.map(\.expectedName) != second.map(\.expectedName))
        #expect(cluster.schedule.active(at: first[0].start + 1) == first[0])
        #expect(cluster.schedule.active(at: 30) == nil)
    }

    @Test func incidents_canBeTurnedOff() {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7, incidents: false))
        #expect(cluster.schedule.incidents(inCycle: 0).isEmpty)
    }

    private func matches(_ culprit: Culprit, _ incident: Incident) -> Bool {
        switch (culprit.subject, incident.expectedSubject) {
        case (.gpu(let a), .gpu(let b)): a == b
        case (.link(let a, _), .link(let b, _)): a == b
        case (.node(let a), .node(let b)): a == b
        case (.port(let a, let p), .port(let b, let q)): a == b && p == q
        default: false
        }
    }
}
