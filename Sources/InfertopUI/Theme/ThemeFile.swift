import InfertopTOML

/// A theme file as TOML writes it, decoded before its colours are checked and applied over a
/// base theme.
struct ThemeFile: TOMLTableShape {
    var monochrome: Bool?, canvas: CanvasFile?, colors: ColorsFile?

    enum CodingKeys: String, TOMLKeys { case monochrome, canvas, colors }

    static var nestedTables: [CodingKeys: any TOMLTableShape.Type] {
        [.canvas: CanvasFile.self, .colors: ColorsFile.self]
    }

    /// What each table has, for a key it does not have.
    static let contents = [
        "": "a theme has monochrome = true or false, a [canvas] and a [colors] table",
        "canvas": "[canvas] has background = \"#RRGGBB\" and paint = true or false",
        "colors": "valid keys include text, dim, accent, ok, warn, crit, mem_weights, heat_0; "
            + "see themes/default.toml for all \(StyleRole.allCases.count)"
    ]

    /// What each key holds and how to write it, for a value of the wrong type (`*`: any role).
    static let expected: [String: (what: String, example: String)] = [
        "monochrome": ("true or false", "monochrome = true"), "canvas.paint": ("true or false", "paint = true"),
        "canvas": ("a table", "[canvas] on its own line, then one key = value per line"),
        "colors": ("a table", "[colors] on its own line, then one key = value per line"),
        "canvas.background": ("a colour", "background = \"#RRGGBB\""),
        "colors.*": ("a colour", "\"#RRGGBB\" or { fg = \"#RRGGBB\", bg = \"#RRGGBB\", bold = true }"),
        "colors.*.fg": ("a colour string", "fg = \"#RRGGBB\""), "colors.*.bg": ("a colour string", "bg = \"#RRGGBB\""),
        "colors.*.bold": ("true or false", "bold = true")
    ]
}

/// `[canvas]`.
struct CanvasFile: TOMLTableShape {
    var background: String?, paint: Bool?

    enum CodingKeys: String, TOMLKeys { case background, paint }
}

/// `[colors]`: a colour for each role, keyed by `StyleRole.themeKey`.
struct ColorsFile: TOMLTableShape {
    var colors: [StyleRole: ColorEntry] = [:]

    /// The role keys, so that a key naming no role is an unknown key.
    struct CodingKeys: CodingKey, CaseIterable, Hashable {
        var role: StyleRole
        var stringValue: String { role.themeKey }
        var intValue: Int? { nil }

        init(role: StyleRole) { self.role = role }
        init?(stringValue: String) {
            guard let role = Theme.role(forKey: stringValue) else { return nil }
            self.role = role
        }
        init?(intValue: Int) { nil }

        static var allCases: [CodingKeys] { StyleRole.allCases.map(CodingKeys.init(role:)) }
    }

    static var nestedTables: [CodingKeys: any TOMLTableShape.Type] {
        Dictionary(uniqueKeysWithValues: CodingKeys.allCases.map { ($0, ColorFields.self) })
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for key in container.allKeys { colors[key.role] = try container.decode(ColorEntry.self, forKey: key) }
    }
}

/// A colour as `[colors]` writes it: `"#RRGGBB"` (the foreground) or an inline table of fields.
enum ColorEntry: Decodable {
    case foreground(String)
    case fields(ColorFields)

    init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .foreground(text)
        } else {
            self = .fields(try ColorFields(from: decoder))
        }
    }
}

/// `{ fg = "#RRGGBB", bg = "#RRGGBB" or "none", bold = true }`.
struct ColorFields: TOMLTableShape {
    var fg: String?, bg: String?, bold: Bool?

    enum CodingKeys: String, TOMLKeys { case fg, bg, bold }
}
