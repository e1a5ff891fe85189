import InfertopTOML

/// A mistake in the dashboard's config file, located by file, line, section and key.
///
/// Its description is one line, `FILE:LINE: [section] key: PROBLEM; WHAT TO DO`, so an editor
/// can jump to it and the operator knows the fix without opening the documentation.
public struct ConfigError: FileLineError, Sendable, Hashable {
    /// The config file as the user named it (or the default path).
    public var file: String
    /// The 1-based line of the mistake; nil when the file could not be read at all.
    public var line: Int?
    /// The section (`keys`), or "" for the top level.
    public var section = ""
    /// The key as written in the file; nil when no key could be named.
    public var key: String?
    /// What is wrong.
    public var problem: String
    /// What to do about it.
    public var hint: String

    public var description: String {
        location + (section.isEmpty ? "" : "[\(section)] ") + (key.map { "\($0): " } ?? "") + problem + "; " + hint
    }
}

extension ConfigError {
    /// A mistake the decoding found, in the config file's words.
    init(_ mistake: TOMLMistake, file: String) {
        let name = mistake.keys.first ?? ""
        let (section, key) = mistake.keys.count > 1 ? (name, mistake.keys[1]) : ("", mistake.key)
        let expected =
            DashboardConfigFile.expected["\(section).\(key ?? "")"] ?? DashboardConfigFile.expected[section]
            ?? ("another type", "a value")
        self.init(file: file, line: mistake.line, section: section, key: key, problem: "", hint: "")
        switch mistake.kind {
        case .syntax(let description):
            problem = "TOML syntax: \(description)"
            hint = "write key = \"text\", key = true or key = [\"a\", \"b\"] under a [section] header"
        case .unknownKey(let known, let suggestion) where !section.isEmpty:
            let near = suggestion.map { "did you mean \($0)? " } ?? ""
            (problem, hint) = ("unknown key", "\(near)[\(section)] has \(known.joined(separator: ", "))")
        case .unknownKey(_, let suggestion):
            if let home = DashboardConfig.sectionKeys.first(where: { $0.keys.contains(name) }) {
                (problem, hint) = ("key outside its section", "put \(name) under [\(home.section)]")
            } else {
                let near = suggestion.map { "did you mean [\($0)]? " } ?? ""
                let sections = DashboardConfig.sectionKeys.map { "[\($0.section)]" }.joined(separator: ", ")
                (self.section, self.key) = (name, nil)
                (problem, hint) = ("unknown section", "\(near)the sections are \(sections)")
            }
        case .wrongType(let found) where section.isEmpty:
            (problem, hint) = ("expected a section, not \(found)", "write [\(name)] on its own line")
        case .wrongType(let found):
            let what = section == "keys" && mistake.inList ? "key names" : expected.what
            (problem, hint) = ("expected \(what), not \(found)", "write \(expected.example)")
        case .missing:
            (problem, hint) = ("is missing", "write \(expected.example)")
        }
    }
}
