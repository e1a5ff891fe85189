import Foundation
import InfertopCollectors

/// Captured `/metrics` pages in `Tests/InfertopCollectorsTests/Fixtures/metrics/`.
enum MetricsFixtures {
    /// The fixtures folder, found by walking up from this file to `InfertopCollectorsTests`.
    static let folder: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.lastPathComponent != "InfertopCollectorsTests" && url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Fixtures/metrics")
    }()

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static func document(_ name: String) throws -> PrometheusDocument {
        PrometheusText.parse(try text(name))
    }
}

/// Whether two doubles agree to within `tolerance` (relative for large values).
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance * max(1, abs(b))
}

/// SplitMix64: a small seeded generator, so a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
