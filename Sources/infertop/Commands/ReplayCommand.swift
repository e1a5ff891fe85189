import ArgumentParser
import Foundation
import InfertopUI
import InfertopWire
import Logging

/// `infertop replay FILE`: the whole dashboard on a recording's time, with a scrub line.
struct ReplayCommand: AsyncParsableCommand, DashboardLogging {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recording made with --record: the full dashboard on recorded time.",
        discussion: """
            space plays or pauses, left/right go 10 s back or on, [ and ] halve or double the speed, \
            :goto 02:14:30 (clock time, UTC) or :goto 90 (seconds from the start) jumps, :speed 4 sets the \
            speed. Nothing can change the cluster from a replay. A cut or damaged file replays up to the damage.
            """
    )

    @Argument(help: "The recording (FILE, or FILE.1 for the one before the last rotation).")
    var file: String

    @OptionGroup var display: DisplayOptions
    @OptionGroup var logging: DashboardLogOptions

    @Option(help: "Where to start: seconds from the start (90) or a clock time (02:14:30).")
    var at: String = "0"

    @Option(help: "Recorded seconds per real second (1/16 to 64).")
    var speed: Double = 1

    mutating func validate() throws {
        guard ReplayStatus.speeds.contains(speed) else {
            throw ValidationError("--speed must be from 0.0625 (1/16) to 64, got \(speed)")
        }
    }

    func run() async throws {
        let theme = try display.loadTheme()
        let recording = try RecordingLoader.open(file)
        let start = try RecordingLoader.position(at, in: recording)
        var runner = DashboardRunner(theme: theme, colors: display.colors.depth, forceASCII: display.ascii)
        runner.readOnlyReason = ReadOnlyReason.replay
        runner.control = ControlBridge(client: nil, unavailable: ReadOnlyReason.replay)
        let pump = ReplayPump(recording: recording, startAt: start, speed: speed)
        try await runner.runOnThread(pump: pump, source: recording.header.source)
        if let damage = recording.damage {
            Logger(label: "infertop").warning("\(damage.sentence)", metadata: ["file": "\(file)"])
        }
    }
}
