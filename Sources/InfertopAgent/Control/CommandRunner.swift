import Foundation
import InfertopCore

/// What a command printed and how it ended, as the journal keeps it.
public struct CommandResult: Sendable, Hashable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// True when the command was killed for running past its timeout.
    public let timedOut: Bool

    public init(status: Int32, stdout: String, stderr: String, timedOut: Bool = false) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
    }

    /// `exit 1: You must specify a reason ...`: one line for the journal and the screen.
    public var summary: String {
        if timedOut { return "timed out" }
        let text = (stderr.isEmpty ? stdout : stderr).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "exit \(status)" : "exit \(status): \(text)"
    }
}

/// Runs the external commands an executor drives (`scontrol`, `kubectl`, `systemctl`), so that
/// tests can put a recording stand-in in their place.
public protocol CommandRunner: Sendable {
    func run(_ argv: [String], timeoutSeconds: Double) async throws -> CommandResult
}

/// The real runner: `Process`, waited for on a thread of its own (never on the cooperative
/// pool), killed with SIGKILL past its timeout, with every process it started.
public struct ProcessCommandRunner: CommandRunner {
    /// Extra environment for every command (e.g. `SLURM_CONF`).
    public var environment: [String: String]

    public init(environment: [String: String] = [:]) { self.environment = environment }

    public func run(_ argv: [String], timeoutSeconds: Double) async throws -> CommandResult {
        guard let program = argv.first else { throw CommandFailure("no command to run") }
        let environment = environment
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(
                    with: Result { try Self.runBlocking(program, Array(argv.dropFirst()), environment, timeoutSeconds) }
                )
            }
        }
    }

    private static func runBlocking(
        _ program: String, _ arguments: [String], _ environment: [String: String], _ timeout: Double
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        let (out, err) = process.pipingOutput(environment: environment)
        do {
            try process.run()
        } catch {
            throw CommandFailure("cannot run \(program): \(error.localizedDescription)")
        }
        let killer = DispatchWorkItem {
            guard process.isRunning else { return }
            // Foundation starts the child as the leader of a process group of its own: kill the
            // group, so that what a shell started (and which holds the output pipes) dies with it.
            let pid = process.processIdentifier
            kill(getpgid(pid) == pid ? -pid : pid, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        let timedOut = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self), timedOut: timedOut)
    }
}

/// A command that could not be run at all, in words.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
