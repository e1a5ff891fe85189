import InfertopCore
import Testing

@testable import InfertopSim

/// One run through the first incident cycle of a small cluster, shared by the incident tests:
/// two TP8xPP2 Llama 405B replicas on four H100 nodes, at 30% load so decode steps sit near
/// the memory-bandwidth floor and an incident's cost stands out of the batching noise.
struct IncidentRun: Sendable {
    static let shared = IncidentRun()

    let incidents: [Incident]
    let spans: [Span]
    let requests: [SpannedRequest]
    /// Requests the lost node's replicas held (running or waiting) when it went.
    let heldAtLoss: Int

    init() {
        let cluster = SimulatedCluster(config: SimulationConfig(seed: 7, nodes: 4, load: 0.3))
        incidents = cluster.schedule.incidents(inCycle: 0)
        let loss = incidents.first { $0.kind == .nodeLost }
        var all: [Span] = []
        var held = 0
        for t in 1...Int(incidents.map(\.end).max() ?? 0) {
            cluster.advance(to: Double(t))
            all += cluster.takeFinishedSpans()
            if let loss, Double(t) == loss.start {
                // The loss applies on the next tick: count what its replicas hold now.
                held = cluster.engines.filter { $0.spec.nodes.contains(loss.node) }
                    .reduce(0) { $0 + $1.running.count + $1.waiting.count }
            }
        }
        spans = all
        requests = SpannedRequest.all(in: all)
        heldAtLoss = held
    }

    func incident(_ kind: IncidentKind) throws -> Incident { try #require(incidents.first { $0.kind == kind }) }

    /// The replica's requests that arrived and finished in the healthy first minute.
    func baseline(_ incident: Incident) -> [SpannedRequest] {
        let firstIncident = incidents.map(\.start).min() ?? 0
        return requests.filter { $0.replica == incident.replica?.description && $0.finish < firstIncident }
    }

    /// The replica's requests that arrived 15 s into the incident (once it has set in) and finished within it.
    func during(_ incident: Incident) -> [SpannedRequest] {
        requests.filter {
            $0.replica == incident.replica?.description && $0.arrival >= incident.start + 15 && $0.finish < incident.end
        }
    }
}

@Suite struct IncidentSpanTests {
    let run = IncidentRun.shared

    @Test func kvPressure_queuesThenAbortsOnTheSqueezedReplica() throws {
        let incident = try run.incident(.kvPressure)
        let before = run.baseline(incident)
        let squeezed = run.requests.filter {
            $0.replica == incident.replica?.description && $0.arrival >= incident.start + 10
                && $0.arrival < incident.end
        }
        let queueBefore = before.compactMap { $0.seconds(SpanAttributeKey.timeInQueue) }.mean
        let queueDuring = squeezed.compactMap { $0.seconds(SpanAttributeKey.timeInQueue) }.mean
        #expect(before.count >= 15 && squeezed.count >= 15)
        #expect(queueBefore < 0.5, "healthy: scheduled at once, \(queueBefore) s")
        #expect(queueDuring > 15, "squeezed KV cache: requests wait, \(queueDuring) s")
        let aborted = squeezed.filter { $0.engine.status.message == "aborted after 30 s in queue" }
        #expect(aborted.count >= 10 && before.allSatisfy { !$0.engine.status.isError })
        #expect(
            aborted.allSatisfy { $0.finishReason == "abort" && ($0.seconds(SpanAttributeKey.timeInQueue) ?? 0) >= 30 })
    }

    @Test func straggler_slowsDecode_notTheNetwork() throws {
        let incident = try run.incident(.straggler)
        let before = run.baseline(incident).compactMap(\.timePerOutputToken)
        let during = run.during(incident).compactMap(\.timePerOutputToken)
        #expect(before.count >= 15 && during.count >= 15)
        // A throttled GPU stretches every step of its TP group: +47% here at the 10th percentile.
        #expect(
            during.quantile(0.1) > before.quantile(0.1) * 1.3,
            "\(before.quantile(0.1)) -> \(during.quantile(0.1)) s/token")
        #expect(run.during(incident).compactMap(\.secondsPerHop).allSatisfy { $0 < 1e-4 }, "the hop stays healthy")
    }

    @Test func degradedFabric_addsItsAllReduceTimeToEveryDecodeStep() throws {
        let incident = try run.incident(.degradedFabric)
        let before = run.baseline(incident).compactMap(\.timePerOutputToken)
        let during = run.during(incident).compactMap(\.timePerOutputToken)
        #expect(before.count >= 15 && during.count >= 15)
        // Lanes down add 6 ms of all-reduce to every step; near the floor most of it shows per token.
        let added = during.quantile(0.1) - before.quantile(0.1)
        #expect(added > 0.004 && added < 0.012, "\(added) s per token")
        #expect(
            run.during(incident).compactMap(\.secondsPerHop).allSatisfy { $0 < 1e-4 }, "NVLink, not the pipeline hop")
    }

    @Test func portFlap_stallsEveryPipelineHop() throws {
        let incident = try run.incident(.portFlap)
        let hopsBefore = run.baseline(incident).compactMap(\.secondsPerHop)
        let hopsDuring = run.during(incident).compactMap(\.secondsPerHop)
        #expect(hopsBefore.count >= 15 && hopsDuring.count >= 5)
        #expect(hopsBefore.allSatisfy { abs($0 - 40e-6) < 2e-6 }, "healthy hop: 40 µs")
        #expect(hopsDuring.allSatisfy { $0 > 0.014 }, "retransmits: 15 ms per hop")
        let sendDuring = run.during(incident).compactMap { $0.send?.durationSeconds }
        #expect(sendDuring.quantile(0.5) > 1, "a request's hops add up to seconds: \(sendDuring.quantile(0.5))")
        let tpotBefore = run.baseline(incident).compactMap(\.timePerOutputToken).quantile(0.1)
        let tpotDuring = run.during(incident).compactMap(\.timePerOutputToken).quantile(0.1)
        #expect(tpotDuring > tpotBefore * 1.3, "\(tpotBefore) -> \(tpotDuring) s/token")
    }

    @Test func nodeLost_failsEveryRequestItsReplicaHeld_andNothingComesFromTheDeadNode() throws {
        let incident = try run.incident(.nodeLost)
        let message = "\(incident.node.name) lost"
        let routers = run.spans.filter { $0.name == "router" && $0.status.message == message }
        #expect(run.heldAtLoss >= 5)
        #expect(routers.count == run.heldAtLoss)
        #expect(routers.allSatisfy { $0.status.isError && $0.node != nil && $0.node != incident.node })
        #expect(run.spans.allSatisfy { $0.status.message != message || $0.node != incident.node })
        let loss = SimulationConfig.defaultSpanEpochNanos + UInt64(incident.start * 1e9)
        #expect(
            routers.allSatisfy { $0.endNanos >= loss && $0.endNanos < loss + 300_000_000 }, "they fail when it goes")
        // The replica's other node keeps serving afterwards; its requests before the loss completed.
        let replica = incident.replica?.description
        #expect(
            run.requests.contains { $0.replica == replica && $0.arrival > incident.end && $0.finishReason == "stop" })
    }
}
