import InfertopTOML

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
    /// (the default theme), so a theme can change one colour. The first mistake is thrown: TOML
    /// syntax; else the first unknown key in the file; else a value of the wrong type; else the
    /// first malformed colour in the file.
    /// - Parameters:
    ///   - file: the name used in error messages.
    ///   - base: the theme the file's values are applied over.
    /// - Throws: `ThemeError` naming the file, line and key.
    public static func parse(_ text: String, file: String, over base: Theme = .default) throws -> Theme {
        let (shape, document) = try TOMLDocument.decode(ThemeFile.self, from: text) { ThemeError($0, file: file) }
        func site(_ section: String, _ key: String) -> ThemeSite {
            ThemeSite(file: file, line: document.line(of: [section, key]), key: key)
        }
        var theme = base
        theme.isMonochrome = shape.monochrome ?? theme.isMonochrome
        if let background = shape.canvas?.background {
            theme.canvas.background = try rgb(background, field: nil, at: site("canvas", "background"))
        }
        theme.canvas.paints = shape.canvas?.paint ?? theme.canvas.paints
        let colors = shape.colors?.colors ?? [:]
        for key in document.locator.inFileOrder(colors.keys.map(\.themeKey), section: "colors") {
            guard let role = Theme.role(forKey: key), let entry = colors[role] else { continue }
            theme[role] = try color(entry, base: theme[role], at: site("colors", key))
        }
        if theme.isMonochrome, !colors.isEmpty {
            throw ThemeError(
                file: file, line: document.locator.line(ofSection: "colors"), key: "colors",
                problem: "a monochrome theme draws no colour",
                hint: "remove [colors], or remove monochrome = true to colour the roles")
        }
        return theme
    }

    /// One role's colour applied over `base`.
    private static func color(
        _ entry: ColorEntry, base: ThemeColor, at site: ThemeSite
    ) throws -> ThemeColor {
        var result = base
        switch entry {
        case .foreground(let text):
            result.fg = try rgb(text, field: nil, at: site)
        case .fields(let fields):
            if let fg = fields.fg { result.fg = try rgb(fg, field: "fg", at: site) }
            if let bg = fields.bg { result.bg = bg == "none" ? nil : try rgb(bg, field: "bg", at: site) }
            result.bold = fields.bold ?? result.bold
        }
        return result
    }

    private static func rgb(_ text: String, field: String?, at site: ThemeSite) throws -> RGB {
        if let rgb = RGB(hex: text) { return rgb }
        let what = field.map { "\($0) colour" } ?? "colour"
        let none = field == "bg" ? ", or \"none\" for the terminal's background" : ""
        throw site.error(
            "malformed \(what) \"\(text)\"", hint: "expected #RRGGBB, six hex digits such as \"#D8DEE9\"\(none)")
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

/// Where a theme mistake is, so each check builds its `ThemeError` in one call.
private struct ThemeSite {
    var file: String
    var line: Int?
    var key: String

    func error(_ problem: String, hint: String) -> ThemeError {
        ThemeError(file: file, line: line, key: key, problem: problem, hint: hint)
    }
}
