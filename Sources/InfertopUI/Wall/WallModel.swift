import InfertopCore

/// What the wall display holds: the dashboard model it draws views from, which view the cycle
/// is on, and the clock that turns cluster time into the time of day.
///
/// The wall is read-only by construction: nothing in it sends a control call, and its keys do
/// nothing but quit (`wallUpdate`). Pure data, so every frame is a unit test.
public struct WallModel: Sendable {
    /// The dashboard model the views draw from (its size is set for each frame).
    public var dashboard: Model
    public var settings: WallSettings
    /// Index into `settings.views` of the view the cycle shows.
    public var cycleIndex = 0
    /// Wall time (seconds, any origin) at which the cycle last moved on.
    public var cycleSince: Double?
    /// Unix time of cluster time 0, and the local offset from UTC, for `NO DATA since 02:14:07`.
    public var clock: WallClock

    public init(
        size: Size, glyphs: Glyphs, depth: ColorDepth, source: String, settings: WallSettings = WallSettings(),
        clock: WallClock = WallClock()
    ) {
        dashboard = Model(size: size, glyphs: glyphs, depth: depth, source: source)
        dashboard.readOnlyReason = "the wall display is read-only"
        self.settings = settings
        self.clock = clock
    }

    public var size: Size { dashboard.size }
    /// The smallest pane the wall is laid out for (the compact layout, below 80x24).
    public static let minimumSize = Size(columns: 40, rows: 12)
    /// The view the cycle is on now.
    public var cycledView: ViewKind { settings.views[cycleIndex % max(1, settings.views.count)] }
}

/// How the wall cycles (`--cycle`, `--views`, the config file's `[wall]`): the views in turn,
/// each for `cycleSeconds`.
public struct WallSettings: Sendable, Hashable {
    /// How long each view stays before the next (while no culprit holds the wall).
    public var cycleSeconds: Double
    /// The views in the order shown; never empty.
    public var views: [ViewKind]

    public init(cycleSeconds: Double = 20, views: [ViewKind] = [.overview, .requests, .interconnect]) {
        self.cycleSeconds = cycleSeconds
        self.views = views.isEmpty ? [.overview] : views
    }

    /// `cycleSeconds` as a duration, as the config file writes it.
    public var cycle: Duration {
        get { .milliseconds(Int64((cycleSeconds * 1000).rounded())) }
        set { cycleSeconds = Double(newValue.components.seconds) + Double(newValue.components.attoseconds) / 1e18 }
    }

    /// The range `cycle` may take.
    public static let cycleRange: ClosedRange<Duration> = Duration.seconds(5)...Duration.seconds(3600)
    /// The views a wall may cycle through: those that read the cluster (not the operator's).
    public static let cyclable: [ViewKind] = [.overview, .memory, .interconnect, .requests, .shards]
}

/// Turns cluster time (seconds since the feed started) into a time of day.
public struct WallClock: Sendable, Hashable {
    /// Unix time at cluster time 0.
    public var epoch: Double
    /// Seconds east of UTC for the local time of day.
    public var utcOffset: Double

    public init(epoch: Double = 0, utcOffset: Double = 0) {
        self.epoch = epoch
        self.utcOffset = utcOffset
    }

    /// `02:14:07`, the local time of day at cluster time `t`; the cluster time itself when the
    /// epoch is unknown (a simulation's virtual clock).
    public func timeOfDay(_ t: Double) -> String {
        epoch > 0 ? Format.clock(epoch + t + utcOffset) : Format.clock(t)
    }
}
