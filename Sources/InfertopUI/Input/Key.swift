/// A key press, decoded from the terminal into names the keymap uses.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case char(Character)
    case up, down, left, right
    case enter, escape, backspace, tab, delete
    case pageUp, pageDown, home, end
    /// Control plus a letter, written `^C`.
    case ctrl(Character)
    /// A function key, F1 to F12.
    case function(Int)

    public var description: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .enter: "Enter"
        case .escape: "Esc"
        case .backspace: "Backspace"
        case .tab: "Tab"
        case .delete: "Del"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .ctrl(let c): "^\(c.uppercased())"
        case .function(let n): "F\(n)"
        }
    }
}
