import Foundation
import Logging

/// A swift-log handler that writes each event as one logfmt line (``Logfmt``) to an output.
///
/// Metadata comes in three layers, each overriding the one before on the same key: the
/// handler's own (given when it is made, for the whole process), the logger's (set with
/// `logger[metadataKey:]`, e.g. the node an agent serves), then the call site's (e.g. an
/// operation id). The time is left out unless asked for: journald and most log collectors
/// stamp each line themselves.
public struct LogfmtLogHandler: LogHandler {
    public var logLevel: Logger.Level
    /// The logger's metadata (the middle layer).
    public var metadata: Logger.Metadata = [:]
    /// The handler's own metadata, under the logger's and the call site's.
    public let handlerMetadata: Logger.Metadata
    /// Where a finished line goes (without its newline).
    private let output: @Sendable (String) -> Void
    /// The time of an event, or nil to write no `time`.
    private let clock: (@Sendable () -> Date)?

    /// - Parameters:
    ///   - level: the lowest level written.
    ///   - metadata: the handler's own metadata, the lowest layer.
    ///   - clock: when given, each line starts with `time=` in RFC 3339 UTC with milliseconds.
    ///   - output: receives each line, without a newline.
    public init(
        level: Logger.Level = .info, metadata: Logger.Metadata = [:], clock: (@Sendable () -> Date)? = nil,
        output: @escaping @Sendable (String) -> Void
    ) {
        self.logLevel = level
        self.handlerMetadata = metadata
        self.clock = clock
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Logger checks the level before calling; a handler reached some other way checks here.
        guard event.level >= logLevel else { return }
        var merged = handlerMetadata
        merged.merge(metadata) { _, logger in logger }
        if let callSite = event.metadata { merged.merge(callSite) { _, callSite in callSite } }
        if let error = event.error, merged["error"] == nil { merged["error"] = .string("\(error)") }
        let time = clock.map { Self.timestamp($0()) }
        output(Logfmt.line(level: event.level, message: event.message.description, metadata: merged, time: time))
    }

    /// `2026-12-06T16:44:21.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
}
