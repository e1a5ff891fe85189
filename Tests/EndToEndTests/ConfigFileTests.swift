import Foundation
import InfertopTestSupport
import Testing

/// The real `infertop` binary with a config file: found through XDG_CONFIG_HOME or `--config`,
/// honoured by the demo snapshot, overridden by flags, and a broken one exits 2 naming file,
/// line and key.
@Suite struct ConfigFileTests {
    /// A fresh folder holding `infertop/config.toml` with `text`, for XDG_CONFIG_HOME.
    func configHome(_ text: String?) throws -> String {
        let home = NSTemporaryDirectory() + "infertop-config-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home + "/infertop", withIntermediateDirectories: true)
        if let text { try text.write(toFile: home + "/infertop/config.toml", atomically: true, encoding: .utf8) }
        return home
    }

    func snapshot(_ extra: [String], home: String) throws -> (status: Int32, stdout: String, stderr: String) {
        try Binaries.run(
            "infertop", ["snapshot", "--demo", "--size", "80x24"] + extra, environment: ["XDG_CONFIG_HOME": home])
    }

    @Test func snapshot_honoursTheFilesAsciiAndColours() throws {
        let empty = try configHome(nil)
        let configured = try configHome("[display]\nascii = true\ncolors = \"8\"\n")
        defer { for home in [empty, configured] { try? FileManager.default.removeItem(atPath: home) } }

        let plain = try snapshot([], home: empty)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.unicodeScalars.contains { !$0.isASCII }, "the default draws with Unicode")
        let ascii = try snapshot([], home: configured)
        #expect(ascii.status == 0, "\(ascii.stderr)")
        let allASCII = ascii.stdout.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(allASCII, "ascii = true in the file")

        let eight = try snapshot(["--format", "ansi"], home: configured)
        #expect(eight.stdout.contains("\u{1B}["))
        #expect(!eight.stdout.contains("38;5;"), "colors = \"8\" in the file")
        let flagWins = try snapshot(["--format", "ansi", "--colors", "256"], home: configured)
        #expect(flagWins.stdout.contains("38;5;"), "--colors 256 wins over the file")
    }

    @Test func snapshot_honoursTheFilesThemeFile_relativeToTheConfig() throws {
        let home = try configHome("[display]\ntheme = \"mine.toml\"\n")
        let empty = try configHome(nil)
        defer { for folder in [home, empty] { try? FileManager.default.removeItem(atPath: folder) } }
        try "[colors]\ntext = \"#123456\"\n".write(
            toFile: home + "/infertop/mine.toml", atomically: true, encoding: .utf8)
        let themed = try snapshot(["--format", "ansi"], home: home)
        #expect(themed.status == 0, "\(themed.stderr)")
        let plain = try snapshot(["--format", "ansi"], home: empty)
        #expect(themed.stdout != plain.stdout, "the theme file changed the colours")
    }

    @Test func brokenDefaultFile_exits2NamingFileLineAndKey() throws {
        let home = try configHome("[display]\nascii = true\n\n[keys]\nculprit = \"w\"\n")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let r = try snapshot([], home: home)
        #expect(r.status == 2)
        #expect(
            r.stderr.hasPrefix(
                "infertop: \(home)/infertop/config.toml:5: [keys] culprit: \"w\" is already bound to culprit-request"),
            "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func dashboard_withABrokenConfig_exits2BeforeTouchingTheTerminal() throws {
        let home = try configHome("[sources]\nagents = [\"127.0.0.1:1\"]\n[display]\ncolors = \"16\"\n")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let r = try Binaries.run("infertop", [], environment: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 2)
        #expect(r.stderr.contains("config.toml:4: [display] colors: \"16\" is not a colour depth"), "\(r.stderr)")
    }

    @Test func missingConfigFlagFile_isAnError_missingDefaultFileIsNot() throws {
        let home = try configHome(nil)
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(try snapshot([], home: home).status == 0)
        let r = try snapshot(["--config", home + "/nope.toml"], home: home)
        #expect(r.status == 2)
        #expect(r.stderr.contains("nope.toml: no such file"), "\(r.stderr)")
    }

    @Test func printDefault_checksOk_andCheckReportsAMistake() throws {
        let home = try configHome(nil)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let printed = try Binaries.run("infertop", ["config", "--print-default"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("[keys]"))
        let path = home + "/default.toml"
        try printed.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let ok = try Binaries.run("infertop", ["config", "--check", path])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "\(path): ok\n")

        let bad = home + "/bad.toml"
        try "[keys]\nquit = \"Q\"\nfly = \"f\"\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let check = try Binaries.run("infertop", ["config", "--check", bad])
        #expect(check.status == 2)
        #expect(check.stderr.contains("bad.toml:3: [keys] fly: unknown action"), "\(check.stderr)")
        #expect(check.stdout.isEmpty)
    }
}
