/// A mistake in a theme file, located by file, line and key.
///
/// Its description is one line, `FILE:LINE: key 'KEY': PROBLEM (what to do)`, the shape
/// compilers use, so an editor or a terminal can jump to it and the user knows the fix
/// without opening the documentation.
public struct ThemeError: Error, CustomStringConvertible, Sendable, Hashable {
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

    public init(file: String, line: Int?, key: String?, problem: String, hint: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
        self.hint = hint
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "key '\(key)': " }
        return text + problem + " (\(hint))"
    }
}

/// Finds the line of a key in TOML text, which TOMLKit does not report.
///
/// It reads the text line by line, tracking `[section]` headers, and records the first line
/// on which each `key =` (bare, quoted or dotted) appears. This is deliberately lenient: it
/// also runs on text that failed to parse, to name the key on a syntax error's line.
struct TOMLKeyLocator {
    private struct Entry {
        var section: String
        var key: String
        var line: Int
    }

    private var entries: [Entry] = []
    private var sections: [String: Int] = [:]
    private var lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var section = ""
        for (index, raw) in lines.enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") {
                section = Self.normalise(line.drop { $0 == "[" }.prefix { $0 != "]" })
                if sections[section] == nil { sections[section] = index + 1 }
            } else if let key = Self.assignedKey(line) {
                entries.append(Entry(section: section, key: key, line: index + 1))
            }
        }
    }

    /// The line of `key` in `section` ("" for the top level), or of the section itself.
    func line(of key: String, in section: String) -> Int? {
        let dotted = section.isEmpty ? key : section + "." + key
        if let hit = entries.first(where: { ($0.section == section && $0.key == key) || $0.key == dotted }) {
            return hit.line
        }
        return line(ofSection: section)
    }

    /// The line of a `[section]` header, or of `section = ...` at the top level.
    func line(ofSection section: String) -> Int? {
        sections[section] ?? entries.first { $0.section.isEmpty && $0.key == section }?.line
    }

    /// The key assigned on a 1-based line, or the first word there when it has no `=`.
    func key(onLine number: Int) -> String? {
        guard number >= 1, number <= lines.count else { return nil }
        let line = lines[number - 1].drop { $0 == " " || $0 == "\t" }
        if let key = Self.assignedKey(line) { return key }
        let word = line.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return word.isEmpty ? nil : String(word)
    }

    /// `text` for `text = ...`, `"text" = ...` or `colors.text = ...` (returned dotted).
    private static func assignedKey(_ line: Substring) -> String? {
        guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { return nil }
        let key = normalise(line[..<equals])
        let allowed = key.allSatisfy { $0.isLetter || $0.isNumber || "_-.".contains($0) }
        return key.isEmpty || !allowed ? nil : key
    }

    /// Strips spaces and quotes from a key or section name: `"colors" . text` -> `colors.text`.
    private static func normalise(_ text: Substring) -> String {
        String(text.filter { $0 != " " && $0 != "\t" && $0 != "\"" && $0 != "'" })
    }
}
