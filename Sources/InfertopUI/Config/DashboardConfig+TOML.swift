import InfertopTOML

extension DashboardConfig {
    /// The sections a config file may have, and the keys of each but `[keys]` (whose keys are actions).
    static var sectionKeys: [(section: String, keys: [String])] {
        [("sources", SourcesFile.keys), ("display", DisplayFile.keys), ("wall", WallFile.keys), ("keys", [])]
    }

    /// Parses config TOML; see `defaultText` for every section and key.
    ///
    /// The first mistake is thrown: TOML syntax; else the first unknown section or key in the
    /// file; else a value of the wrong type; else, section by section, a wrong value, an unknown
    /// action or key name in `[keys]`, or a key that would run two actions.
    /// - Parameter file: the name used in error messages.
    /// - Throws: `ConfigError` naming the file, line, section and key.
    public static func parse(_ text: String, file: String) throws -> DashboardConfig {
        let (shape, document) = try TOMLDocument.decode(DashboardConfigFile.self, from: text) {
            ConfigError($0, file: file)
        }
        let reader = ConfigReader(document: document, file: file)
        var config = DashboardConfig()
        if let sources = shape.sources { config.sources = try reader.sources(sources) }
        if let display = shape.display { config.display = try reader.display(display) }
        if let wall = shape.wall { config.wall = try reader.wall(wall) }
        if let keys = shape.keys { config.keymap = try reader.keymap(keys) }
        return config
    }
}
