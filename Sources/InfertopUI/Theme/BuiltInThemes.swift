/// The themes shipped in `themes/`, embedded in the binary so that `--theme light` and
/// `:theme light` work from any directory and in an installed binary.
///
/// The TOML files are the one source of truth: `scripts/embed-themes.sh` copies them into
/// `BuiltInThemes+Embedded.swift`, and a test fails when the two differ. `Theme.default` is
/// the embedded `default.toml`; every other built-in theme is read over it.
public enum BuiltInThemes {
    /// Every built-in theme's name (its file name without `.toml`): the default first, then
    /// the others alphabetically.
    public static let names: [String] = {
        let others = embedded.map(\.name).filter { $0 != defaultName }.sorted()
        return [defaultName] + others
    }()

    /// The name of the theme used when none is chosen.
    public static let defaultName = "default"

    /// The built-in theme called `name`, or nil when there is none.
    public static func theme(named name: String) -> Theme? {
        name == defaultName ? .default : parsed[name]
    }

    /// The TOML text of the built-in theme called `name`, exactly as in `themes/`.
    public static func source(named name: String) -> String? {
        embedded.first { $0.name == name }?.toml
    }

    /// The names as a list for messages: `default, catppuccin-mocha, ...`.
    public static var nameList: String { names.joined(separator: ", ") }

    /// Every theme but the default, parsed once over the default.
    private static let parsed: [String: Theme] = {
        var themes: [String: Theme] = [:]
        for (name, toml) in embedded where name != defaultName {
            themes[name] = parseEmbedded(toml, name: name, over: .default)
        }
        return themes
    }()

    /// Parses an embedded theme; a broken one is a build mistake that the tests catch, so it stops.
    static func parseEmbedded(_ toml: String, name: String, over base: Theme) -> Theme {
        do {
            return try Theme.parse(toml, file: "themes/\(name).toml", over: base)
        } catch {
            fatalError("built-in theme \(error); fix themes/\(name).toml, then run scripts/embed-themes.sh")
        }
    }
}

extension Theme {
    /// The built-in theme, `themes/default.toml` as embedded in the binary: a calm palette for
    /// dark terminals that keeps the terminal's own background.
    ///
    /// It is read over a blank theme, so `default.toml` must name every role (a test checks).
    public static let `default`: Theme = {
        guard let toml = BuiltInThemes.source(named: BuiltInThemes.defaultName) else {
            fatalError("themes/default.toml is not embedded; run scripts/embed-themes.sh")
        }
        let blank = Theme { _ in ThemeColor(fg: RGB(0xFF, 0xFF, 0xFF)) }
        return BuiltInThemes.parseEmbedded(toml, name: BuiltInThemes.defaultName, over: blank)
    }()
}
