import ArgumentParser
import Testing

@testable import InfertopCLI

/// ``ProcessExit``: the one error-to-exit-status mapping both executables use.
@Suite struct ProcessExitTests {
    /// A command with one option and one rule, as the executables have.
    struct Probe: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "probe", version: "1.2.3")
        @Option var count: Int = 1
        func validate() throws {
            guard count > 0 else { throw ValidationError("--count must be positive") }
        }
        func run() throws {}
    }

    struct BadConfig: Error, CustomStringConvertible {
        var description: String { "agent.toml:3: key 'interval_seconds': not a number\nmore detail" }
    }

    struct Broken: Error, CustomStringConvertible {
        var description: String { "address already in use" }
    }

    /// Parses and runs `arguments` as `CommandMain` does (`--help` parses to a command whose
    /// `run` asks for the help).
    func exit(for arguments: [String]) -> ProcessExit {
        do {
            var command = try Probe.parseAsRoot(arguments)
            try command.run()
            return .success
        } catch {
            return ProcessExit.exit(for: error, command: Probe.self)
        }
    }

    @Test func usageErrors_areStatus2_withOneLine() {
        for arguments in [["--count", "0"], ["--count", "many"], ["--bogus"]] {
            let exit = exit(for: arguments)
            #expect(exit.status == 2, "\(arguments)")
            guard case .usage(let line) = exit.report else {
                Issue.record("\(arguments): \(exit.report)")
                continue
            }
            #expect(!line.contains("\n"))
        }
        #expect(exit(for: ["--count", "0"]).report == .usage("--count must be positive"))
    }

    @Test func validationErrorThrownWhileRunning_isStatus2() {
        let exit = ProcessExit.exit(for: ValidationError("--sim-node: no node named 'node-99'"), command: Probe.self)
        #expect(exit == ProcessExit(status: 2, report: .usage("--sim-node: no node named 'node-99'")))
    }

    @Test func programsOwnUsageErrors_areStatus2_firstLineOnly() {
        let exit = ProcessExit.exit(for: BadConfig(), command: Probe.self, isUsageError: { $0 is BadConfig })
        #expect(exit == ProcessExit(status: 2, report: .usage("agent.toml:3: key 'interval_seconds': not a number")))
    }

    @Test(arguments: [0, 1, 3, 42] as [Int32])
    func exitCode_isItsStatus_saysNothing(code: Int32) {
        #expect(ProcessExit.exit(for: ExitCode(code), command: Probe.self) == ProcessExit(status: code, report: .none))
    }

    @Test(arguments: [(2, 130), (15, 143), (1, 129)] as [(Int32, Int32)])
    func signal_is128PlusItsNumber(signal: Int32, status: Int32) {
        let exit = ProcessExit.exit(for: StoppedBySignal(signal: signal), command: Probe.self)
        #expect(exit == ProcessExit(status: status, report: .none))
    }

    @Test func anythingElse_isStatus1_withItsMessage() {
        let exit = ProcessExit.exit(for: Broken(), command: Probe.self, isUsageError: { $0 is BadConfig })
        #expect(exit == ProcessExit(status: 1, report: .failure("address already in use")))
    }

    @Test func helpAndVersion_areStatus0_onStdout() {
        #expect(exit(for: ["--version"]) == ProcessExit(status: 0, report: .output("1.2.3")))
        let help = exit(for: ["--help"])
        #expect(help.status == 0)
        guard case .output(let text) = help.report else {
            Issue.record("\(help.report)")
            return
        }
        #expect(text.contains("--count"))
    }
}
