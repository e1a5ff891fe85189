import InfertopCore
import InfertopTOML

/// Checks the values of the decoded sections and converts them into settings, naming the file,
/// line, section and key of a value that is wrong (the decoding has checked the types).
struct ConfigReader {
    var document: TOMLDocument
    var file: String

    func error(_ section: String, _ key: String, _ problem: String, hint: String) -> ConfigError {
        ConfigError(
            file: file, line: document.line(of: [section, key]), section: section, key: key, problem: problem,
            hint: hint)
    }

    func sources(_ values: SourcesFile) throws -> SourceSettings {
        var sources = SourceSettings()
        for agent in values.agents ?? [] {
            try hostPort(agent, "agents", hint: "write e.g. \"10.0.0.7:50051\" or \"[fe80::1]:50051\"")
        }
        sources.agents = values.agents ?? []
        sources.cluster = try nonEmpty(values.cluster, "sources", "cluster")
        sources.controller = try nonEmpty(values.controller, "sources", "controller")
        if let controller = sources.controller {
            try hostPort(controller, "controller", hint: "write e.g. \"10.0.0.7:50051\"")
        }
        if !sources.agents.isEmpty, sources.cluster != nil {
            // The one written second is the mistake.
            let line = { (key: String) in document.line(of: ["sources", key]) ?? 0 }
            let later = line("cluster") > line("agents") ? "cluster" : "agents"
            throw error("sources", later, "agents and cluster both name the agents", hint: "keep one of them")
        }
        return sources
    }

    func display(_ values: DisplayFile) throws -> DisplaySettings {
        var display = DisplaySettings()
        // "default" is the built-in theme, as no theme at all.
        let theme = try nonEmpty(values.theme, "display", "theme")
        display.theme = theme == "default" ? nil : theme
        if let text = try nonEmpty(values.colors, "display", "colors") {
            guard let colors = ColorSetting(rawValue: text) else {
                throw error(
                    "display", "colors", "\"\(text)\" is not a colour depth",
                    hint: "write one of \(DashboardConfigFile.colorNames)")
            }
            display.colors = colors
        }
        display.ascii = values.ascii ?? display.ascii
        display.refresh =
            try duration(values.refresh, "display", "refresh", in: DisplaySettings.refreshRange) ?? display.refresh
        return display
    }

    func wall(_ values: WallFile) throws -> WallSettings {
        var wall = WallSettings()
        wall.cycle = try duration(values.cycle, "wall", "cycle", in: WallSettings.cycleRange) ?? wall.cycle
        guard let texts = values.views else { return wall }
        var views: [ViewKind] = []
        for text in texts {
            guard let view = ViewKind(rawValue: text), WallSettings.cyclable.contains(view) else {
                let names = WallSettings.cyclable.map(\.rawValue).joined(separator: ", ")
                throw error("wall", "views", "\"\(text)\" is not a view the wall shows", hint: "the views are \(names)")
            }
            guard !views.contains(view) else {
                throw error("wall", "views", "\"\(text)\" is listed twice", hint: "name each view once")
            }
            views.append(view)
        }
        guard !views.isEmpty else {
            throw error("wall", "views", "names no view", hint: "write \(example("wall", "views"))")
        }
        wall.views = views
        return wall
    }

    /// `text`, which must not be empty when written.
    private func nonEmpty(_ text: String?, _ section: String, _ key: String) throws -> String? {
        if text?.isEmpty == true {
            throw error(section, key, "is empty", hint: "write \(example(section, key)), or leave the key out")
        }
        return text
    }

    private func duration(
        _ text: String?, _ section: String, _ key: String, in range: ClosedRange<Duration>
    ) throws -> Duration? {
        guard let text = try nonEmpty(text, section, key) else { return nil }
        guard let duration = DurationText.parse(text) else {
            throw error(
                section, key, "\"\(text)\" is not a duration",
                hint: "write a number and ms, s, m or h, e.g. \(example(section, key))")
        }
        guard range.contains(duration) else {
            let bounds = "\(DurationText.format(range.lowerBound)) to \(DurationText.format(range.upperBound))"
            throw error(section, key, "\"\(text)\" is out of range", hint: "choose from \(bounds)")
        }
        return duration
    }

    private func hostPort(_ text: String, _ key: String, hint: String) throws {
        if case .failure(let failure) = HostPort.parse(text) {
            throw error("sources", key, "\"\(text)\" is not HOST:PORT: \(failure.reason)", hint: hint)
        }
    }

    private func example(_ section: String, _ key: String) -> String {
        DashboardConfigFile.expected["\(section).\(key)"]?.example ?? ""
    }
}
