import InfertopTOML

/// The dashboard's config file as TOML writes it, decoded before its values are checked and
/// converted into `DashboardConfig`.
struct DashboardConfigFile: TOMLTableShape {
    var sources: SourcesFile?, display: DisplayFile?, wall: WallFile?
    /// `[keys]`: action = a key name or a list of them.
    var keys: [String: TOMLOneOrMany<String>]?

    enum CodingKeys: String, TOMLKeys { case sources, display, wall, keys }

    static var nestedTables: [CodingKeys: any TOMLTableShape.Type] {
        [.sources: SourcesFile.self, .display: DisplayFile.self, .wall: WallFile.self]
    }

    /// What each key holds and how to write it, for a wrong type or an empty value.
    static let expected: [String: (what: String, example: String)] = [
        "sources.agents": ("a list of strings", "agents = [\"10.0.0.7:50051\", \"node-08:50051\"]"),
        "sources.cluster": ("a string", "cluster = \"/etc/infertop/cluster.toml\""),
        "sources.controller": ("a string", "controller = \"10.0.0.7:50051\""),
        "display.theme": ("a string", "theme = \"default\" or a file, theme = \"~/my-theme.toml\""),
        "display.colors": ("a string", "colors = \"256\" (one of \(colorNames))"),
        "display.ascii": ("true or false", "ascii = true"),
        "display.refresh": ("a string", "refresh = \"100ms\""),
        "wall.cycle": ("a string", "cycle = \"20s\""),
        "wall.views": ("a list of strings", "views = [\"overview\", \"requests\", \"interconnect\"]"),
        "keys": ("a key name or a list of them", "quit = \"Q\" or culprit = [\"c\", \"F2\"]")
    ]

    /// `"auto", "256", "8", "none"`.
    static let colorNames = ColorSetting.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
}

/// `[sources]`.
struct SourcesFile: TOMLTableShape {
    var agents: [String]?, cluster: String?, controller: String?

    enum CodingKeys: String, TOMLKeys { case agents, cluster, controller }
}

/// `[display]`.
struct DisplayFile: TOMLTableShape {
    var theme: String?, colors: String?, ascii: Bool?, refresh: String?

    enum CodingKeys: String, TOMLKeys { case theme, colors, ascii, refresh }
}

/// `[wall]`.
struct WallFile: TOMLTableShape {
    var cycle: String?, views: [String]?

    enum CodingKeys: String, TOMLKeys { case cycle, views }
}
