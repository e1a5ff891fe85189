/// What a cell means, not what colour it is: the theme and colour depth resolve roles at the
/// terminal edge, so golden screens do not change with a theme.
public enum StyleRole: UInt8, Sendable, Hashable, CaseIterable {
    case text, dim, accent, title, border, selection, footer, key
    case ok, warn, crit, stale
    case memWeights, memKVUsed, memKVFree, memActivations, memOther, memFree
    case heat0, heat1, heat2, heat3, heat4, heat5, heat6, heat7, heat8, heat9

    /// The theme file's key for this role.
    public var themeKey: String {
        switch self {
        case .memWeights: "mem_weights"
        case .memKVUsed: "mem_kv_used"
        case .memKVFree: "mem_kv_free"
        case .memActivations: "mem_activations"
        case .memOther: "mem_other"
        case .memFree: "mem_free"
        default: String(describing: self).replacingHeatDigits()
        }
    }

    /// The heat role for a share 0...1, in ten steps.
    public static func heat(_ share: Double) -> StyleRole {
        let step = Int((min(max(share, 0), 1) * 9.999).rounded(.down))
        return StyleRole(rawValue: StyleRole.heat0.rawValue + UInt8(step)) ?? .heat9
    }

    /// The role for a severity.
    public static func severity(_ level: Int) -> StyleRole { level >= 2 ? .crit : level == 1 ? .warn : .ok }
}

extension String {
    fileprivate func replacingHeatDigits() -> String {
        hasPrefix("heat") ? "heat_" + dropFirst(4) : self
    }
}

/// Text attributes that survive any colour depth.
///
/// Cells carry bold, reverse and underline; `dim` is added only at the terminal's edge
/// (`ResolvedStyle`), where a role's colour has to be stood in for (no colour at all, or a
/// dark grey at 8 colours).
public struct TextAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1)
    public static let dim = TextAttributes(rawValue: 2)
    public static let reverse = TextAttributes(rawValue: 4)
    public static let underline = TextAttributes(rawValue: 8)
}

/// A cell's style: its semantic role plus attributes.
public struct Style: Sendable, Hashable {
    public var role: StyleRole
    public var attributes: TextAttributes

    public init(_ role: StyleRole = .text, _ attributes: TextAttributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let text = Style(.text)
    public static let dim = Style(.dim)
    public static let bold = Style(.text, .bold)
}

/// How many colours the terminal shows; views pick glyphs that stay readable at each depth.
public enum ColorDepth: String, Sendable, Hashable, CaseIterable {
    /// 256 or more colours.
    case full = "256"
    /// The 8 ANSI colours.
    case eight = "8"
    /// No colour: attributes and shade characters only.
    case mono = "none"
}
