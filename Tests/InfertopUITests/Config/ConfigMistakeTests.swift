import Testing

@testable import InfertopUI

/// Every kind of mistake in a config file is one error naming the file, the line, the section
/// and key, what is wrong, and what to do.
@Suite struct ConfigMistakeTests {
    @Test(arguments: [
        // An unknown section, and a key written outside its section.
        ("[colours]\ntext = 1\n", 1, "[colours] ", "unknown section"),
        ("# top\ntheme = \"light\"\n", 2, "theme: ", "put theme under [display]"),
        // An unknown key in a section.
        ("[display]\nascii = true\nthem = \"x\"\n", 3, "[display] them: ", "unknown key"),
        // Wrong types.
        ("[display]\nascii = \"yes\"\n", 2, "[display] ascii: ", "expected true or false, not a string"),
        ("[sources]\nagents = \"10.0.0.7:50051\"\n", 2, "[sources] agents: ", "expected a list of strings"),
        ("[wall]\nviews = [1, 2]\n", 2, "[wall] views: ", "expected a list of strings, not an integer"),
        ("[keys]\nquit = 7\n", 2, "[keys] quit: ", "expected a key name or a list of them"),
        ("display = 3\n", 1, "display: ", "expected a section"),
        // Wrong values.
        ("[display]\ncolors = \"16\"\n", 2, "[display] colors: ", "\"16\" is not a colour depth"),
        ("[display]\nrefresh = \"fast\"\n", 2, "[display] refresh: ", "is not a duration"),
        ("[display]\nrefresh = \"1ms\"\n", 2, "[display] refresh: ", "out of range"),
        ("[wall]\ncycle = \"20\"\n", 2, "[wall] cycle: ", "is not a duration"),
        ("[wall]\nviews = [\"overview\", \"wall\"]\n", 2, "[wall] views: ", "\"wall\" is not a view"),
        ("[wall]\nviews = []\n", 2, "[wall] views: ", "names no view"),
        ("[sources]\nagents = [\"node-07\"]\n", 2, "[sources] agents: ", "is not HOST:PORT"),
        ("[sources]\nagents = [\"a:1\"]\ncluster = \"c.toml\"\n", 3, "[sources] cluster: ", "both name the agents"),
        // [keys]: unknown action, an action no key may run, an unknown key name, no key.
        ("[keys]\nquit = \"Q\"\nfly = \"f\"\n", 3, "[keys] fly: ", "unknown action"),
        ("[keys]\ndrain = \"d\"\n", 2, "[keys] drain: ", "changes the cluster"),
        ("[keys]\nculprit = [\"c\", \"F13\"]\n", 2, "[keys] culprit: ", "\"F13\" is not a key name"),
        ("[keys]\nhelp = []\n", 2, "[keys] help: ", "has no key"),
        // Clashes: with a default binding not remapped away, between two remaps, with a view's key.
        (
            "[display]\nascii = true\n\n[keys]\nculprit = \"w\"\n", 5, "[keys] culprit: ",
            "\"w\" is already bound to culprit-request"
        ),
        ("[keys]\nquit = \"x\"\nhelp = [\"F1\", \"x\"]\n", 3, "[keys] help: ", "\"x\" is already bound to quit"),
        ("[keys]\nsort = \"1\"\n", 2, "[keys] sort: ", "\"1\" is already bound to overview"),
        ("[keys]\noverview = \"s\"\n", 2, "[keys] overview: ", "\"s\" is already bound to sort"),
        // TOML syntax.
        ("[display]\nascii = true\ncolors = \"8\n", 3, "colors: ", "TOML syntax")
    ])
    func mistake_namesFileLineAndKey(text: String, line: Int, key: String, problem: String) {
        #expect {
            try DashboardConfig.parse(text, file: "config.toml")
        } throws: { error in
            let message = (error as? ConfigError)?.description ?? "\(error)"
            let located = message.hasPrefix("config.toml:\(line): \(key)")
            let named = message.contains(problem)
            if !located || !named { Issue.record("got: \(message)") }
            return located && named && !message.contains("\n")
        }
    }

    @Test func mistakes_sayWhatToDo() throws {
        let error = try #require(throws: ConfigError.self) {
            try DashboardConfig.parse("[keys]\nculprit = \"w\"\n", file: "config.toml")
        }
        #expect(
            error.description.contains("; choose another key, or bind culprit-request to a different key in [keys]"))
    }
}
