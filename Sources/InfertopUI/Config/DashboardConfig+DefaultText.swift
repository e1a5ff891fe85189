extension DashboardConfig {
    /// The commented default config, as `infertop config --print-default` prints it: every key
    /// with its default value, written from the defaults themselves so it cannot drift from them.
    public static var defaultText: String {
        let defaults = DashboardConfig()
        let display = defaults.display
        let wall = defaults.wall
        let views = ViewKind.allCases.map(\.rawValue).joined(separator: ", ")
        let refresh = DisplaySettings.refreshRange
        let cycle = WallSettings.cycleRange
        return """
            # infertop configuration (TOML). infertop reads $XDG_CONFIG_HOME/infertop/config.toml, else
            # ~/.config/infertop/config.toml, or the file given with --config. Every section and key is
            # optional, and command-line flags win over this file. `infertop config --check FILE` checks one.

            [sources]
            # The agents to watch when the command line names none (--agents), as HOST:PORT.
            agents = [\(defaults.sources.agents.map(quoted).joined(separator: ", "))]
            # Or a cluster file naming the agents and their tokens (relative paths: from this file's folder).
            # cluster = "/etc/infertop/cluster.toml"
            # The agent that coordinates operations; default: the cluster file's controller, else the first agent.
            # controller = "10.0.0.7:50051"

            [display]
            # A theme name or a theme file (TOML, see themes/default.toml), as --theme takes it.
            theme = \(quoted(display.theme ?? "default"))
            # Colours: "auto", "256", "8" or "none".
            colors = \(quoted(display.colors.rawValue))
            # Draw with ASCII only (automatic without a UTF-8 locale).
            ascii = \(display.ascii)
            # The shortest time between two frames of the live dashboard (\(DurationText.format(refresh.lowerBound)) to \(DurationText.format(refresh.upperBound))).
            refresh = \(quoted(DurationText.format(display.refresh)))

            [wall]
            # How long `infertop wall` shows each view before the next, while no culprit holds it (\(DurationText.format(cycle.lowerBound)) to \(DurationText.format(cycle.upperBound))).
            cycle = \(quoted(DurationText.format(wall.cycle)))
            # The views it cycles through, in order: any of \(views).
            views = [\(wall.views.map { quoted($0.rawValue) }.joined(separator: ", "))]

            [keys]
            # action = "key", or a list of keys. A key is one character ("q" and "Q" differ), F1-F12, ^C,
            # or \(Key.namedKeys.map(\.name).joined(separator: ", ")).
            # A key runs one action wherever it applies: binding a key that another action still has is
            # an error. A view's own extra keys (Backspace and Enter close the waterfall) stay as they are.
            # \(Action.allCases.filter(\.isMutating).map(\.rawValue).joined(separator: ", ")) change the cluster: no key runs them, type :drain and so on.
            \(keyLines(defaults.keymap))

            """
    }

    private static func keyLines(_ keymap: Keymap) -> String {
        var lines: [String] = []
        for action in Action.allCases where !action.isMutating {
            let keys = keymap.primaryKeys(of: action)
            let value =
                keys.count == 1 ? quoted(keys[0].name) : "[\(keys.map { quoted($0.name) }.joined(separator: ", "))]"
            let assignment = "\(action.rawValue) = \(value)"
            let help =
                keymap.bindings.first { $0.action == action && $0.context == .global }?.help
                ?? keymap.bindings.first { $0.action == action }?.help ?? ""
            let padding = String(repeating: " ", count: max(1, 28 - assignment.count))
            lines.append(assignment + padding + "# " + help)
        }
        return lines.joined(separator: "\n")
    }

    /// A TOML basic string.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingBackslashesAndQuotes() + "\""
    }
}

extension String {
    fileprivate func replacingBackslashesAndQuotes() -> String {
        var result = ""
        for c in self {
            if c == "\\" || c == "\"" { result.append("\\") }
            result.append(c)
        }
        return result
    }
}
