import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// From the culprit line, one key to the culprit and one to a request it hurt.
@Suite struct CulpritKeysTests {
    func press(_ model: inout Model, _ keys: Key...) {
        for key in keys { _ = update(&model, .key(key)) }
    }

    @Test func c_selectsTheCulpritGPUInView2() throws {
        var m = Fixtures.requestsModel(size: Size(columns: 120, rows: 40))
        m.view = .overview
        let culprit = try #require(m.culprits.first)
        #expect(culprit.subject == .gpu(GPUID(node: "node-10", index: 6)))
        press(&m, .char("c"))
        #expect(m.view == .memory)
        #expect(m.selectedGPU == GPUID(node: "node-10", index: 6))
        let screen = view(m).rows.joined(separator: "\n")
        #expect(screen.contains("node-10"))
        #expect(m.status?.text.contains("KV cache") == true)
    }

    /// KV starvation hurts by queueing: `w` opens the longest queue on the culprit's replica,
    /// not merely the longest request (a long answer from before the squeeze).
    @Test func w_opensTheLongestQueueOnTheKVStarvedReplica() throws {
        var m = Fixtures.requestsModel(size: Size(columns: 80, rows: 24))
        m.view = .overview
        #expect(m.culprits.first?.kind == .kvPressure)
        press(&m, .char("w"))
        #expect(m.view == .requests)
        let open = try #require(m.requests.open)
        let state = try #require(m.shown)
        let trace = try #require(state.requests[open])
        let replica = ReplicaID(model: "llama-405b", index: 5)
        func queue(_ t: RequestTrace) -> Double {
            t.spans.filter { $0.replica == replica }.compactMap { $0.timings?.queueSeconds }.max() ?? 0
        }
        #expect(trace.spans.contains { $0.replica == replica })
        let longestQueue = state.requests.traces.values.filter { $0.spans.contains { $0.replica == replica } }.map(
            queue
        ).max()
        #expect(queue(trace) == longestQueue)
        #expect(m.status?.text.contains("longest queue") == true)
        let screen = view(m).rows.joined(separator: "\n")
        #expect(screen.contains("biggest gap"))
    }

    @Test func aLinkCulpritOpensItsNodeInView3() {
        var m = Fixtures.requestsModel(size: Size(columns: 120, rows: 40))
        m.culprits = [
            Culprit(
                subject: .link(GPUID(node: "node-13", index: 2), peer: 5), kind: .fabricDegraded, severity: .crit,
                score: 50, reason: "node-13 gpu2↔gpu5: xGMI 3/7 links up", replica: nil)
        ]
        press(&m, .char("c"))
        #expect(m.view == .interconnect)
        #expect(m.selectedNode == "node-13")
    }

    @Test func withNoCulprit_theKeysSaySo() {
        var m = Fixtures.requestsModel(size: Size(columns: 120, rows: 40))
        m.culprits = []
        press(&m, .char("w"))
        #expect(m.requests.open == nil)
        #expect(m.status?.isError == true)
    }
}
