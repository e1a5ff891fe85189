import InfertopCore

/// Where a replay stands, as its scrub line shows it: the playhead, the length, the speed,
/// playing or paused, and the wall-clock time of the frame.
public struct ReplayStatus: Sendable, Hashable {
    /// Seconds from the start of the recording.
    public var position: Double
    /// Seconds from the start to the last readable moment.
    public var length: Double
    /// Recorded seconds per real second.
    public var speed: Double
    public var isPlaying: Bool
    /// Unix time of position 0: a frame's wall-clock time is this plus its position.
    public var startUnixTime: Double
    /// Where the file stops being readable, when it is cut or damaged (`recording cut at ...`).
    public var cut: String?

    public init(
        position: Double = 0, length: Double, speed: Double = 1, isPlaying: Bool = true, startUnixTime: Double,
        cut: String? = nil
    ) {
        self.position = position
        self.length = length
        self.speed = speed
        self.isPlaying = isPlaying
        self.startUnixTime = startUnixTime
        self.cut = cut
    }

    /// The slowest and fastest speeds `[` and `]` reach.
    public static let speeds: ClosedRange<Double> = 1.0 / 16...64

    /// Wall-clock time of the frame, as the dashboard writes clock times (UTC time of day).
    public var clock: String { Format.clock(startUnixTime + position) }

    /// `1/4x`, `1x`, `16x`.
    public var speedText: String {
        speed >= 1 ? "\(Int(speed.rounded()))x" : "1/\(Int((1 / speed).rounded()))x"
    }
}

/// What a replay key or command asks the replay runner to do.
public enum ReplayRequest: Sendable, Hashable {
    case togglePlay
    /// Move the playhead by this many seconds (negative: back).
    case step(by: Double)
    case jump(to: ReplayTarget)
    /// Multiply the speed (0.5 halves it), kept within `ReplayStatus.speeds`.
    case speed(times: Double)
    case setSpeed(Double)
}

/// Read-only reason of a replay.
extension ReadOnlyReason {
    public static let replay = "read-only: a replay shows what was recorded and changes nothing"
}
