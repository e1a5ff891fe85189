/// Keys as the config file's `[keys]` section writes them: `"q"`, `"Q"`, `"F2"`, `"^C"`,
/// `"Enter"`, `"space"`.
extension Key {
    /// The names of the keys that are not one character, as `name` writes them.
    public static let namedKeys: [Key] = [
        .enter, .escape, .backspace, .tab, .delete, .up, .down, .left, .right, .pageUp, .pageDown, .home, .end,
        .char(" ")
    ]

    /// How a config file writes the key; `Key(name:)` reads it back.
    public var name: String {
        switch self {
        case .up: "Up"
        case .down: "Down"
        case .left: "Left"
        case .right: "Right"
        default: description
        }
    }

    /// Reads a key name: one character (case matters: `"q"` is not `"Q"`), `F1`-`F12`, `^C` or
    /// `ctrl-c`, or a named key (`Enter`, `Esc`, `Backspace`, `Tab`, `Del`, `Up`, `Down`, `Left`,
    /// `Right` or the arrows help shows, `PgUp`, `PgDn`, `Home`, `End`, `space`; any case). Nil
    /// for anything else.
    public init?(name: String) {
        let lower = name.lowercased()
        // First, so that "↓" is the arrow key as help shows it, not the character.
        if let named = Self.aliases[lower] {
            self = named
            return
        }
        if name.count == 1, let c = name.first {
            guard !c.isNewline, c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                return nil
            }
            self = .char(c)
            return
        }
        for prefix in ["^", "ctrl-", "ctrl+", "c-"] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            guard rest.count == 1, let letter = rest.first, letter.isASCII, letter.isLetter else { return nil }
            self = .ctrl(letter)
            return
        }
        if lower.hasPrefix("f"), let number = Int(lower.dropFirst()), (1...12).contains(number) {
            self = .function(number)
            return
        }
        return nil
    }

    private static let aliases: [String: Key] = {
        var table: [String: Key] = [
            "return": .enter, "escape": .escape, "delete": .delete, "pageup": .pageUp, "pagedown": .pageDown,
            "↑": .up, "↓": .down, "←": .left, "→": .right
        ]
        for key in namedKeys { table[key.name.lowercased()] = key }
        return table
    }()
}
