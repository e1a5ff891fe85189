import ArgumentParser
import Foundation

/// The body of both executables' `main`: parse, bootstrap logging, run, and exit through
/// ``ProcessExit``, so `infertop` and `infertop-agent` end the same way for the same cause.
public enum CommandMain {
    /// Parses the arguments as `root`, calls `prepare` with the parsed command (bootstrapping
    /// logging), runs it, and exits.
    /// - Parameters:
    ///   - program: the name a usage line starts with (`infertop: --theme: ...`).
    ///   - isUsageError: whether an error of the program's own is bad input (status 2).
    ///   - reportFailure: says why the command failed (status 1); by default one line on stderr,
    ///     `program: message`.
    public static func run(
        _ root: any ParsableCommand.Type, program: String,
        isUsageError: @escaping @Sendable (any Error) -> Bool = { _ in false },
        prepare: @Sendable (any ParsableCommand) throws -> Void,
        reportFailure: (@Sendable (String) -> Void)? = nil
    ) async -> Never {
        let exit: ProcessExit
        do {
            var command = try root.parseAsRoot()
            try prepare(command)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit = .success
        } catch {
            exit = ProcessExit.exit(for: error, command: root, isUsageError: isUsageError)
        }
        switch exit.report {
        case .none: break
        case .output(let text): print(text)
        case .usage(let line): FileHandle.standardError.write(Data("\(program): \(line)\n".utf8))
        case .failure(let line):
            if let reportFailure {
                reportFailure(line)
            } else {
                FileHandle.standardError.write(Data("\(program): \(line)\n".utf8))
            }
        }
        Foundation.exit(exit.status)
    }
}
