import Foundation
import InfertopTestSupport
import Testing

/// A coordinating agent on a real node with `[control] cluster = FILE`: it subscribes to the
/// agents the cluster file lists, so its safety rules see the whole cluster (a model whose
/// replica spans two other nodes), and it acts on another node through Slurm, which answers
/// for every node of the cluster.
@Suite(.serialized) struct CoordinatorEndToEndTests {
    @Test func aCoordinatorWithAClusterFile_seesOtherNodes_andKeepsTheirModelsAvailable() async throws {
        let folder = try ControlEndToEndTests.folder()
        let scontrol = try ControlEndToEndTests.fakeScontrol(folder)
        try "".write(toFile: folder + "/jobs-done", atomically: true, encoding: .utf8)
        let ports = (0..<3).map { _ in AgentsTmuxTests.freePort() }
        // Two nodes of a 4-node simulated cluster: llama-405b/0 spans node-01 and node-02.
        let peers = try (1...2).map { i in
            try AgentProcess(arguments: [
                "--simulate", "--sim-node", "node-0\(i)", "--sim-nodes", "4", "--sim-seed", "7",
                "--listen", "127.0.0.1:\(ports[i])", "--otlp-grpc", "off", "--otlp-http", "off"
            ])
        }
        try """
        controller = "gpu-head"
        [[agents]]
        name = "gpu-head"
        address = "127.0.0.1:\(ports[0])"
        [[agents]]
        address = "127.0.0.1:\(ports[1])"
        [[agents]]
        address = "127.0.0.1:\(ports[2])"
        """.write(toFile: folder + "/cluster.toml", atomically: true, encoding: .utf8)
        try """
        node = "gpu-head"
        listen = "127.0.0.1:\(ports[0])"
        [control]
        executor = "slurm"
        scontrol = "\(scontrol)"
        journal = "\(folder)/journal.jsonl"
        audit = "\(folder)/audit.jsonl"
        cluster = "\(folder)/cluster.toml"
        """.write(toFile: folder + "/agent.toml", atomically: true, encoding: .utf8)
        let coordinator = try AgentProcess(arguments: [
            "--config", folder + "/agent.toml", "--otlp-grpc", "off", "--otlp-http", "off"
        ])
        defer {
            coordinator.stop()
            for peer in peers { peer.stop() }
        }
        // The cluster file names the controller, so `ctl` needs no --controller.
        func drain(_ node: String, _ extra: [String] = []) async throws -> (
            status: Int32, stdout: String, stderr: String
        ) {
            try await Binaries.run(
                "infertop",
                ["ctl", "drain", node, "--reason", "NVLink errors", "--yes", "--cluster", folder + "/cluster.toml"]
                    + extra,
                environment: ["USER": "dana"])
        }
        // Until the coordinator has the peers' state, node-02 is unknown to it (or it is unreachable).
        var refused = try await drain("node-02")
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while !refused.stderr.contains("llama-405b") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            refused = try await drain("node-02")
        }
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("llama-405b"), "the refusal names the model: \(refused.stderr)")
        #expect(!Self.calls(folder).contains { $0.hasPrefix("update") }, "nothing reached Slurm")
        let forced = try await drain("node-02", ["--force", "--wait"])
        #expect(forced.status == 0, "\(forced)")
        let updates = Self.calls(folder).filter { $0.hasPrefix("update") }
        #expect(updates == ["update NodeName=node-02 State=DRAIN Reason=infertop: dana: NVLink errors"], "\(updates)")
        let audit = ControlEndToEndTests.lines(folder + "/audit.jsonl")
        #expect(audit.contains { $0.contains("refused") && $0.contains("llama-405b") }, "\(audit)")
    }

    static func calls(_ folder: String) -> [String] { ControlEndToEndTests.lines(folder + "/scontrol-calls") }
}

/// `infertop ctl plan`: the plan made from the agents' state and printed; a plan that cannot
/// place a replica says why and exits 1, and bad goals are usage errors.
@Suite(.serialized) struct CtlPlanEndToEndTests {
    @Test func aPlanFromTheAgents_namesWhatCannotBePlacedAndWhy() async throws {
        let ports = (0..<4).map { _ in AgentsTmuxTests.freePort() }
        let agents = try (1...4).map { i in
            try AgentProcess(arguments: [
                "--simulate", "--sim-node", "node-0\(i)", "--sim-nodes", "4", "--sim-seed", "7",
                "--listen", "127.0.0.1:\(ports[i - 1])", "--otlp-grpc", "off", "--otlp-http", "off"
            ])
        }
        defer { for agent in agents { agent.stop() } }
        let list = ports.map { "127.0.0.1:\($0)" }.joined(separator: ",")
        // Every GPU of a 4-node cluster serves, so llama-405b/1 (node-03 + node-04) has nowhere to go.
        let text = try await Binaries.run("infertop", ["ctl", "plan", "--evacuate", "node-03", "--agents", list])
        #expect(text.status == 1, "\(text)")
        #expect(text.stdout.hasPrefix("rebalance evacuate node-03  (made from state "), "\(text.stdout)")
        #expect(text.stdout.contains("cannot place:\n  llama-405b/1: no eligible"), "\(text.stdout)")
        let json = try await Binaries.run(
            "infertop", ["ctl", "plan", "--move", "llama-405b/0", "--agents", list, "--output", "json"])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json)")
        #expect(object["goal"] as? String == "move llama-405b/0")
        #expect(object["complete"] as? Bool == false)
        #expect((object["madeFrom"] as? String)?.count == 16, "\(object)")
        let unknown = try await Binaries.run("infertop", ["ctl", "plan", "--relieve", "node-09:0", "--agents", list])
        #expect(unknown.status == 1 && unknown.stderr.contains("node-09 gpu0 is not in the cluster"), "\(unknown)")
        let usage = try await Binaries.run("infertop", ["ctl", "plan", "--relieve", "node-03", "--agents", list])
        #expect(usage.status == 64 || usage.status == 2, "\(usage)")
        #expect(usage.stderr.contains("NODE:GPU"), "\(usage)")
    }
}

/// `infertop ctl apply` through the wire: a plan previewed from a state the coordinator has left
/// is refused with the reason, audited, and nothing moves.
@Suite(.serialized) struct CtlApplyEndToEndTests {
    @Test func aPlanAppliedAfterTheStateMovedOn_isRefusedWithTheReason() async throws {
        let folder = try ControlEndToEndTests.folder()
        let port = AgentsTmuxTests.freePort()
        let agent = try ControlEndToEndTests.coordinator(folder, port: port)
        defer { agent.stop() }
        let arguments = [
            "ctl", "apply", "--relieve", "node-10:6", "--made-from", "00000000000000aa", "--reason", "KV starved",
            "--yes", "--agents", "127.0.0.1:\(port)"
        ]
        var refused = try await Binaries.run("infertop", arguments, environment: ["USER": "erin"])
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while !refused.stderr.contains("preview it again") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            refused = try await Binaries.run("infertop", arguments, environment: ["USER": "erin"])
        }
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("This plan was made from cluster state 00000000000000aa"), "\(refused.stderr)")
        let audit = ControlEndToEndTests.lines(folder + "/audit.jsonl")
        #expect(audit.last?.contains("refused") == true && audit.last?.contains("erin") == true, "\(audit)")
        #expect(ControlEndToEndTests.lines(folder + "/journal.jsonl").isEmpty, "nothing journaled")
    }
}
