import ArgumentParser
import Logging

/// `--log-level` and `--log-time`, the same on both executables.
public struct LogOptions: ParsableArguments, Sendable {
    @Option(
        name: .customLong("log-level"),
        help: "Lowest level logged: trace, debug, info (the default), notice, warning, error or critical.",
        transform: LogSettings.level(named:))
    public var level: Logger.Level = LogSettings.standard.level

    @Flag(name: .customLong("log-time"), help: "Start each log line with time= (journald stamps lines itself).")
    public var time = false

    public init() {}

    /// The settings these flags ask for.
    public var settings: LogSettings { LogSettings(level: level, time: time) }
}

/// How a process logs: the lowest level written and whether lines carry their time.
public struct LogSettings: Sendable, Equatable {
    public var level: Logger.Level
    public var time: Bool

    public init(level: Logger.Level, time: Bool) {
        self.level = level
        self.time = time
    }

    /// `info`, no time: what a process that was given no flags logs.
    public static let standard = LogSettings(level: .info, time: false)

    /// The level named `name` (lower case, as `--log-level` takes it).
    /// - Throws: `ValidationError` listing the names when `name` is none of them.
    public static func level(named name: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: name) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("'\(name)' is not a log level; use one of \(names)")
        }
        return level
    }
}

/// A command that takes ``LogOptions``: the main bootstraps logging with its settings.
public protocol LoggingCommand {
    var logSettings: LogSettings { get }
}
