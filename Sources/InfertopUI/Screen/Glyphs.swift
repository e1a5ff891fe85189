import InfertopCore

/// The characters views draw with: Unicode where the locale allows it, plain ASCII otherwise.
///
/// Views never write a box-drawing or block character directly; they ask the glyph set, so a
/// `LANG=C` terminal over an old SSH client still gets a readable screen.
public struct Glyphs: Sendable, Hashable {
    public let isUnicode: Bool
    /// Eight heights, lowest to highest, for one-cell gauges.
    public let levels: [Unicode.Scalar]
    public let horizontal: Unicode.Scalar
    public let vertical: Unicode.Scalar
    public let barLeft: Unicode.Scalar
    public let barRight: Unicode.Scalar
    public let dot: Unicode.Scalar
    public let ok: Unicode.Scalar
    public let warn: Unicode.Scalar
    public let lost: Unicode.Scalar
    public let stale: Unicode.Scalar
    public let sortDown: Unicode.Scalar
    public let cursor: Unicode.Scalar
    public let ellipsis: Unicode.Scalar
    public let separator: String
    public let degree: String
    public let pause: String

    public static let unicode = Glyphs(
        isUnicode: true, levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], horizontal: "─", vertical: "│",
        barLeft: "▕", barRight: "▏", dot: "·", ok: "●", warn: "▲", lost: "✕", stale: "?", sortDown: "▼",
        cursor: "█", ellipsis: "…", separator: " · ", degree: "°C", pause: "‖")

    public static let ascii = Glyphs(
        isUnicode: false, levels: [".", ":", "-", "=", "+", "*", "#", "@"], horizontal: "-", vertical: "|",
        barLeft: "[", barRight: "]", dot: ".", ok: "o", warn: "!", lost: "x", stale: "?", sortDown: "v",
        cursor: "_", ellipsis: "~", separator: " | ", degree: "C", pause: "||")

    /// `→`, or `->` in ASCII: before and after, in plans and confirmations.
    public var arrow: String { isUnicode ? "→" : "->" }

    /// The one-cell gauge glyph for a share 0...1.
    public func level(_ share: Double) -> Unicode.Scalar {
        let i = Int((min(max(share, 0), 1) * Double(levels.count - 1)).rounded())
        return levels[i]
    }

    /// The fill glyph of a memory segment. With colour every part is a solid block told apart by
    /// colour (reserved-but-free KV is a lighter texture); without colour each part has its own shade.
    public func fill(_ segment: MemorySegment, depth: ColorDepth) -> Unicode.Scalar {
        if !isUnicode {
            switch segment {
            case .weights: return "#"
            case .kvUsed: return "="
            case .kvFree: return "-"
            case .activations: return ":"
            case .other: return "+"
            case .unallocated: return "."
            }
        }
        if depth == .mono {
            switch segment {
            case .weights: return "█"
            case .kvUsed: return "▓"
            case .kvFree: return "░"
            case .activations: return "▒"
            case .other: return "▞"
            case .unallocated: return "·"
            }
        }
        switch segment {
        case .kvFree: return "▒"
        case .unallocated: return "·"
        default: return "█"
        }
    }

    /// The ASCII stand-in for a character that came from outside the glyph set (triage
    /// reasons use `·` and `°C`), so an ASCII screen never shows a stray wide glyph.
    public static func asciiFallback(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII { return scalar }
        switch scalar {
        case "·", "•": return "."
        case "°": return " "
        case "…": return "~"
        case "─", "—", "–": return "-"
        case "│", "▕", "▏": return "|"
        case "×": return "x"
        default: return "?"
        }
    }

    /// The style role of a memory segment.
    public static func role(_ segment: MemorySegment) -> StyleRole {
        switch segment {
        case .weights: .memWeights
        case .kvUsed: .memKVUsed
        case .kvFree: .memKVFree
        case .activations: .memActivations
        case .other: .memOther
        case .unallocated: .memFree
        }
    }
}
