import InfertopCore
import TOMLKit

extension DashboardConfig {
    /// The sections a config file may have, and the keys of each but `[keys]` (whose keys are actions).
    static let sectionKeys: [(section: String, keys: [String])] = [
        ("sources", ["agents", "cluster", "controller"]),
        ("display", ["theme", "colors", "ascii", "refresh"]),
        ("wall", ["cycle", "views"]),
        ("keys", [])
    ]

    /// Parses config TOML; see `defaultText` for every section and key.
    ///
    /// Mistakes are reported in file order, the first one thrown: TOML syntax, an unknown section
    /// or key, a wrong type or value, an unknown action or key name in `[keys]`, and a key that
    /// would run two actions.
    /// - Parameter file: the name used in error messages.
    /// - Throws: `ConfigError` naming the file, line, section and key.
    public static func parse(_ text: String, file: String) throws -> DashboardConfig {
        let table: TOMLTable
        let locator: TOMLKeyLocator
        do {
            (table, locator) = try TOMLKeyLocator.parse(text)
        } catch {
            throw ConfigError(
                file: file, line: error.line, key: error.key, problem: error.problem,
                hint: "write key = \"text\", key = true or key = [\"a\", \"b\"] under a [section] header")
        }
        var config = DashboardConfig()
        for name in locator.inFileOrder(table.keys, section: "") {
            let site = ConfigSite(file: file, locator: locator, section: "", key: name)
            guard let known = sectionKeys.first(where: { $0.section == name }) else {
                if let home = sectionKeys.first(where: { $0.keys.contains(name) }) {
                    throw site.error("key outside its section", hint: "put \(name) under [\(home.section)]")
                }
                throw ConfigError(
                    file: file, line: locator.line(ofSection: name), section: name, key: nil,
                    problem: "unknown section", hint: "the sections are \(sectionList)")
            }
            guard let values = table[name]?.table else {
                throw site.error(
                    "expected a section, not \(describe(table[name]!.type))", hint: "write [\(name)] on its own line")
            }
            if name != "keys" {
                for key in locator.inFileOrder(values.keys, section: name) where !known.keys.contains(key) {
                    throw site.inSection(name, key).error(
                        "unknown key", hint: "[\(name)] has \(known.keys.joined(separator: ", "))")
                }
            }
            let read = SectionReader(values: values, file: file, locator: locator, section: name)
            switch name {
            case "sources": config.sources = try read.sources()
            case "display": config.display = try read.display()
            case "wall": config.wall = try read.wall()
            default: config.keymap = try read.keymap()
            }
        }
        return config
    }

    private static var sectionList: String { sectionKeys.map { "[\($0.section)]" }.joined(separator: ", ") }
}

/// Where a config mistake is, so each check builds its `ConfigError` in one call.
struct ConfigSite {
    var file: String
    var locator: TOMLKeyLocator
    var section: String
    var key: String

    var line: Int? { locator.line(of: key, in: section) }

    func inSection(_ section: String, _ key: String) -> ConfigSite {
        ConfigSite(file: file, locator: locator, section: section, key: key)
    }

    func error(_ problem: String, hint: String) -> ConfigError {
        ConfigError(file: file, line: line, section: section, key: key, problem: problem, hint: hint)
    }

    func wrongType(_ expected: String, _ value: TOMLValueConvertible, example: String) -> ConfigError {
        error("expected \(expected), not \(describe(value.type))", hint: "write \(example)")
    }
}

/// Reads one section's values into its settings, checking each.
private struct SectionReader {
    var values: TOMLTable
    var file: String
    var locator: TOMLKeyLocator
    var section: String

    func site(_ key: String) -> ConfigSite { ConfigSite(file: file, locator: locator, section: section, key: key) }

    /// The keys present, in file order.
    var keys: [String] { locator.inFileOrder(values.keys, section: section) }

    func string(_ key: String, example: String) throws -> String? {
        guard let value = values[key] else { return nil }
        guard let text = value.string else { throw site(key).wrongType("a string", value, example: example) }
        guard !text.isEmpty else { throw site(key).error("is empty", hint: "write \(example), or leave the key out") }
        return text
    }

    func strings(_ key: String, example: String) throws -> [String]? {
        guard let value = values[key] else { return nil }
        guard let array = value.array else { throw site(key).wrongType("a list of strings", value, example: example) }
        return try array.map { item in
            guard let text = item.string else { throw site(key).wrongType("a list of strings", item, example: example) }
            return text
        }
    }

    func duration(_ key: String, in range: ClosedRange<Duration>, example: String) throws -> Duration? {
        guard let text = try string(key, example: example) else { return nil }
        let bounds = "\(DurationText.format(range.lowerBound)) to \(DurationText.format(range.upperBound))"
        guard let duration = DurationText.parse(text) else {
            throw site(key).error(
                "\"\(text)\" is not a duration", hint: "write a number and ms, s, m or h, e.g. \(example)")
        }
        guard range.contains(duration) else {
            throw site(key).error("\"\(text)\" is out of range", hint: "choose from \(bounds)")
        }
        return duration
    }

    func sources() throws -> SourceSettings {
        var sources = SourceSettings()
        for key in keys {
            switch key {
            case "agents":
                let agents = try strings(key, example: "agents = [\"10.0.0.7:50051\", \"node-08:50051\"]") ?? []
                for agent in agents {
                    if case .failure(let error) = HostPort.parse(agent) {
                        throw site(key).error(
                            "\"\(agent)\" is not HOST:PORT: \(error.reason)",
                            hint: "write e.g. \"10.0.0.7:50051\" or \"[fe80::1]:50051\"")
                    }
                }
                sources.agents = agents
            case "cluster":
                sources.cluster = try string(key, example: "cluster = \"/etc/infertop/cluster.toml\"")
            default:
                let controller = try string(key, example: "controller = \"10.0.0.7:50051\"")
                if let controller, case .failure(let error) = HostPort.parse(controller) {
                    throw site(key).error(
                        "\"\(controller)\" is not HOST:PORT: \(error.reason)", hint: "write e.g. \"10.0.0.7:50051\"")
                }
                sources.controller = controller
            }
            if !sources.agents.isEmpty, sources.cluster != nil {
                throw site(key).error("agents and cluster both name the agents", hint: "keep one of them")
            }
        }
        return sources
    }

    func display() throws -> DisplaySettings {
        var display = DisplaySettings()
        for key in keys {
            switch key {
            case "theme":
                // "default" is the built-in theme, as no theme at all.
                let theme = try string(key, example: "theme = \"default\" or a file, theme = \"~/my-theme.toml\"")
                display.theme = theme == "default" ? nil : theme
            case "colors":
                let names = ColorSetting.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                guard let text = try string(key, example: "colors = \"256\" (one of \(names))") else { continue }
                guard let colors = ColorSetting(rawValue: text) else {
                    throw site(key).error("\"\(text)\" is not a colour depth", hint: "write one of \(names)")
                }
                display.colors = colors
            case "ascii":
                guard let value = values[key] else { continue }
                guard let ascii = value.bool else {
                    throw site(key).wrongType("true or false", value, example: "ascii = true")
                }
                display.ascii = ascii
            default:
                if let refresh = try duration(key, in: DisplaySettings.refreshRange, example: "refresh = \"100ms\"") {
                    display.refresh = refresh
                }
            }
        }
        return display
    }

    func wall() throws -> WallSettings {
        var wall = WallSettings()
        for key in keys {
            switch key {
            case "cycle":
                if let cycle = try duration(key, in: WallSettings.cycleRange, example: "cycle = \"20s\"") {
                    wall.cycle = cycle
                }
            default:
                let names = WallSettings.cyclable.map(\.rawValue).joined(separator: ", ")
                let example = "views = [\"overview\", \"requests\", \"interconnect\"]"
                guard let texts = try strings(key, example: example) else { continue }
                var views: [ViewKind] = []
                for text in texts {
                    guard let view = ViewKind(rawValue: text), WallSettings.cyclable.contains(view) else {
                        throw site(key).error(
                            "\"\(text)\" is not a view the wall shows", hint: "the views are \(names)")
                    }
                    guard !views.contains(view) else {
                        throw site(key).error("\"\(text)\" is listed twice", hint: "name each view once")
                    }
                    views.append(view)
                }
                guard !views.isEmpty else { throw site(key).error("names no view", hint: "write \(example)") }
                wall.views = views
            }
        }
        return wall
    }

    func keymap() throws -> Keymap {
        var remaps: [Action: [Key]] = [:]
        let bindable = Action.allCases.filter { !$0.isMutating }.map(\.rawValue).joined(separator: ", ")
        let example = "quit = \"Q\" or culprit = [\"c\", \"F2\"]"
        for name in keys {
            guard let action = Action(rawValue: name) else {
                throw site(name).error("unknown action", hint: "the actions are \(bindable)")
            }
            guard !action.isMutating else {
                throw site(name).error(
                    "\(name) changes the cluster, so no key runs it", hint: "type :\(name) in the dashboard instead")
            }
            guard let value = values[name] else { continue }
            let names: [String]
            if let one = value.string {
                names = [one]
            } else if let array = value.array {
                names = try array.map { item in
                    guard let text = item.string else {
                        throw site(name).wrongType("key names", item, example: example)
                    }
                    return text
                }
            } else {
                throw site(name).wrongType("a key name or a list of them", value, example: example)
            }
            guard !names.isEmpty else {
                throw site(name).error("has no key", hint: "every action keeps at least one key")
            }
            remaps[action] = try names.map { text in
                guard let key = Key(name: text) else {
                    let named = Key.namedKeys.map(\.name).joined(separator: ", ")
                    throw site(name).error(
                        "\"\(text)\" is not a key name",
                        hint: "write one character (\"q\", \"Q\"), F1-F12, ^C, or \(named)")
                }
                return key
            }
        }
        let keymap = Keymap.default.remapped(remaps)
        try checkClashes(keymap, rebound: Set(remaps.keys))
        return keymap
    }

    /// Throws for the clash whose later line comes first: of two rebound actions that collide,
    /// the one written second is the mistake.
    private func checkClashes(_ keymap: Keymap, rebound: Set<Action>) throws {
        func line(_ action: Action) -> Int { locator.line(of: action.rawValue, in: section) ?? Int.max }
        let reported = keymap.clashes(rebound: rebound).map { clash in
            rebound.contains(clash.other) && line(clash.other) > line(clash.action)
                ? Keymap.Clash(action: clash.other, key: clash.key, other: clash.action) : clash
        }
        guard let first = reported.min(by: { line($0.action) < line($1.action) }) else { return }
        let help = keymap.bindings.first { $0.action == first.other }?.help ?? ""
        throw site(first.action.rawValue).error(
            "\"\(first.key.name)\" is already bound to \(first.other.rawValue) (\(help))",
            hint: "choose another key, or bind \(first.other.rawValue) to a different key in [keys]")
    }
}
