import ArgumentParser
import Foundation
import InfertopUI

/// `--config FILE`, and where the config file is without it: `$XDG_CONFIG_HOME/infertop/config.toml`,
/// else `~/.config/infertop/config.toml`. A missing default file means the defaults; a missing
/// `--config` file, or any mistake in either, is a usage failure (exit 2) naming file, line and key.
struct ConfigFileOption: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help:
            "A config file (TOML; default $XDG_CONFIG_HOME/infertop/config.toml; see `infertop config --print-default`)."
    )
    var path: String?

    /// The settings from the file named, or from the default file when there is one.
    func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DashboardConfig {
        if let path { return try Self.load(path: path, required: true) }
        guard let defaultPath = Self.defaultPath(environment: environment) else { return DashboardConfig() }
        return try Self.load(path: defaultPath, required: false)
    }

    /// `$XDG_CONFIG_HOME/infertop/config.toml` (an absolute XDG_CONFIG_HOME only, as the XDG spec says),
    /// else `$HOME/.config/infertop/config.toml`; nil with neither set.
    static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/infertop/config.toml" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/infertop/config.toml"
    }

    /// Reads and parses one file; paths inside it are taken from its folder.
    static func load(path: String, required: Bool) throws -> DashboardConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            guard required || exists else { return DashboardConfig() }
            let reason = exists ? "cannot read it" : "no such file"
            throw UsageFailure(
                message: "\(path): \(reason); check the path (`infertop config --print-default > FILE` writes a start)")
        }
        do {
            var config = try DashboardConfig.parse(String(decoding: data, as: UTF8.self), file: path)
            config.resolvePaths(relativeTo: URL(fileURLWithPath: path).deletingLastPathComponent().path)
            return config
        } catch let error as ConfigError {
            throw UsageFailure(message: error.description)
        }
    }
}

extension DashboardConfig {
    /// Makes the file paths in the config (a cluster file, a theme file) absolute, from `folder`,
    /// and expands `~/`; theme names (no `/`, no `.toml`) stay as they are.
    mutating func resolvePaths(relativeTo folder: String) {
        func resolve(_ path: String) -> String {
            if path.hasPrefix("~/") { return NSString(string: path).expandingTildeInPath }
            if path.hasPrefix("/") || folder.isEmpty { return path }
            return folder + "/" + path
        }
        sources.cluster = sources.cluster.map(resolve)
        if let theme = display.theme, theme.contains("/") || theme.hasSuffix(".toml") {
            display.theme = resolve(theme)
        }
    }
}

extension DisplayOptions {
    /// These flags with the config file's values wherever a flag was left at its default.
    func merged(with file: DisplaySettings) -> DisplayOptions {
        var merged = self
        if merged.theme == nil { merged.theme = file.theme }
        if merged.colors == .auto { merged.colors = ColorChoice(rawValue: file.colors.rawValue) ?? .auto }
        if !merged.ascii { merged.ascii = file.ascii }
        return merged
    }
}

extension AgentSources {
    /// These flags, or the config file's sources when the command line names none.
    func merged(with file: SourceSettings) -> AgentSources {
        var merged = self
        if merged.isEmpty {
            merged.agents = file.agents.isEmpty ? nil : file.agents.joined(separator: ",")
            merged.cluster = file.cluster
        }
        if merged.controller == nil { merged.controller = file.controller }
        return merged
    }
}
