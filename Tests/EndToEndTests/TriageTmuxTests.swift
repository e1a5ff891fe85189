import Foundation
import InfertopCore
import InfertopSim
import InfertopTestSupport
import Testing

/// Every scripted incident, on three seeds, in the real dashboard: from the first screen one
/// key (`c`) shows the culprit GPU, link, port or node, and one key (`w`) opens the waterfall
/// of a request it hurt. The ground truth comes from the simulator's incident schedule.
///
/// `w` comes first, as soon as the culprit shows (pressed again until the culprit's requests have
/// arrived), then the test pauses the screen (`p`) before `c`: the key then acts on the state the
/// operator saw, however long a busy machine takes between keystrokes, instead of racing the
/// demo's clock into the next incident.
@Suite(.serialized) struct TriageTmuxTests {
    @Test(arguments: [UInt64(7), 11, 23])
    func everyIncident_culpritAndItsRequest_oneKeyEach(seed: UInt64) async throws {
        let incidents = SimulatedCluster(config: SimulationConfig(seed: seed)).schedule.incidents(inCycle: 0)
        #expect(incidents.map(\.kind) == IncidentKind.allCases)
        for incident in incidents {
            try await check(incident, seed: seed)
        }
    }

    private func check(_ incident: Incident, seed: UInt64) async throws {
        let at = Int(incident.start) + 10
        let t = try TmuxSession(
            command: "\(Binaries.path("infertop")) demo --seed \(seed) --start-at \(at); echo EXIT=$?; sleep 600",
            columns: 120, rows: 40, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { t.close() }
        let name = incident.expectedName
        let what = "seed \(seed) \(incident.kind) on \(name)"
        // The first screen names the culprit.
        try await t.waitFor("\(what): the culprit line") { screen in
            culpritLine(screen).contains("CULPRIT \(name)") && screen.contains("NODES")
        }
        // Keystroke 1: a request the culprit hurt. Its spans may reach the dashboard a moment
        // after the culprit line (a loaded machine): until then `w` says so, and is pressed again.
        let waterfall = try await openWaterfall(t, what: what)
        if let replica = incident.replica {
            #expect(
                waterfall.contains(replica.description), "\(what): the waterfall is not on \(replica):\n\(waterfall)")
        }
        // Back to the first screen, paused, then keystroke 1 again: the culprit itself.
        try t.send("Escape")
        try t.send("1")
        try await t.waitFor("\(what): the first screen again") { $0.contains("NODES") && !$0.contains("TRACE ") }
        try t.send("p")
        let paused = try await t.waitFor("\(what): paused") { $0.contains("PAUSED") }
        #expect(culpritLine(paused).contains("CULPRIT \(name)"), "\(what): the culprit moved on before the pause")
        try t.send("c")
        switch incident.expectedSubject {
        case .gpu(let gpu):
            try await t.waitFor("\(what): view 2 on the GPU") { screen in
                screen.contains("KV FREE") && screen.contains("culprit: \(name)")
                    && rows(screen).contains {
                        $0.hasPrefix(gpu.node.name) && $0.split(separator: " ").dropFirst().first == "\(gpu.index)"
                    }
            }
        case .link(let gpu, _):
            try await t.waitFor("\(what): view 3 on the link's node") { screen in
                screen.contains("\(gpu.node.name) (measured")
                    && screen.contains("culprit link: \(gpu.node.name) gpu\(gpu.index)")
            }
        case .port(let node, let port):
            try await t.waitFor("\(what): view 3 with the port") { screen in
                screen.contains("culprit port: \(node.name) \(port)")
                    && rows(screen).contains { $0.hasPrefix(node.name) && $0.contains(port) }
            }
        case .node(let node):
            try await t.waitFor("\(what): the node's detail") { screen in
                screen.contains("culprit: \(node.name)") && rows(screen).dropFirst(2).first?.contains(node.name) == true
            }
        case .replica:
            Issue.record("\(what): the simulator has no replica-level incident")
        }
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")
    }

    /// Presses `w` until the waterfall opens (within the usual screen deadline).
    private func openWaterfall(_ t: TmuxSession, what: String) async throws -> String {
        let deadline = ContinuousClock.now.advanced(by: .seconds(90))
        while ContinuousClock.now < deadline {
            try t.send("w")
            let screen = try await t.waitFor("\(what): an answer to w") { screen in
                (screen.contains("biggest gap") && screen.contains("TRACE ")) || screen.contains("no traced request")
            }
            if screen.contains("TRACE ") { return screen }
            try await Task.sleep(for: .milliseconds(500))
            try t.send("1")
        }
        throw TmuxError.timeout("\(what): w never opened a waterfall")
    }

    private func rows(_ screen: String) -> [Substring] { screen.split(separator: "\n") }

    private func culpritLine(_ screen: String) -> Substring {
        rows(screen).first { $0.contains("CULPRIT") } ?? ""
    }
}
