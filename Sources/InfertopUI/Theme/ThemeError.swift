import InfertopTOML

/// A mistake in a theme file, located by file, line and key.
///
/// Its description is one line, `FILE:LINE: key 'KEY': PROBLEM (what to do)`, the shape
/// compilers use, so an editor or a terminal can jump to it and the user knows the fix
/// without opening the documentation.
public struct ThemeError: FileLineError, Sendable, Hashable {
    /// The theme file as the user named it.
    public var file: String
    /// The 1-based line of the mistake; nil when the file could not be read at all.
    public var line: Int?
    /// The key the mistake is in, as written in the file; nil when no key could be named.
    public var key: String?
    /// What is wrong.
    public var problem: String
    /// What to do about it.
    public var hint: String

    public var description: String { location + (key.map { "key '\($0)': " } ?? "") + problem + " (\(hint))" }
}

extension ThemeError {
    /// A mistake the decoding found, in the theme file's words.
    init(_ mistake: TOMLMistake, file: String) {
        let keys = mistake.keys
        // A field of an inline colour is named by its role's key.
        let key = keys.count > 2 ? keys[1] : mistake.key
        let (problem, hint): (String, String)
        switch mistake.kind {
        case .syntax(let description):
            (problem, hint) = (
                "TOML syntax: \(description)",
                "write colours as text = \"#D8DEE9\" or crit = { fg = \"#E0565B\", bold = true }"
            )
        case .unknownKey(_, let suggestion) where keys.count < 3:
            let near = suggestion.map { "did you mean '\($0)'? " } ?? ""
            let table = keys.dropLast().joined(separator: ".")
            (problem, hint) = (
                table.isEmpty ? "unknown top-level key" : "unknown key", near + ThemeFile.contents[table]!
            )
        case .unknownKey:
            (problem, hint) = ("unknown field '\(keys[2])'", "an inline colour has only fg, bg and bold")
        case .wrongType(let found):
            let pattern = keys.count > 1 && keys[0] == "colors" ? ["colors", "*"] + keys.dropFirst(2) : keys
            let expected = ThemeFile.expected[pattern.joined(separator: ".")] ?? ("another type", "a value")
            let what = "\(expected.what), not \(found)"
            (problem, hint) = (
                keys.count > 2 ? "field '\(keys[2])' should be \(what)" : "expected \(what)",
                "write \(expected.example)"
            )
        case .missing:
            (problem, hint) = ("is missing", "see themes/default.toml")
        }
        self.init(file: file, line: mistake.line, key: key, problem: problem, hint: hint)
    }
}
