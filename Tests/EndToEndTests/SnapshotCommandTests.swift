import InfertopTestSupport
import Testing

/// The built `infertop` binary, run as a script would: output, exit codes, messages.
@Suite struct SnapshotCommandTests {
    @Test func snapshot_isDeterministic_andSeedMatters() async throws {
        let args = ["snapshot", "--demo", "--seed", "7", "--at", "70", "--size", "120x40"]
        let a = try await Binaries.run("infertop", args)
        let b = try await Binaries.run("infertop", args)
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout.split(separator: "\n").count == 40)
        let c = try await Binaries.run("infertop", ["snapshot", "--demo", "--seed", "8", "--at", "70", "--size", "120x40"])
        #expect(c.stdout != a.stdout)
    }

    @Test func snapshot_ansiCarriesColours_andTextDoesNot() async throws {
        let ansi = try await Binaries.run("infertop", ["snapshot", "--demo", "--format", "ansi", "--size", "80x24"])
        #expect(ansi.status == 0)
        #expect(ansi.stdout.contains("38;5;"))
        let eight = try await Binaries.run("infertop", ["snapshot", "--demo", "--format", "ansi", "--colors", "8", "--size", "80x24"])
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

    @Test(arguments: [
        (["snapshot", "--demo", "--view", "bogus"], "--view"),
        (["snapshot", "--demo", "--size", "60x15"], "--size 60x15 is too small"),
        (["snapshot", "--demo", "--size", "wide"], "--size must look like COLSxROWS"),
        (["snapshot", "--demo", "--at=-5"], "--at must be zero or more"),
        (["snapshot", "--size", "80x24"], "snapshot needs --demo"),
        (["snapshot", "--demo", "--nodes", "0"], "--nodes must be 1 to"),
        (["snapshot", "--demo", "--node", "node-99"], "--node: no node named 'node-99'"),
        (["snapshot", "--demo", "--theme", "/nonexistent.toml"], "--theme"),
        (["demo", "--speed", "0"], "--speed must be between"),
        (["frobnicate"], "frobnicate"),
    ])
    func badInput_exits2WithOneLineNamingTheFlag(args: [String], fragment: String) async throws {
        let r = try await Binaries.run("infertop", args)
        #expect(r.status == 2, "\(args) exited \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr was: \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line, got: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func badTheme_namesFileLineAndKey() async throws {
        let path = FixturePaths.repoRoot + "/Tests/InfertopUITests/Fixtures/themes/invalid/bad_colour.toml"
        let r = try await Binaries.run("infertop", ["snapshot", "--demo", "--theme", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad_colour.toml:"))
        #expect(r.stderr.contains("key '"))
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
