import ArgumentParser
import Foundation
import InfertopWire
import Logging

/// `--record FILE` and `--record-max SIZE`, for every command that shows a live feed.
///
/// A command adds it with `@OptionGroup var recording: RecordingOptions`, then
/// `feed.recorder = try recording.start(source:)` before running and `recording.finish(feed.recorder)` after.
struct RecordingOptions: ParsableArguments {
    @Option(help: "Record what the dashboard receives to FILE, for `infertop replay FILE`.")
    var record: String?

    @Option(
        help:
            "Rotate the recording past SIZE (e.g. 100M, 1G; at least 1M): FILE moves to FILE.1, replacing it, and a new FILE starts."
    )
    var recordMax: String?

    @Option(help: .hidden)
    var frameLog: String?

    mutating func validate() throws {
        if recordMax != nil && record == nil { throw ValidationError("--record-max needs --record FILE") }
        if let recordMax {
            guard let bytes = Self.parseSize(recordMax) else {
                throw ValidationError("--record-max must be a size such as 100M or 1G, got '\(recordMax)'")
            }
            guard bytes >= 1 << 20 else {
                throw ValidationError("--record-max must be at least 1M, got '\(recordMax)'")
            }
        }
    }

    /// `512K`, `100M`, `1G`, `1.5G`, or plain bytes; binary units (1M = 1,048,576 bytes).
    static func parseSize(_ text: String) -> Int? {
        let t = text.uppercased().replacingOccurrences(of: "IB", with: "").replacingOccurrences(of: "B", with: "")
        let units: [Character: Double] = ["K": 1_024, "M": 1_048_576, "G": 1_073_741_824, "T": 1_099_511_627_776]
        var number = t
        var scale = 1.0
        if let last = t.last, let unit = units[last] {
            scale = unit
            number = String(t.dropLast())
        }
        guard let value = Double(number), value > 0, value.isFinite, value * scale < 1e15 else { return nil }
        return Int(value * scale)
    }

    /// The recorder for `--record`, its file created now; nil without the flag.
    func start(source: String) throws -> FeedRecorder? {
        guard let record else { return nil }
        do {
            return try FeedRecorder(path: record, source: source, maxBytes: recordMax.flatMap(Self.parseSize))
        } catch {
            throw UsageFailure(message: "--record: \(error)")
        }
    }

    /// The hidden `--frame-log FILE` that tests use to name a frame's time exactly.
    func openFrameLog() throws -> FrameLog? { try frameLog.map { try FrameLog(path: $0) } }

    /// Writes the last chunk and closes the file; logs a warning if recording stopped early.
    func finish(_ recorder: FeedRecorder?) {
        guard let recorder else { return }
        recorder.close()
        if let failure = recorder.failure {
            Logger(label: "infertop").warning("recording stopped early", metadata: ["error": "\(failure)"])
        }
    }
}
