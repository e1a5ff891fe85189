import Foundation
import Logging

/// Points swift-log at ``LogfmtLogHandler`` for the whole process; each main calls it once,
/// after parsing its arguments and before anything logs.
public enum LoggingBootstrap {
    /// Every `Logger` made from now on writes logfmt lines at `settings.level` and above to `output`.
    public static func bootstrap(_ settings: LogSettings, output: LogOutput = .standard) {
        let clock: (@Sendable () -> Date)? = settings.time ? { @Sendable in Date() } : nil
        LoggingSystem.bootstrap { _ in
            LogfmtLogHandler(level: settings.level, clock: clock, output: output.write)
        }
    }
}
