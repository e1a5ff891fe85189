import ArgumentParser
import InfertopSim
import InfertopUI

/// Colour depth as the `--colors` flag names it.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, full = "256", eight = "8", none

    var depth: ColorDepth? {
        switch self {
        case .auto: nil
        case .full: .full
        case .eight: .eight
        case .none: .mono
        }
    }
}

/// Flags shared by every command that draws: theme, colours, glyphs.
struct DisplayOptions: ParsableArguments {
    @Option(help: "A theme file (TOML, see themes/default.toml).")
    var theme: String?

    @Option(help: "Colours: auto, 256, 8 or none.")
    var colors: ColorChoice = .auto

    @Flag(help: "Draw with ASCII only (automatic without a UTF-8 locale).")
    var ascii = false

    @Flag(help: "Refuse every action that changes the cluster (cordon, drain, rebalance), saying why; no call is sent.")
    var readonly = false

    /// The theme to use: the file given, or the built-in default.
    func loadTheme() throws -> Theme {
        guard let theme else { return .default }
        do {
            return try Theme.load(path: theme)
        } catch let error as ThemeError {
            throw UsageFailure(message: "--theme: \(error.description)")
        }
    }
}

/// Flags that shape the simulated cluster.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Seed of the simulated cluster: the same seed gives the same cluster.")
    var seed: UInt64 = 7

    @Option(help: "Nodes in the simulated cluster (1-\(SimulationConfig.maxNodes)); every 17th is a hot spare.")
    var nodes: Int = 17

    @Option(name: .customLong("gpus-per-node"), help: "GPUs per node (1-16).")
    var gpusPerNode: Int = 8

    mutating func validate() throws {
        guard (1...SimulationConfig.maxNodes).contains(nodes) else {
            throw ValidationError("--nodes must be 1 to \(SimulationConfig.maxNodes), got \(nodes)")
        }
        guard SimulationConfig.gpusPerNodeRange.contains(gpusPerNode) else {
            throw ValidationError("--gpus-per-node must be 1 to 16, got \(gpusPerNode)")
        }
    }

    var config: SimulationConfig { SimulationConfig(seed: seed, nodes: nodes, gpusPerNode: gpusPerNode) }
}
