import InfertopCore
import InfertopSim
import InfertopUI
import Synchronization

/// Builders for dashboard models and golden text, shared by UI tests and benchmarks.
public enum Fixtures {
    /// A dashboard model holding the simulated cluster at a virtual time.
    public static func model(
        seed: UInt64 = 7, at time: Double = 70, nodes: Int = 17, gpusPerNode: Int = 8, size: Size,
        glyphs: Glyphs = .unicode, depth: ColorDepth = .full
    ) -> Model {
        let state = cachedState(SimulationConfig(seed: seed, nodes: nodes, gpusPerNode: gpusPerNode), at: time)
        var model = Model(size: size, glyphs: glyphs, depth: depth, source: "demo seed \(seed)")
        _ = update(&model, .cluster(.snapshot(state, sequence: 0)))
        return model
    }

    private struct Key: Hashable {
        let config: SimulationConfig
        let time: Double
    }

    private static let cache = Mutex<[Key: ClusterState]>([:])

    /// Simulated states are deterministic, so tests share them instead of re-running the cluster.
    public static func cachedState(_ config: SimulationConfig, at time: Double) -> ClusterState {
        let key = Key(config: config, time: time)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let state = SimulatedCluster.state(config: config, at: time)
        cache.withLock { $0[key] = state }
        return state
    }

    /// The style layer of a screen: one line per run of equal style, `row col-col role[+attrs]`,
    /// resolved to the colour depth's palette when a theme is given.
    public static func styleLayer(_ screen: Screen, theme: Theme? = nil, depth: ColorDepth = .full) -> String {
        var lines: [String] = []
        for y in 0..<screen.height {
            var start = 0
            while start < screen.width {
                let style = screen[start, y].style
                var end = start
                while end + 1 < screen.width, screen[end + 1, y].style == style { end += 1 }
                if style != .text {
                    var line = "\(y) \(start)-\(end) \(style.role)"
                    if style.attributes.contains(.bold) { line += "+bold" }
                    if style.attributes.contains(.reverse) { line += "+reverse" }
                    if let theme {
                        let r = ResolvedStyle(style, theme: theme, depth: depth)
                        line += " fg=\(r.foreground.map(String.init) ?? "-") bg=\(r.background.map(String.init) ?? "-")"
                        if !r.attributes.isEmpty { line += " attrs=\(r.attributes.rawValue)" }
                    }
                    lines.append(line)
                }
                start = end + 1
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
