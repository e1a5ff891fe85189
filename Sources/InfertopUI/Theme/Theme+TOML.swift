import InfertopCore
import TOMLKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Theme {
    /// Reads a theme file; see `parse(_:file:)` for the format.
    /// - Throws: `ThemeError` when the file cannot be read or has a mistake.
    public static func load(path: String) throws -> Theme {
        guard let text = readFile(path) else {
            let reason = String(cString: strerror(errno))
            throw ThemeError(
                file: path, line: nil, key: nil, problem: "cannot read the file: \(reason)",
                hint: "check the path; the built-in theme needs no file")
        }
        return try parse(text, file: path)
    }

    /// Parses theme TOML: `monochrome`, a `[canvas]` table and a `[colors]` table.
    ///
    /// `[colors]` is keyed by `StyleRole.themeKey`; a value is `"#RRGGBB"` (the foreground) or
    /// an inline table `{ fg = "#RRGGBB", bg = "#RRGGBB" or "none", bold = true }`. `[canvas]`
    /// has `background = "#RRGGBB"` (what the colours are designed for) and `paint = true` or
    /// false. `monochrome = true` at the top makes a theme of attributes only, with no
    /// `[colors]`. Whatever a file leaves out, a whole key or one field, keeps `base`'s value
    /// (the default theme), so a theme can change one colour. Mistakes are reported in file
    /// order, the first one thrown.
    /// - Parameters:
    ///   - file: the name used in error messages.
    ///   - base: the theme the file's values are applied over.
    /// - Throws: `ThemeError` naming the file, line and key.
    public static func parse(_ text: String, file: String, over base: Theme = .default) throws -> Theme {
        let table: TOMLTable
        let locator: TOMLKeyLocator
        do {
            (table, locator) = try TOMLKeyLocator.parse(text)
        } catch {
            throw ThemeError(
                file: file, line: error.line, key: error.key, problem: error.problem,
                hint: "write colours as text = \"#D8DEE9\" or crit = { fg = \"#E0565B\", bold = true }")
        }

        var theme = base
        for key in sortedByLine(table.keys, section: "", locator) {
            let site = ErrorSite(file: file, line: locator.line(of: key, in: ""), key: key)
            guard let value = table[key] else { continue }
            switch key {
            case "monochrome":
                guard let monochrome = value.bool else {
                    throw site.error(
                        "expected true or false, not \(describe(value.type))", hint: "write monochrome = true")
                }
                theme.isMonochrome = monochrome
            case "canvas":
                guard let canvas = value.table else { throw site.expectedTable() }
                theme.canvas = try parseCanvas(canvas, base: theme.canvas, file: file, locator)
            case "colors":
                guard let colors = value.table else { throw site.expectedTable() }
                for colorKey in sortedByLine(colors.keys, section: key, locator) {
                    let error = ErrorSite(file: file, line: locator.line(of: colorKey, in: key), key: colorKey)
                    guard let role = Theme.role(forKey: colorKey) else {
                        throw error.unknownKey()
                    }
                    guard let value = colors[colorKey] else { continue }
                    theme[role] = try color(value, base: theme[role], at: error)
                }
            default:
                throw site.error(
                    "unknown top-level key",
                    hint: "a theme has monochrome = true or false, a [canvas] and a [colors] table")
            }
        }
        if theme.isMonochrome, let colors = table["colors"]?.table, !colors.isEmpty {
            throw ErrorSite(file: file, line: locator.line(ofSection: "colors"), key: "colors").error(
                "a monochrome theme draws no colour",
                hint: "remove [colors], or remove monochrome = true to colour the roles")
        }
        return theme
    }

    /// The `[canvas]` table applied over `base`.
    private static func parseCanvas(
        _ table: TOMLTable, base: ThemeCanvas, file: String, _ locator: TOMLKeyLocator
    ) throws -> ThemeCanvas {
        var canvas = base
        for key in sortedByLine(table.keys, section: "canvas", locator) {
            let site = ErrorSite(file: file, line: locator.line(of: key, in: "canvas"), key: key)
            guard let value = table[key] else { continue }
            switch key {
            case "background":
                guard let text = value.string else {
                    throw site.error(
                        "expected a colour, not \(describe(value.type))", hint: "write background = \"#RRGGBB\"")
                }
                canvas.background = try rgb(text, field: nil, at: site)
            case "paint":
                guard let paint = value.bool else {
                    throw site.error("expected true or false, not \(describe(value.type))", hint: "write paint = true")
                }
                canvas.paints = paint
            default:
                throw site.error("unknown key", hint: "[canvas] has background = \"#RRGGBB\" and paint = true or false")
            }
        }
        return canvas
    }

    /// One key's value applied over `base`.
    private static func color(
        _ value: TOMLValueConvertible, base: ThemeColor, at site: ErrorSite
    ) throws -> ThemeColor {
        if let text = value.string {
            return ThemeColor(fg: try rgb(text, field: nil, at: site), bg: base.bg, bold: base.bold)
        }
        guard let fields = value.table else {
            throw site.error(
                "expected a colour, not \(describe(value.type))",
                hint: "write \"#RRGGBB\" or { fg = \"#RRGGBB\", bg = \"#RRGGBB\", bold = true }")
        }
        var result = base
        for field in fields.keys.sorted() {
            guard let fieldValue = fields[field] else { continue }
            switch field {
            case "fg":
                guard let text = fieldValue.string else { throw site.wrongType(field, fieldValue.type) }
                result.fg = try rgb(text, field: field, at: site)
            case "bg":
                guard let text = fieldValue.string else { throw site.wrongType(field, fieldValue.type) }
                result.bg = text == "none" ? nil : try rgb(text, field: field, at: site)
            case "bold":
                guard let bold = fieldValue.bool else { throw site.wrongType(field, fieldValue.type) }
                result.bold = bold
            default:
                throw site.error("unknown field '\(field)'", hint: "an inline colour has only fg, bg and bold")
            }
        }
        return result
    }

    private static func rgb(_ text: String, field: String?, at site: ErrorSite) throws -> RGB {
        if let rgb = RGB(hex: text) { return rgb }
        let what = field.map { "\($0) colour" } ?? "colour"
        let none = field == "bg" ? ", or \"none\" for the terminal's background" : ""
        throw site.error(
            "malformed \(what) \"\(text)\"", hint: "expected #RRGGBB, six hex digits such as \"#D8DEE9\"\(none)")
    }

    /// Keys in the order they appear in the file, so the first mistake is reported first.
    private static func sortedByLine(_ keys: [String], section: String, _ locator: TOMLKeyLocator) -> [String] {
        keys.sorted { a, b in
            let lineA = locator.line(of: a, in: section) ?? Int.max
            let lineB = locator.line(of: b, in: section) ?? Int.max
            return lineA != lineB ? lineA < lineB : a < b
        }
    }

    private static func readFile(_ path: String) -> String? {
        guard let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            bytes.append(contentsOf: buffer[0..<count])
            if count < buffer.count { break }
        }
        guard ferror(handle) == 0 else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Where a theme mistake is, so each check can build its `ThemeError` in one call.
private struct ErrorSite {
    var file: String
    var line: Int?
    var key: String

    func error(_ problem: String, hint: String) -> ThemeError {
        ThemeError(file: file, line: line, key: key, problem: problem, hint: hint)
    }

    func wrongType(_ field: String, _ type: TOMLType) -> ThemeError {
        let isBold = field == "bold"
        return error(
            "field '\(field)' should be \(isBold ? "true or false" : "a colour string"), not \(describe(type))",
            hint: isBold ? "write bold = true" : "write \(field) = \"#RRGGBB\"")
    }

    func expectedTable() -> ThemeError {
        error(
            "expected a table",
            hint: "write [\(key)] on its own line, then one key = value per line")
    }

    func unknownKey() -> ThemeError {
        let valid = StyleRole.allCases.map(\.themeKey)
        // Suggest only near misses: with short keys, everything is two edits from something.
        let close = valid.map { (key: $0, distance: editDistance($0, key)) }
            .filter { $0.distance <= max(1, key.count / 3) }
            .min { $0.distance < $1.distance }
        let suggestion = close.map { "did you mean '\($0.key)'? " } ?? ""
        return error(
            "unknown key",
            hint: "\(suggestion)valid keys include text, dim, accent, ok, warn, crit, mem_weights, heat_0; "
                + "see themes/default.toml for all \(valid.count)")
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, charA) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, charB) in b.enumerated() {
                let cost = charA == charB ? 0 : 1
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A TOML type as a phrase for error messages.
func describe(_ type: TOMLType) -> String {
    switch type {
    case .int: "an integer"
    case .double: "a number"
    case .bool: "a boolean"
    case .array: "an array"
    case .table: "a table"
    case .string: "a string"
    case .date, .time, .dateTime: "a date or time"
    }
}
