import ArgumentParser
import InfertopAgent

/// `infertop-agent config --print-default`: the commented default configuration.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print or check the agent's configuration.")

    @Flag(help: "Print the commented default config file.")
    var printDefault = false

    @Option(help: "Check this config file and exit (status 2 on a problem).")
    var check: String?

    func run() throws {
        if printDefault {
            print(AgentConfig.defaultText, terminator: "")
            return
        }
        if let check {
            let config = try AgentConfig.load(path: check, required: true)
            try config.listen.validate()
            print("\(check): OK")
            return
        }
        throw ValidationError("say --print-default, or --check FILE")
    }
}
