import ArgumentParser
import InfertopUI

/// `infertop config`: print the commented default config, or check a config file.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Print the default config file, or check one.",
        discussion: """
            infertop reads $XDG_CONFIG_HOME/infertop/config.toml (else ~/.config/infertop/config.toml),
            or the file given with --config: sources, theme, colours, refresh, wall settings and [keys].
            """)

    @Flag(help: "Print the commented default config file.")
    var printDefault = false

    @Option(help: "Check this config file: prints 'FILE: ok', or the mistake and exits 2.")
    var check: String?

    func validate() throws {
        guard printDefault != (check != nil) else { throw ValidationError("say --print-default, or --check FILE") }
    }

    func run() throws {
        if printDefault {
            print(DashboardConfig.defaultText, terminator: "")
            return
        }
        if let check {
            _ = try ConfigFileOption.load(path: check, required: true)
            print("\(check): ok")
        }
    }
}
