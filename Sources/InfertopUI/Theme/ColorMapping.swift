/// Pure mappings from 24-bit theme colours down to what a terminal can show.
///
/// Themes are written in `#RRGGBB`; terminals offer 256 colours, 8, or none. These
/// functions are the single place that decides the nearest match, shared by the curses
/// terminal and the ANSI renderer, and they are deterministic so tests can pin them.
public enum ColorMapping {
    /// The channel levels of the xterm 6x6x6 colour cube (indices 16...231).
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The nearest xterm 256-colour index (16...255) to `rgb`.
    ///
    /// Indices 0...15 are skipped because terminals let users redefine them; the cube and
    /// the grey ramp (232...255, levels 8, 18, ... 238) are the same everywhere. The cube
    /// candidate and the grey candidate are compared by squared distance.
    public static func xterm256(_ rgb: RGB) -> UInt8 {
        let r = Int(rgb.r)
        let g = Int(rgb.g)
        let b = Int(rgb.b)
        let (ri, gi, bi) = (nearestCubeStep(r), nearestCubeStep(g), nearestCubeStep(b))
        let cube = (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let cubeIndex = 16 + 36 * ri + 6 * gi + bi

        let average = (r + g + b) / 3
        let greyStep = min(23, max(0, (average - 8 + 5) / 10))
        let grey = 8 + 10 * greyStep
        let greyIndex = 232 + greyStep

        let cubeDistance = squaredDistance((r, g, b), cube)
        let greyDistance = squaredDistance((r, g, b), (grey, grey, grey))
        return UInt8(greyDistance < cubeDistance ? greyIndex : cubeIndex)
    }

    /// The 24-bit colour xterm shows for a 256-colour index (16...255; 0...15 as xterm's defaults).
    public static func rgb(xterm256 index: UInt8) -> RGB {
        let index = Int(index)
        switch index {
        case 0..<16:
            return basic16[index]
        case 16..<232:
            let n = index - 16
            return RGB(UInt8(cubeLevels[n / 36]), UInt8(cubeLevels[n / 6 % 6]), UInt8(cubeLevels[n % 6]))
        default:
            let level = UInt8(8 + 10 * (index - 232))
            return RGB(level, level, level)
        }
    }

    /// The nearest of the 8 ANSI colours (0 black, 1 red, 2 green, 3 yellow, 4 blue,
    /// 5 magenta, 6 cyan, 7 white).
    ///
    /// Nearest by hue for colours with some saturation, by lightness for greys: plain RGB
    /// distance to the 8 saturated corners would turn muted blues cyan and muted greys black.
    public static func ansi8(_ rgb: RGB) -> UInt8 {
        let r = Int(rgb.r)
        let g = Int(rgb.g)
        let b = Int(rgb.b)
        let high = max(r, g, b)
        let low = min(r, g, b)
        let chroma = high - low
        if chroma < 40 || high < 48 {
            return high + low >= 2 * 48 ? 7 : 0
        }
        var hue: Double
        if high == r {
            hue = 60 * Double(g - b) / Double(chroma)
        } else if high == g {
            hue = 60 * Double(b - r) / Double(chroma) + 120
        } else {
            hue = 60 * Double(r - g) / Double(chroma) + 240
        }
        if hue < 0 { hue += 360 }
        // Hue sextants from red: red, yellow, green, cyan, blue, magenta.
        let ansiBySextant: [UInt8] = [1, 3, 2, 6, 4, 5]
        return ansiBySextant[Int((hue + 30) / 60) % 6]
    }

    /// Whether a colour is dark enough (lightness under about 44%) that at 8 colours, where
    /// only its hue survives, it should also be dimmed to stay below normal text.
    public static func isDark(_ rgb: RGB) -> Bool {
        Int(max(rgb.r, rgb.g, rgb.b)) + Int(min(rgb.r, rgb.g, rgb.b)) < 2 * 0x70
    }

    /// The attributes that stand in for a role's colour on a terminal with no colour.
    ///
    /// Severity must stay visible (crit reverse and bold, warn bold), background-like roles
    /// recede (dim), and the selection stands out as reverse video.
    public static func monoAttributes(for role: StyleRole) -> TextAttributes {
        switch role {
        case .crit: [.bold, .reverse]
        case .warn, .title, .key: .bold
        case .selection: .reverse
        case .accent: .underline
        case .dim, .stale, .border, .footer, .memKVFree, .memFree: .dim
        case .heat0, .heat1, .heat2: .dim
        case .heat7, .heat8, .heat9: .bold
        case .text, .ok, .memWeights, .memKVUsed, .memActivations, .memOther: []
        case .heat3, .heat4, .heat5, .heat6: []
        }
    }

    private static func nearestCubeStep(_ value: Int) -> Int {
        var best = 0
        for (step, level) in cubeLevels.enumerated() where abs(level - value) < abs(cubeLevels[best] - value) {
            best = step
        }
        return best
    }

    private static func squaredDistance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        (a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1) + (a.2 - b.2) * (a.2 - b.2)
    }

    private static let basic16: [RGB] = [
        RGB(0, 0, 0), RGB(205, 0, 0), RGB(0, 205, 0), RGB(205, 205, 0),
        RGB(0, 0, 238), RGB(205, 0, 205), RGB(0, 205, 205), RGB(229, 229, 229),
        RGB(127, 127, 127), RGB(255, 0, 0), RGB(0, 255, 0), RGB(255, 255, 0),
        RGB(92, 92, 255), RGB(255, 0, 255), RGB(0, 255, 255), RGB(255, 255, 255)
    ]
}
