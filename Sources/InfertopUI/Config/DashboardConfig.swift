/// The dashboard's config file (`$XDG_CONFIG_HOME/infertop/config.toml`) as typed settings.
///
/// Every section is optional; what the file leaves out keeps the value of `DashboardConfig()`,
/// which is what infertop does with no file at all. Command-line flags win over these values.
public struct DashboardConfig: Sendable, Hashable {
    /// `[sources]`: the agents to watch when the command line names none.
    public var sources = SourceSettings()
    /// `[display]`: theme, colours, glyphs and the frame rate.
    public var display = DisplaySettings()
    /// `[wall]`: how `infertop wall` cycles its views.
    public var wall = WallSettings()
    /// `[keys]` applied over the built-in keymap.
    public var keymap = Keymap.default

    public init() {}
}

/// `[sources]`: where the dashboard finds agents when no `--agents` or `--cluster` is given.
public struct SourceSettings: Sendable, Hashable {
    /// `HOST:PORT` of each agent.
    public var agents: [String] = []
    /// A cluster file naming the agents and their tokens (relative to the config file's folder).
    public var cluster: String?
    /// The agent that coordinates operations (`HOST:PORT`).
    public var controller: String?

    public init() {}
}

/// `[display]`: the values the `--theme`, `--colors` and `--ascii` flags would give, and the
/// shortest time between two frames.
public struct DisplaySettings: Sendable, Hashable {
    /// A theme name or file, passed on as `--theme`'s value; nil for the built-in default.
    public var theme: String?
    public var colors: ColorSetting = .auto
    public var ascii = false
    /// The shortest time between two frames of the live dashboard.
    public var refresh: Duration = .milliseconds(100)
    /// The range `refresh` may take: from 60 frames a second to one every 5 s.
    public static let refreshRange: ClosedRange<Duration> = Duration.milliseconds(16)...Duration.seconds(5)

    public init() {}
}

/// Colour depth as the config file and `--colors` name it.
public enum ColorSetting: String, Sendable, Hashable, CaseIterable {
    case auto
    case full = "256"
    case eight = "8"
    case none

    /// The depth to force; nil lets the terminal decide.
    public var depth: ColorDepth? {
        switch self {
        case .auto: nil
        case .full: .full
        case .eight: .eight
        case .none: .mono
        }
    }
}
