import ArgumentParser

/// How a command's end becomes the process's exit: its status and what it says on the way out.
///
/// One mapping for both executables:
/// - `ExitCode(n)`: status n, nothing said (the command has said what it had to);
/// - ``StoppedBySignal``: 128 + the signal, nothing said;
/// - help and version: status 0, the text on stdout;
/// - a usage error (a bad flag, argument-parser's `ValidationError`, or an error the caller
///   names as bad input, such as a bad config file): status 2 and one line. argument-parser
///   would say 64 (`EX_USAGE`); 2 is what shells, grep and most command-line tools use;
/// - anything else: status 1 and its message, one line.
public struct ProcessExit: Sendable, Equatable {
    /// What the process says as it exits.
    public enum Report: Sendable, Equatable {
        case none
        /// Help or version text, for stdout.
        case output(String)
        /// One line about the command line or a file it named, for stderr.
        case usage(String)
        /// Why the command failed, one line.
        case failure(String)
    }

    public var status: Int32
    public var report: Report

    /// Status 0, nothing to say.
    public static let success = ProcessExit(status: 0, report: .none)

    /// The exit for `error`, thrown while parsing or running `command`.
    /// - Parameter isUsageError: whether an error of the program's own is bad input (status 2).
    public static func exit(
        for error: any Error, command: any ParsableCommand.Type, isUsageError: (any Error) -> Bool = { _ in false }
    ) -> ProcessExit {
        if let code = error as? ExitCode { return ProcessExit(status: code.rawValue, report: .none) }
        if let stop = error as? StoppedBySignal { return ProcessExit(status: stop.exitStatus, report: .none) }
        if isUsageError(error) { return ProcessExit(status: 2, report: .usage(firstLine("\(error)"))) }
        let code = command.exitCode(for: error)
        if code == .success { return ProcessExit(status: 0, report: .output(command.fullMessage(for: error))) }
        let message = firstLine(command.message(for: error))
        if code == .validationFailure { return ProcessExit(status: 2, report: .usage(message)) }
        return ProcessExit(status: code.rawValue == 0 ? 1 : code.rawValue, report: .failure(message))
    }

    private static func firstLine(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? text
    }
}
