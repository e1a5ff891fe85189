import ArgumentParser
import Foundation
import InfertopCLI

/// The dashboard's logging flags: `--log-level`, `--log-time`, and `--log-file` (or
/// `INFERTOP_LOG_FILE`) for the lines that would otherwise be dropped while the screen is up.
///
/// Without a file, log lines go to stderr before and after the terminal UI and nowhere while it
/// draws (a line on stderr would land in the picture). With one, every line goes to the file,
/// appended, for the whole run, and none to stderr.
struct DashboardLogOptions: ParsableArguments {
    @OptionGroup var common: LogOptions

    @Option(
        help:
            "Append log lines to this file, also while the screen is up (default: $INFERTOP_LOG_FILE; without either, stderr when no screen is up)."
    )
    var logFile: String?

    /// The file named by `--log-file`, else by `INFERTOP_LOG_FILE` (an empty value is none).
    func file(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let logFile { return logFile }
        guard let path = environment["INFERTOP_LOG_FILE"], !path.isEmpty else { return nil }
        return path
    }
}

/// A dashboard command with ``DashboardLogOptions``.
protocol DashboardLogging: LoggingCommand {
    var logging: DashboardLogOptions { get }
}

extension DashboardLogging {
    var logSettings: LogSettings { logging.common.settings }
}

/// Bootstraps the dashboard's logging once, from whichever command was parsed.
enum DashboardLogs {
    static let output = LogOutput.standard

    static func bootstrap(for command: any ParsableCommand) throws {
        let logging = (command as? any DashboardLogging)?.logging
        if let path = logging?.file() { try output.send(toFile: path) }
        LoggingBootstrap.bootstrap(logging?.common.settings ?? .standard, output: output)
    }
}
