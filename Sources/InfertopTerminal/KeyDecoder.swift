import CNcursesw
import InfertopUI

/// Turns what `wget_wch` returns into a `Key`.
///
/// Kept pure and apart from `CursesTerminal` so every mapping is a unit test: terminals
/// disagree on Enter (LF, CR or KEY_ENTER) and Backspace (DEL, ^H or KEY_BACKSPACE), and
/// the keymap should never see those differences.
public enum KeyDecoder {
    /// The key for one code from `wget_wch`.
    /// - Parameters:
    ///   - code: the character, or the `KEY_*` code when `isFunctionKey`.
    ///   - isFunctionKey: whether `wget_wch` returned `KEY_CODE_YES`.
    /// - Returns: nil for codes infertop does not bind (F13 and above, mouse, ^@, ^\).
    public static func decode(code: Int32, isFunctionKey: Bool) -> Key? {
        isFunctionKey ? decodeFunctionKey(code) : decodeCharacter(code)
    }

    private static func decodeFunctionKey(_ code: Int32) -> Key? {
        switch code {
        case CNcursesw_KEY_UP(): .up
        case CNcursesw_KEY_DOWN(): .down
        case CNcursesw_KEY_LEFT(): .left
        case CNcursesw_KEY_RIGHT(): .right
        case CNcursesw_KEY_ENTER(): .enter
        case CNcursesw_KEY_BACKSPACE(): .backspace
        case CNcursesw_KEY_PPAGE(): .pageUp
        case CNcursesw_KEY_NPAGE(): .pageDown
        case CNcursesw_KEY_HOME(): .home
        case CNcursesw_KEY_END(): .end
        case CNcursesw_KEY_DC(): .delete
        case (CNcursesw_KEY_F0() + 1)...(CNcursesw_KEY_F0() + 12): .function(Int(code - CNcursesw_KEY_F0()))
        default: nil
        }
    }

    private static func decodeCharacter(_ code: Int32) -> Key? {
        switch code {
        case 10, 13: return .enter
        case 27: return .escape
        case 127, 8: return .backspace
        case 9: return .tab
        case 1...26:
            guard let letter = Unicode.Scalar(UInt32(code) + 0x60) else { return nil }
            return .ctrl(Character(letter))
        case 0..<32, 0x80..<0xA0:
            // ^@, ^\, ^], ^^, ^_ and the C1 controls have no binding.
            return nil
        default:
            guard code > 0, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .char(Character(scalar))
        }
    }
}
