import Foundation
import InfertopTestSupport
import Testing

/// The dashboard in a real terminal (tmux), driven by keys as an operator would.
@Suite(.serialized) struct DashboardTmuxTests {
    /// Runs the demo in a pane; after it exits the pane prints its status and terminal mode.
    func start(_ extra: String = "", columns: Int = 200, rows: Int = 50, env: [String: String] = [:]) throws
        -> TmuxSession
    {
        let bin = Binaries.path("infertop")
        let command =
            "stty -g > /tmp/infertop-stty-before-$$; echo $$ > /tmp/infertop-shell-pid; \(bin) demo --seed 7 \(extra); "
            + "echo EXIT=$?; if [ \"$(stty -g)\" = \"$(cat /tmp/infertop-stty-before-$$)\" ]; then echo STTY=same; else echo STTY=changed; fi; "
            + "if stty -a | grep -qE '(^| )-echo( |$)'; then echo ECHO=off; else echo ECHO=on; fi; sleep 600"
        var environment = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]
        for (k, v) in env { environment[k] = v }
        return try TmuxSession(command: command, columns: columns, rows: rows, environment: environment)
    }

    @Test func demo_at200x50_showsTheWholeClusterAndQuitsCleanly() async throws {
        let t = try start()
        let screen = try await t.waitFor(text: "17/17 nodes")
        for n in 1...16 { #expect(screen.contains(n < 10 ? "node-0\(n)" : "node-\(n)")) }
        #expect(screen.contains("136 GPUs"))
        #expect(screen.contains("KV cache in use"))
        #expect(try t.format("#{alternate_on}") == "1")
        try t.send("2")
        try await t.waitFor(text: "KV FREE")
        try t.send("?")
        try await t.waitFor(text: "any key closes this help")
        try t.send("Escape")
        try await t.waitFor("help closed") { !$0.contains("any key closes this help") }
        try t.send("q")
        let after = try await waitForExit(t)
        #expect(after.contains("EXIT=0"))
        #expect(after.contains("STTY=same"))
        #expect(after.contains("ECHO=on"))
        #expect(try t.format("#{alternate_on}") == "0")
        #expect(try t.format("#{cursor_flag}") == "1")
    }

    @Test(arguments: [("TERM", 15), ("HUP", 1), ("INT", 2)])
    func signal_restoresTheTerminal(signal: String, number: Int32) async throws {
        let t = try start("--speed 2")
        try await t.waitFor(text: "17/17 nodes")
        let pid = try await childPID(of: t)
        kill(pid, number)
        let after = try await waitForExit(t)
        #expect(after.contains("EXIT=\(128 + number)"))
        #expect(after.contains("STTY=same"))
        #expect(after.contains("ECHO=on"), "echo must be back on")
        #expect(try t.format("#{alternate_on}") == "0")
        #expect(try t.format("#{cursor_flag}") == "1")
    }

    @Test func at80x24_staysReadable_andBelowItNamesTheSize() async throws {
        let t = try start(columns: 80, rows: 24)
        let screen = try await t.waitFor(text: "node-16")
        #expect(screen.contains("node-16"))
        #expect(screen.contains("q quit"))
        try t.resize(columns: 60, rows: 15)
        try await t.waitFor(text: "needs at least 80x24")
        try t.resize(columns: 80, rows: 24)
        try await t.waitFor(text: "node-16")
        try t.send("q")
        #expect(try await waitForExit(t).contains("EXIT=0"))
    }

    /// `:theme` repaints everything at once: the light theme's background is under every cell, and
    /// the monochrome theme leaves no colour behind.
    @Test func themeCommand_switchesLive_andRepaintsEveryCell() async throws {
        // `swift test` exports NO_COLOR=1 when its output is not a terminal; empty means unset.
        let t = try start(columns: 120, rows: 40, env: ["NO_COLOR": ""])
        try await t.waitFor(text: "17/17 nodes")
        let white = "48;5;231"
        #expect(try !t.captureStyled().contains(white))
        // Each status is waited for once the command line (which shows the typed text and the hint
        // "Enter runs") is gone.
        func run(_ command: String, until status: String) async throws {
            try t.command(command)
            try await t.waitFor(status) { $0.contains(status) && !$0.contains("Enter runs") }
        }
        try await run("theme light", until: "theme light")
        try await run("theme", until: "[light]")
        try await run("theme nope", until: "no theme 'nope'")
        // tmux writes a colour only where it changes: white is set, and no cell goes back to the
        // terminal's own background (SGR 49).
        let light = try t.captureStyled()
        #expect(
            light.contains(white) && !light.contains("\u{1B}[49m"), "every cell on the light theme's white:\n\(light)")
        try await run("theme monochrome", until: "theme monochrome")
        let mono = try t.captureStyled()
        #expect(!mono.contains(white) && !mono.contains("38;5;"), "no colour left:\n\(mono)")
        try t.send("q")
        #expect(try await waitForExit(t).contains("EXIT=0"))
    }

    @Test func withoutUTF8_onlyASCII() async throws {
        let t = try start(env: ["LANG": "C", "LC_ALL": "C"])
        let screen = try await t.waitFor(text: "17/17 nodes")
        let rows = screen.split(separator: "\n").prefix(45)
        #expect(rows.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }, "non-ASCII under LANG=C:\n\(screen)")
        try t.send("q")
        #expect(try await waitForExit(t).contains("EXIT=0"))
    }

    @Test func eightColours_stillDrawsTheDashboard() async throws {
        let t = try start(env: ["TERM": "xterm"])
        let screen = try await t.waitFor(text: "17/17 nodes")
        #expect(screen.contains("node-01"))
        try t.send("2")
        try await t.waitFor(text: "KV FREE")
        try t.send("q")
        #expect(try await waitForExit(t).contains("EXIT=0"))
    }

    @Test func filterAndDrillDown_fromTheKeyboard() async throws {
        let t = try start()
        try await t.waitFor(text: "17/17 nodes")
        try t.send("/")
        try t.enter("node-13")
        try await t.waitFor("only node-13") { $0.contains("filter: node-13") && !$0.contains("node-01 ") }
        try t.send("Enter")
        try await t.waitFor(text: "REPLICAS ON THIS NODE")
        try t.send("Escape")
        try t.send("Escape")
        try await t.waitFor(text: "node-01 ")
        try t.command("q")
        #expect(try await waitForExit(t).contains("EXIT=0"))
    }

    /// Waits for the pane's epilogue: exit status, terminal mode comparison and echo state.
    @discardableResult
    private func waitForExit(_ t: TmuxSession) async throws -> String {
        try await t.waitFor("the exit report") { $0.contains("STTY=") && $0.contains("ECHO=") }
    }

    /// The infertop process started by the pane's shell.
    private func childPID(of t: TmuxSession) async throws -> pid_t {
        let shell = try t.format("#{pane_pid}")
        var pid: pid_t?
        try await poll(
            "an infertop process under the pane's shell \(shell)", timeout: .seconds(60), every: .milliseconds(50),
            diagnostics: { "pgrep found none" }
        ) {
            let found = try Binaries.runTool("/usr/bin/pgrep", ["-P", shell, "-f", "infertop"])
            pid = found.split(separator: "\n").first.flatMap { pid_t($0) }
            return pid != nil
        }
        return pid!
    }
}
