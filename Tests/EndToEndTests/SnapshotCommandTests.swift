import Foundation
import InfertopTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The built `infertop` binary, run as a script would: output, exit codes, messages.
@Suite struct SnapshotCommandTests {
    @Test func snapshot_isDeterministic_andSeedMatters() async throws {
        let args = ["snapshot", "--demo", "--seed", "7", "--at", "70", "--size", "120x40"]
        let a = try await Binaries.run("infertop", args)
        let b = try await Binaries.run("infertop", args)
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.split(separator: "\n").count == 40)
        let c = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--seed", "8", "--at", "70", "--size", "120x40"])
        #expect(c.stdout != a.stdout)
    }

    @Test func snapshot_ansiCarriesColours_andTextDoesNot() async throws {
        let ansi = try await Binaries.run("infertop", ["snapshot", "--demo", "--format", "ansi", "--size", "80x24"])
        #expect(ansi.status == 0)
        #expect(ansi.stdout.contains("38;5;"))
        let eight = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--format", "ansi", "--colors", "8", "--size", "80x24"])
        #expect(!eight.stdout.contains("38;5;"))
        let text = try await Binaries.run("infertop", ["snapshot", "--demo", "--size", "80x24"])
        #expect(!text.stdout.contains("\u{1B}"))
    }

    @Test func snapshot_memoryAndNodeViews() async throws {
        let memory = try await Binaries.run("infertop", ["snapshot", "--demo", "--view", "memory", "--size", "120x40"])
        #expect(memory.stdout.contains("KV FREE"))
        let node = try await Binaries.run("infertop", ["snapshot", "--demo", "--node", "node-03", "--size", "120x40"])
        #expect(node.stdout.contains("REPLICAS ON THIS NODE"))
    }

    /// `--wall` prints the wall's frame: at the KV squeeze it holds on the culprit's view with the
    /// name in block type, at every size the wall supports, down to 40x12 (too small for the
    /// dashboard's own frame).
    @Test func snapshot_wall_holdsTheCulpritInLargeType_downTo40x12() async throws {
        for (size, rows) in [("200x50", 50), ("100x30", 30), ("40x12", 12)] {
            let r = try await Binaries.run("infertop", ["snapshot", "--demo", "--wall", "--at", "70", "--size", size])
            #expect(r.status == 0, "\(size): \(r.stderr)")
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(lines.count == rows, "\(size)")
            // Freshness: in the header, or (40 columns) on the line below it.
            #expect(lines.prefix(2).contains { $0.contains("data 0.0s old") }, "\(size): no freshness in\n\(r.stdout)")
            // BigText draws each letter five rows high in full blocks.
            #expect(
                lines.filter { $0.filter { $0 == "█" }.count >= 6 }.count >= 5, "\(size): no large type in\n\(r.stdout)"
            )
        }
        let wide = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--wall", "--at", "70", "--size", "100x30"])
        #expect(wide.stdout.contains("CULPRIT node-10 gpu6"))
        let calm = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--wall", "--at", "30", "--size", "100x30"])
        #expect(calm.stdout.contains("cycling"), "a calm wall says what it cycles: \(calm.stdout)")
    }

    @Test(arguments: [
        (
            ["snapshot", "--demo", "--wall", "--size", "39x12"],
            "--size 39x12 is too small: the wall needs at least 40x12"
        ),
        (["snapshot", "--demo", "--wall", "--waterfall"], "--wall prints the read-only wall"),
        (["snapshot", "--demo", "--view", "bogus"], "--view"),
        (["snapshot", "--demo", "--size", "60x15"], "--size 60x15 is too small"),
        (["snapshot", "--demo", "--size", "wide"], "--size must look like COLSxROWS"),
        (["snapshot", "--demo", "--at=-5"], "--at must be zero or more"),
        (["snapshot", "--size", "80x24"], "snapshot needs --demo"),
        (["snapshot", "--demo", "--nodes", "0"], "--nodes must be 1 to"),
        (["snapshot", "--demo", "--node", "node-99"], "--node: no node named 'node-99'"),
        (["snapshot", "--demo", "--theme", "/nonexistent.toml"], "--theme"),
        (
            ["snapshot", "--demo", "--theme", "solarized"],
            "--theme: no built-in theme 'solarized': use one of default, "
        ),
        (["snapshot", "--demo", "--format", "png"], "--format"),
        (["demo", "--speed", "0"], "--speed must be between"),
        (["snapshot", "--prometheus", "prom:9090"], "--prometheus: 'prom:9090' is not an http:// or https:// URL"),
        (
            ["snapshot", "--prometheus", "http://p:9090", "--prometheus-match", "{cluster=a}"],
            "--prometheus-match: 'cluster=a'"
        ),
        (
            ["snapshot", "--prometheus", "http://p:9090", "--prometheus-user", "u"],
            "--prometheus-user and --prometheus-password-file go together"
        ),
        (
            ["snapshot", "--prometheus", "http://p:9090", "--prometheus-ca", "/nonexistent.pem"],
            "--prometheus-ca: cannot read /nonexistent.pem"
        ),
        (
            ["snapshot", "--prometheus-match", "{cluster=\"a\"}", "--demo"],
            "--prometheus-* options need --prometheus URL"
        ),
        (
            ["snapshot", "--demo", "--prometheus", "http://p:9090"],
            "say only one of --demo, --replay FILE or --prometheus URL"
        ),
        (["wall", "--prometheus", "ftp://p"], "--prometheus: 'ftp://p' is not an http:// or https:// URL"),
        (["frobnicate"], "frobnicate")
    ])
    func badInput_exits2WithOneLineNamingTheFlag(args: [String], fragment: String) async throws {
        let r = try await Binaries.run("infertop", args)
        #expect(r.status == 2, "\(args) exited \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr was: \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line, got: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [
        ("bad_colour.toml", "bad_colour.toml:5: key 'warn': malformed colour"),
        ("bad_canvas.toml", "bad_canvas.toml:5: key 'paint': expected true or false"),
        (
            "monochrome_with_colors.toml",
            "monochrome_with_colors.toml:4: key 'colors': a monochrome theme draws no colour"
        )
    ])
    func badTheme_exits2NamingFileLineAndKey(file: String, fragment: String) async throws {
        let path = FixturePaths.repoRoot + "/Tests/InfertopUITests/Fixtures/themes/invalid/" + file
        for command in [["snapshot", "--demo"], ["demo"]] {
            let r = try await Binaries.run("infertop", command + ["--theme", path])
            #expect(r.status == 2, "\(command)")
            #expect(r.stderr.hasPrefix("infertop: --theme: \(path.dropLast(file.count))\(fragment)"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
    }

    /// Built-in themes are in the binary: they work from a folder with no themes/ in it.
    @Test func builtInTheme_worksFromAnyDirectory_andPaintsItsBackground() async throws {
        let light = try Self.run(
            ["snapshot", "--demo", "--theme", "light", "--format", "ansi", "--size", "80x24"], in: "/")
        #expect(light.status == 0, "\(light.stderr)")
        #expect(light.stdout.contains(";48;5;231m"), "light paints white behind every cell")
        let file = try Self.run(
            [
                "snapshot", "--demo", "--theme", FixturePaths.repoRoot + "/themes/light.toml", "--format", "ansi",
                "--size", "80x24"
            ], in: "/")
        #expect(file.stdout == light.stdout, "the file and the built-in theme are the same")
        let plain = try await Binaries.run("infertop", ["snapshot", "--demo", "--format", "ansi", "--size", "80x24"])
        #expect(!plain.stdout.contains(";48;5;"), "the default keeps the terminal's background")
        let mono = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--theme", "monochrome", "--format", "ansi", "--size", "80x24"])
        #expect(!mono.stdout.contains("38;5;") && !mono.stdout.contains("48;5;"))
    }

    @Test func svg_parsesAndShowsTheFramesText() async throws {
        let args = [
            "snapshot", "--demo", "--at", "75", "--view", "requests", "--size", "100x30", "--theme", "catppuccin-mocha"
        ]
        let text = try await Binaries.run("infertop", args)
        let svg = try await Binaries.run("infertop", args + ["--format", "svg"])
        #expect(svg.status == 0)
        #expect(svg.stdout.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let parser = XMLParser(data: Data(svg.stdout.utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(svg.stdout.contains("fill=\"#1E1E2E\""), "Catppuccin's base behind everything")
        // Every non-blank row's words appear in the picture.
        for row in text.stdout.split(separator: "\n") {
            for word in row.split(separator: " ") where !word.contains("&") && !word.contains("<") {
                #expect(svg.stdout.contains(word), "\(word)")
            }
        }
    }

    @Test func waterfallAndDialogs_openAsKeysWould() async throws {
        let waterfall = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--at", "75", "--waterfall", "--size", "120x40"])
        #expect(waterfall.status == 0, "\(waterfall.stderr)")
        #expect(waterfall.stdout.contains("TRACE "), "\(waterfall.stdout)")
        #expect(waterfall.stdout.contains("biggest gap"))
        let dialog = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--size", "120x40", "--command", "cordon node-03 --reason \"disk\""])
        #expect(dialog.stdout.contains("Cancel"), "\(dialog.stdout)")
        let help = try await Binaries.run("infertop", ["snapshot", "--demo", "--size", "120x40", "--command", "help"])
        #expect(help.stdout.contains(":theme NAME"))
        let themed = try await Binaries.run(
            "infertop", ["snapshot", "--demo", "--size", "80x24", "--format", "ansi", "--command", "theme light"])
        #expect(themed.stdout.contains(";48;5;231m"), ":theme switches the snapshot's theme too")
    }

    /// Runs the built infertop in `directory`.
    static func run(_ arguments: [String], in directory: String) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binaries.path("infertop"))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test func helpAndVersion_exitZero() async throws {
        let help = try await Binaries.run("infertop", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("demo"))
        #expect(help.stdout.contains("snapshot"))
        let version = try await Binaries.run("infertop", ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("0."))
        let sub = try await Binaries.run("infertop", ["snapshot", "--help"])
        #expect(sub.stdout.contains("--size"))
    }
}
