import Foundation
import InfertopCore
import Testing

@testable import InfertopAgent

/// The `command` executor running real `/bin/sh` commands that leave their side effects in files
/// of a temp folder, counted: once per step or once per replica, nothing for a missing template,
/// a non-zero exit or a timeout failing the step with its output, and a hostile reason staying
/// one argument.
@Suite struct CommandExecutorTests {
    /// A fresh folder for the commands' side effects.
    final class Scratch {
        let dir: String
        init() throws {
            dir = NSTemporaryDirectory() + "infertop-command-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func path(_ name: String) -> String { dir + "/" + name }
        func lines(_ name: String) -> [String] {
            ((try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "").split(
                separator: "\n", omittingEmptySubsequences: false
            )
            .map(String.init).dropLast().map { $0 }
        }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
    }

    static let node = NodeID("gpu-node-07")

    static func replica(_ model: String, _ index: Int, gpus: [Int]) -> ReplicaSpec {
        let id = ReplicaID(model: model, index: index)
        let shards = gpus.enumerated().map { rank, gpu in
            Shard(replica: id, tpRank: rank, ppStage: 0, gpu: GPUID(node: node, index: gpu), weightsBytes: 0)
        }
        let served = ServedModel(
            name: model, parameterCount: 0, bytesPerParameter: 0, layers: 0, hiddenSize: 0, kvBytesPerToken: 0)
        return ReplicaSpec(
            id: id, model: served, tensorParallel: max(1, gpus.count), pipelineParallel: 1, shards: shards)
    }

    /// Two replicas on the node and one elsewhere, which no command may touch.
    static let replicas = [
        replica("llama-70b", 1, gpus: [4, 5]), replica("llama-70b", 0, gpus: [0, 1, 2, 3]),
        ReplicaSpec(
            id: ReplicaID(model: "llama-8b", index: 9), model: replica("llama-8b", 9, gpus: []).model,
            tensorParallel: 1,
            pipelineParallel: 1,
            shards: [
                Shard(
                    replica: ReplicaID(model: "llama-8b", index: 9), tpRank: 0, ppStage: 0,
                    gpu: GPUID(node: NodeID("gpu-node-08"), index: 0), weightsBytes: 0)
            ])
    ]

    /// This test's folder (each test gets a new suite value, so a folder of its own).
    let s: Scratch

    init() throws { s = try Scratch() }

    static func executor(_ templates: [String: String], timeout: Double = 20, replicas: [ReplicaSpec] = replicas) throws
        -> CommandExecutor
    {
        var settings = CommandSettings()
        settings.timeoutSeconds = timeout
        for (key, allowed, path) in CommandSettings.keys {
            if let text = templates[key] { settings[keyPath: path] = try CommandTemplate(text, allowed: allowed) }
        }
        return CommandExecutor(settings: settings, replicas: replicas)
    }

    @Test func cordonAndUncordon_runOnceEach_andTheJournalLineKeepsExitAndOutput() async throws {
        let executor = try Self.executor([
            "cordon": "echo cordon {node} by {operator}: {reason} >> \(s.path("log")); echo node/{node} cordoned",
            "uncordon": "echo uncordon {node} >> \(s.path("log")); echo node/{node} uncordoned"
        ])
        let cordoned = try await executor.cordon(Self.node, reason: "ECC errors", requestedBy: "alice")
        #expect(s.lines("log") == ["cordon gpu-node-07 by alice: ECC errors"])
        #expect(cordoned.hasPrefix("cordon: `echo cordon 'gpu-node-07' by 'alice': 'ECC errors'"), "\(cordoned)")
        #expect(cordoned.hasSuffix("exit 0: node/gpu-node-07 cordoned"), "\(cordoned)")
        let uncordoned = try await executor.uncordon(Self.node)
        #expect(s.lines("log") == ["cordon gpu-node-07 by alice: ECC errors", "uncordon gpu-node-07"])
        #expect(uncordoned.hasSuffix("exit 0: node/gpu-node-07 uncordoned"), "\(uncordoned)")
    }

    @Test func drain_runsOncePerReplicaOnTheNode_inOrder() async throws {
        let executor = try Self.executor([
            "drain": "echo stop {replica} of {model} on {node} >> \(s.path("stopped"))",
            "cancel_drain": "echo start {replica} >> \(s.path("started"))"
        ])
        let line = try await executor.drain(Self.node, reason: "r", requestedBy: "alice")
        #expect(
            s.lines("stopped") == [
                "stop llama-70b/0 of llama-70b on gpu-node-07", "stop llama-70b/1 of llama-70b on gpu-node-07"
            ])
        #expect(
            line.contains("'llama-70b/0'") && line.contains("'llama-70b/1'") && !line.contains("llama-8b"), "\(line)")
        #expect(line.components(separatedBy: "exit 0").count == 3, "one exit status per replica: \(line)")
        _ = try await executor.cancelDrain(Self.node)
        #expect(s.lines("started") == ["start llama-70b/0", "start llama-70b/1"])
        // With no replica on the node, a per-replica template has nothing to run, and says so.
        let empty = try Self.executor(["drain": "echo {replica} >> \(s.path("none"))"], replicas: [])
        let nothing = try await empty.drain(Self.node, reason: "r", requestedBy: "alice")
        #expect(nothing == "drain: no replicas on gpu-node-07, nothing to run")
        #expect(!s.exists("none"))
    }

    @Test func aMissingTemplate_doesNothing_andSaysSo() async throws {
        let executor = try Self.executor(["drain": "echo {replica} >> \(s.path("stopped"))"])
        #expect(
            try await executor.cordon(Self.node, reason: "r", requestedBy: "a")
                == "cordon: no [control.command] cordon template, nothing to do")
        #expect(
            try await executor.uncordon(Self.node) == "uncordon: no [control.command] uncordon template, nothing to do")
        #expect(
            try await executor.cancelDrain(Self.node)
                == "cancel_drain: no [control.command] cancel_drain template, nothing to do")
        #expect(try await executor.drainProgress(Self.node) == .drained, "no check: nothing to wait for")
        #expect(!s.exists("stopped"))
    }

    @Test func aNonZeroExit_failsTheStep_withItsStatusAndOutput_andStopsTheReplicasAfterIt() async throws {
        let executor = try Self.executor([
            "drain": "echo {replica} >> \(s.path("tried")); echo 'Failed to stop unit' >&2; exit 5",
            "cordon": "echo line one; echo line two >&2; exit 1"
        ])
        do {
            _ = try await executor.drain(Self.node, reason: "r", requestedBy: "alice")
            Issue.record("a failing drain succeeded")
        } catch let failure as CommandStepFailure {
            #expect(failure.description.hasPrefix("drain failed: `echo 'llama-70b/0'"), "\(failure)")
            #expect(failure.description.hasSuffix("exit 5: Failed to stop unit"), "\(failure)")
        }
        #expect(s.lines("tried") == ["llama-70b/0"], "the second replica is not stopped after the first failed")
        await #expect(throws: CommandStepFailure.self) {
            try await executor.cordon(Self.node, reason: "r", requestedBy: "a")
        }
        do {
            _ = try await executor.cordon(Self.node, reason: "r", requestedBy: "a")
        } catch {
            #expect("\(error)".hasSuffix("exit 1: line one / line two"), "stdout and stderr, one line: \(error)")
        }
    }

    @Test func aCommandPastItsTimeout_isKilled_withEverythingItStarted() async throws {
        // The shell starts a child and waits for it: the timeout must kill both, or the step
        // would wait for the child (which holds the output pipe) for the full 600 s.
        let executor = try Self.executor(
            [
                "drain":
                    "echo started >> \(s.path("log")); sleep 600 & echo $! > \(s.path("child")); wait; echo late >> \(s.path("log"))"
            ],
            timeout: 1, replicas: [Self.replica("m", 0, gpus: [0])])
        let clock = ContinuousClock()
        let began = clock.now
        do {
            _ = try await executor.drain(Self.node, reason: "r", requestedBy: "alice")
            Issue.record("a command past its timeout succeeded")
        } catch {
            #expect("\(error)".contains("timed out after 1 s"), "\(error)")
        }
        // Far below the child's 600 s, with room for a loaded machine.
        #expect(clock.now - began < .seconds(300), "the step ended at its timeout, not when the child ended")
        #expect(s.lines("log") == ["started"])
        let child = Int32(s.lines("child").first ?? "") ?? 0
        #expect(child > 0)
        let deadline = clock.now.advanced(by: .seconds(30))
        while child > 0, kill(child, 0) == 0, clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(child > 0 && kill(child, 0) != 0, "the command's child \(child) still runs after the timeout")
    }

    @Test(arguments: [
        #"x"; touch PWNED; echo ""#, #"'; touch PWNED; echo '"#, "$(touch PWNED)", "`touch PWNED`",
        "a\\' ; touch PWNED #",
        "line\ntouch PWNED", "${IFS}&& touch PWNED"
    ])
    func aHostileReason_staysOneArgument(reason template: String) async throws {
        let reason = template.replacingOccurrences(of: "PWNED", with: s.path("pwned"))
        let executor = try Self.executor([
            "cordon": "printf '%s|' {reason} > \(s.path("args")); printf '%s\\n' {operator} >> \(s.path("args"))",
            "drain": "printf '%s' {reason} > \(s.path("reason"))"
        ])
        _ = try await executor.cordon(Self.node, reason: reason, requestedBy: "eve'; touch \(s.path("pwned")); '")
        _ = try await executor.drain(Self.node, reason: reason, requestedBy: "eve")
        #expect(!s.exists("pwned"), "the reason ran as shell: \(reason)")
        #expect((try? String(contentsOfFile: s.path("reason"), encoding: .utf8)) == reason)
        #expect(s.lines("args") == ["\(reason)|eve'; touch \(s.path("pwned")); '"] || reason.contains("\n"))
    }

    @Test func drained_exit0IsDrained_otherwiseInFlight_countingWhatItPrints() async throws {
        let check = try Self.executor(["drained": "test -f \(s.path("done"))"])
        #expect(try await check.drainProgress(Self.node) == .inFlight(1))
        try "".write(toFile: s.path("done"), atomically: true, encoding: .utf8)
        #expect(try await check.drainProgress(Self.node) == .drained)
        // Per replica: each failing check counts, with the number it prints.
        let perReplica = try Self.executor(["drained": "echo {replica} >> \(s.path("checked")); echo 7; exit 1"])
        #expect(try await perReplica.drainProgress(Self.node) == .inFlight(14))
        #expect(s.lines("checked") == ["llama-70b/0", "llama-70b/1"])
    }

    @Test func longOutput_isBoundedInTheJournalLine() async throws {
        let executor = try Self.executor([
            "cordon": "i=0; while [ $i -lt 400 ]; do echo \"line $i of output\"; i=$((i+1)); done"
        ])
        let line = try await executor.cordon(Self.node, reason: "r", requestedBy: "a")
        #expect(line.count < 2 * CommandExecutor.outputLimit + 40, "\(line.count) characters")
        #expect(line.hasSuffix("…") && line.contains("exit 0: line 0 of output / line 1 of output"), "\(line)")
    }

    @Test func templates_quoteOnlyWhereItIsSafe() throws {
        let all = Set(CommandTemplate.Placeholder.allCases)
        let reason = #"it's "fine""#
        #expect(
            try CommandTemplate("kubectl cordon {node}", allowed: all).render([.node: "n 1"]) == "kubectl cordon 'n 1'")
        #expect(
            try CommandTemplate("echo {reason}", allowed: all).render([.reason: reason]) == #"echo 'it'\''s "fine"'"#)
        // The shell's own `${...}`, an escaped brace and a `{word}` inside quotes are left alone.
        #expect(
            try CommandTemplate("echo ${HOME} \\{node} \"${x}\" | awk '{print}'", allowed: all).render([.node: "n"])
                == "echo ${HOME} \\{node} \"${x}\" | awk '{print}'")
        #expect(try CommandTemplate("systemctl stop vllm@{replica}", allowed: all).perReplica)
        #expect(try !CommandTemplate("kubectl drain {node}", allowed: all).perReplica)
        let refused: [(String, Set<CommandTemplate.Placeholder>, String)] = [
            ("echo \"{reason}\"", all, "inside quotes"), ("echo '{node}'", all, "inside quotes"),
            ("echo {nodes}", all, "unknown placeholder {nodes}"),
            ("uncordon {reason}", [.node, .replica, .model], "cannot use {reason}"),
            ("echo 'open", all, "unclosed"), ("  ", all, "is empty")
        ]
        for (text, allowed, words) in refused {
            #expect(throws: TemplateError.self) { try CommandTemplate(text, allowed: allowed) }
            do {
                _ = try CommandTemplate(text, allowed: allowed)
            } catch {
                #expect(error.description.contains(words), "\(text): \(error)")
            }
        }
    }
}

/// `[control.command]` in the agent's config: every key read, and each mistake named by file,
/// line and key.
@Suite struct CommandExecutorConfigTests {
    @Test func commandTable_parses_andBuildsTheCommandExecutor() throws {
        let text = """
            node = "gpu-node-07"
            [control]
            executor = ["command", "slurm"]
            [control.command]
            cordon = "kubectl cordon {node}"
            uncordon = "kubectl uncordon {node}"
            drain = "systemctl stop vllm@{replica}"
            drained = "! systemctl is-active --quiet vllm@{replica}"
            cancel_drain = "systemctl start vllm@{replica}"
            timeout_seconds = 5
            """
        let config = try AgentConfig.parse(text, file: "agent.toml")
        let command = config.control.command
        #expect(config.control.executors == [.command, .slurm])
        #expect(command.cordon?.text == "kubectl cordon {node}")
        #expect(command.uncordon?.text == "kubectl uncordon {node}")
        #expect(command.drain?.perReplica == true)
        #expect(command.drained?.text == "! systemctl is-active --quiet vllm@{replica}")
        #expect(command.cancelDrain?.text == "systemctl start vllm@{replica}")
        #expect(command.timeoutSeconds == 5)
        let executor = try NodeExecutors.make(config, node: NodeID("gpu-node-07"), replicas: [])
        #expect(executor.name == "command+slurm")
        let alone = try AgentConfig.parse(
            "[control]\nexecutor = \"command\"\n[control.command]\ndrain = \"true\"\n", file: "a.toml")
        #expect(try NodeExecutors.make(alone, node: NodeID("n"), replicas: []) is CommandExecutor)
        #expect(alone.control.command.timeoutSeconds == 60)
    }

    @Test(arguments: [
        (
            "[control]\nexecutor = \"command\"\n[control.command]\ndrain = \"true\"\nbogus = \"x\"", 5,
            "control.command.bogus", "unknown key"
        ),
        (
            "[control]\nexecutor = \"command\"\n[control.command]\ndrain = 5", 4, "control.command.drain",
            "must be a string"
        ),
        (
            "[control]\nexecutor = \"command\"\n[control.command]\ndrain = \"true\"\ntimeout_seconds = 0", 5,
            "control.command.timeout_seconds", "from 1 to 86400"
        ),
        (
            "[control]\nexecutor = \"command\"\n[control.command]\ncordon = \"kubectl cordon '{node}'\"", 4,
            "control.command.cordon",
            "inside quotes"
        ),
        (
            "[control]\nexecutor = \"command\"\n[control.command]\nuncordon = \"echo {reason}\"", 4,
            "control.command.uncordon",
            "cannot use {reason}"
        ),
        (
            "[control]\nexecutor = \"command\"\n[control.command]\ndrain = \"echo {nod}\"", 4, "control.command.drain",
            "unknown placeholder"
        ),
        ("[control]\nexecutor = \"command\"", 2, "control.executor", "needs a [control.command] table"),
        ("[control]\nexecutor = \"slurm\"\ncommand = \"x\"", 3, "control.command", "must be a table")
    ])
    func aMistake_namesFileLineAndKey(text: String, line: Int, key: String, words: String) {
        AgentConfigTests.expectMistake(text, line: line, key: key, words: words)
    }

    @Test func aCommandTable_withoutTheCommandExecutor_isRefused() {
        let text = "[control]\nexecutor = \"slurm\"\n[control.command]\ndrain = \"true\"\n"
        #expect {
            _ = try AgentConfig.parse(text, file: "agent.toml")
        } throws: { error in
            "\(error)".contains("executor does not name \"command\"")
        }
    }
}
