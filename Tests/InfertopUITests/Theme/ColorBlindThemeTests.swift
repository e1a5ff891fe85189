import Foundation
import InfertopUI
import Testing

/// The colour-blind safe theme keeps apart what must be told apart, as seen with protanopia and
/// deuteranopia, and its heat gradient reads by lightness alone.
///
/// Vision is simulated with Machado, Oliveira and Fernandes (2009) at full severity, in linear
/// RGB, and differences measured as CIE76 ΔE*ab in CIELAB (D65). 15 is a plainly visible
/// difference; the default theme's ok and warn fall to about 3 under protanopia.
@Suite struct ColorBlindThemeTests {
    static let minimumDifference = 15.0
    static let groups: [[StyleRole]] = [
        [.ok, .warn, .crit],
        [.memWeights, .memKVUsed, .memActivations, .memOther]
    ]

    @Test(arguments: [Deficiency.protanopia, .deuteranopia])
    func severitiesAndSegments_stayApart(deficiency: Deficiency) throws {
        let theme = try #require(BuiltInThemes.theme(named: "colorblind"))
        for group in Self.groups {
            for (i, a) in group.enumerated() {
                for b in group[(i + 1)...] {
                    let difference = deficiency.difference(theme[a].fg, theme[b].fg)
                    #expect(difference >= Self.minimumDifference, "\(a.themeKey) vs \(b.themeKey): ΔE \(difference)")
                }
            }
        }
    }

    @Test func theCheckCanFail_onTheDefaultTheme() {
        let difference = Deficiency.protanopia.difference(Theme.default[.ok].fg, Theme.default[.warn].fg)
        #expect(difference < Self.minimumDifference, "ΔE \(difference)")
    }

    @Test func heat_getsLighterAtEveryStep() throws {
        let theme = try #require(BuiltInThemes.theme(named: "colorblind"))
        let heat = (0..<10).map { WCAG.luminance(theme[StyleRole.heat(Double($0) / 9)].fg) }
        #expect(zip(heat, heat.dropFirst()).allSatisfy { $0 < $1 }, "\(heat)")
    }

    enum Deficiency: CaseIterable, Sendable {
        case protanopia, deuteranopia

        /// Machado et al. (2009), severity 1.0, applied to linear RGB.
        var matrix: [[Double]] {
            switch self {
            case .protanopia:
                [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
            case .deuteranopia:
                [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
            }
        }

        /// ΔE*ab between two colours as seen with this deficiency.
        func difference(_ a: RGB, _ b: RGB) -> Double {
            let (x, y) = (lab(simulate(a)), lab(simulate(b)))
            return sqrt(pow(x.0 - y.0, 2) + pow(x.1 - y.1, 2) + pow(x.2 - y.2, 2))
        }

        private func simulate(_ rgb: RGB) -> [Double] {
            let linear = [WCAG.linear(rgb.r), WCAG.linear(rgb.g), WCAG.linear(rgb.b)]
            return matrix.map { row in min(1, max(0, zip(row, linear).map(*).reduce(0, +))) }
        }

        private func lab(_ c: [Double]) -> (Double, Double, Double) {
            let x = (0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2]) / 0.95047
            let y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
            let z = (0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2]) / 1.08883
            func f(_ t: Double) -> Double { t > 216 / 24389 ? cbrt(t) : (24389 / 27 * t + 16) / 116 }
            return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
        }
    }
}
