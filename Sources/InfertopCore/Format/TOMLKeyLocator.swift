/// Finds the line of a key in TOML text, which TOMLKit does not report: the one locator behind
/// every file's error messages (the dashboard's config and themes, the agent's config, the
/// cluster file).
///
/// It reads the text line by line, tracking `[table]` headers and each `[[array]]` table apart
/// (the second `[[tokens]]` is occurrence 1), and records every line on which a `key =` (bare,
/// quoted or dotted) appears. It is deliberately lenient: it also runs on text that failed to
/// parse, to name the key on a syntax error's line.
public struct TOMLKeyLocator: Sendable {
    private struct Entry: Sendable {
        var section: String
        var occurrence: Int
        var key: String
        var line: Int
    }

    private var entries: [Entry] = []
    /// The lines of each header, in file order (one per `[[array]]` table).
    private var headers: [String: [Int]] = [:]
    private var lines: [Substring]

    public init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var section = ""
        var occurrence = 0
        for (index, raw) in lines.enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") {
                section = Self.normalise(line.drop { $0 == "[" }.prefix { $0 != "]" })
                occurrence = headers[section, default: []].count
                headers[section, default: []].append(index + 1)
            } else if let key = Self.assignedKey(line) {
                entries.append(Entry(section: section, occurrence: occurrence, key: key, line: index + 1))
            }
        }
    }

    /// The line of `key` in `section` ("" for the top level), in its `occurrence`-th table when
    /// the section is an array of tables; else the line of that table's header.
    public func line(of key: String, in section: String, occurrence: Int = 0) -> Int? {
        let dotted = section.isEmpty ? key : section + "." + key
        let hit = entries.first {
            ($0.section == section && $0.occurrence == occurrence && $0.key == key)
                || (occurrence == 0 && $0.key == dotted)
        }
        return hit?.line ?? line(ofSection: section, occurrence: occurrence)
    }

    /// The line of a `[section]` header (its `occurrence`-th for `[[section]]`), or of
    /// `section = ...` at the top level.
    public func line(ofSection section: String, occurrence: Int = 0) -> Int? {
        if let lines = headers[section], lines.indices.contains(occurrence) { return lines[occurrence] }
        return occurrence == 0 ? entries.first { $0.section.isEmpty && $0.key == section }?.line : nil
    }

    /// `keys` of `section` in the order the file writes them, so the first mistake is reported first.
    public func inFileOrder(_ keys: [String], section: String) -> [String] {
        keys.sorted { a, b in
            let lineA = line(of: a, in: section) ?? Int.max
            let lineB = line(of: b, in: section) ?? Int.max
            return lineA != lineB ? lineA < lineB : a < b
        }
    }

    /// The key assigned on a 1-based line, or the first word there when it has no `=`.
    public func key(onLine number: Int) -> String? {
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
