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

    @Test func w_opensTheSlowestRequestOnTheCulpritsReplica() throws {
        var m = Fixtures.requestsModel(size: Size(columns: 80, rows: 24))
        m.view = .overview
        press(&m, .char("w"))
        #expect(m.view == .requests)
        let open = try #require(m.requests.open)
        let state = try #require(m.shown)
        let trace = try #require(state.requests[open])
        #expect(trace.spans.contains { $0.replica == ReplicaID(model: "llama-405b", index: 5) })
        let longest = state.requests.traces.values
            .filter { $0.spans.contains { $0.replica == ReplicaID(model: "llama-405b", index: 5) } }
            .map(\.durationNanos).max()
        #expect(trace.durationNanos == longest)
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
