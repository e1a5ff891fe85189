import InfertopCore

/// One thing that reaches the merger of an `AgentsFeed`: the agents it starts with, a connection
/// state change, a message from an agent, what a fleet source (Prometheus) delivered, or the
/// half-second tick that turns silence into staleness.
///
/// The live feed and a replay both turn these into `ClusterUpdate`s with `ClusterMerger.fold`, so
/// the same inputs at the same times give the same updates: this is what a recording holds.
public enum FeedInput: Sendable {
    /// The feed starts: every agent it will follow, all `connecting`.
    case start(sources: [String])
    case status(SourceStatus)
    case message(Infertop_V1_Update, from: String, version: String)
    /// A fleet source's refresh, connection change or history, from the source at that address.
    case fleet(FleetEvent, from: String)
    case tick
}

extension ClusterMerger {
    /// Folds one input received at `now` (seconds on the feed's clock) into an update.
    public mutating func fold(_ input: FeedInput, now: Double) -> ClusterUpdate {
        switch input {
        case .start(let sources):
            return start(sources: sources, now: now)
        case .status(let status):
            return receive(status, now: now)
        case .message(let message, let address, let version):
            return receive(message, from: address, version: version, now: now)
        case .fleet(let event, let address):
            return receive(event, from: address, now: now)
        case .tick:
            return tick(now: now)
        }
    }
}

/// The feed's clock: whole microseconds since the feed started, strictly increasing.
///
/// Strictly increasing, so every update has a time of its own and "every update received at or
/// before T" names exactly one prefix of the stream; whole microseconds, so a recording keeps the
/// time exactly and a replay hands the merger the very same `Double`.
public struct FeedClock: Sendable {
    private var last: Int64 = -1

    public init() {}

    /// The next time stamp: `elapsed` in microseconds, or one past the previous stamp.
    public mutating func stamp(elapsed: Duration) -> Int64 {
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        last = max(micros, last + 1)
        return last
    }

    /// Seconds on the feed's clock for a stamp, as the merger receives them.
    public static func seconds(_ micros: Int64) -> Double { Double(micros) / 1_000_000 }

    /// The stamp of a time in seconds (the inverse of `seconds`).
    public static func micros(_ seconds: Double) -> Int64 { Int64((seconds * 1_000_000).rounded()) }
}
