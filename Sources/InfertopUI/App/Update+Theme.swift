/// `:theme NAME` switches to a built-in theme; `:theme` alone lists them, the one in use marked.
///
/// The switch itself is an effect: the runner gives the theme to the terminal, which
/// re-resolves its colours and redraws everything. Nothing on the model but the name changes,
/// because views draw roles, never colours.
func switchTheme(_ model: inout Model, to requested: String?) -> [Effect] {
    guard let requested else {
        let names = BuiltInThemes.names.map { $0 == model.themeName ? "[\($0)]" : $0 }
        model.status = StatusMessage("themes: \(names.joined(separator: " ")); :theme NAME switches")
        return []
    }
    let name = requested.lowercased()
    guard let theme = BuiltInThemes.theme(named: name) else {
        let files = requested.contains("/") || requested.hasSuffix(".toml") ? " (files load with --theme FILE)" : ""
        model.status = StatusMessage(
            "no theme '\(requested)'\(files): use \(BuiltInThemes.nameList)", isError: true)
        return []
    }
    model.themeName = name
    model.status = StatusMessage("theme \(name)")
    return [.theme(theme)]
}
