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
