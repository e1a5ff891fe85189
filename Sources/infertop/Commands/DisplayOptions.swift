import ArgumentParser
import InfertopSim
import InfertopUI

/// Colour depth as the `--colors` flag names it.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto
    case full = "256"
    case eight = "8"
    case none

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
    @Option(
        help: ArgumentHelp(
            "A built-in theme (\(BuiltInThemes.nameList)) or a theme file (a path with a / or ending in .toml).",
            valueName: "name|file"))
    var theme: String?

    @Option(help: "Colours: auto, 256, 8 or none.")
    var colors: ColorChoice = .auto

    @Flag(help: "Draw with ASCII only (automatic without a UTF-8 locale).")
    var ascii = false

    @Flag(help: "Refuse every action that changes the cluster (cordon, drain, rebalance), saying why; no call is sent.")
    var readonly = false

    /// The theme to use: a built-in one by name, a file by path, or the default.
    /// - Throws: `UsageFailure` naming an unknown theme, or the file, line and key of a mistake.
    func loadTheme() throws -> Theme {
        guard let theme else { return .default }
        guard isFile(theme) else {
            guard let builtIn = BuiltInThemes.theme(named: theme) else {
                throw UsageFailure(
                    message: "--theme: no built-in theme '\(theme)': use one of \(BuiltInThemes.nameList), "
                        + "or a file path (with a / or ending in .toml)")
            }
            return builtIn
        }
        do {
            return try Theme.load(path: theme)
        } catch let error as ThemeError {
            throw UsageFailure(message: "--theme: \(error.description)")
        }
    }

    /// The built-in theme's name, for `:theme`'s list; nil when the theme is a file.
    var themeName: String? {
        guard let theme else { return BuiltInThemes.defaultName }
        return isFile(theme) ? nil : theme
    }

    /// A bare name is a built-in theme; a path (with a `/`) or a `.toml` file is read from disk.
    private func isFile(_ theme: String) -> Bool { theme.contains("/") || theme.hasSuffix(".toml") }
}

/// Flags that shape the simulated cluster.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Seed of the simulated cluster: the same seed gives the same cluster.")
    var seed: UInt64 = 7

    @Option(help: "Nodes in the simulated cluster (1-\(SimulationConfig.maxNodes)); every 17th is a hot spare.")
    var nodes: Int = 17

    @Option(help: "GPUs per node (1-16).")
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
