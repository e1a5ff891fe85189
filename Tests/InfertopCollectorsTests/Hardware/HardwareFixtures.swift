import Foundation

/// Paths to the hardware fixtures, scratch copies of sysfs trees, and the fake NVML library.
enum HardwareFixtures {
    struct CommandFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// `Fixtures/<name>` next to this test target, found from this file's path.
    static func path(_ name: String, file: String = #filePath) -> String {
        var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
        while dir.lastPathComponent != "InfertopCollectorsTests" && dir.path != "/" {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// A fresh, empty folder under the system temp folder.
    static func temporaryDirectory(_ tag: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("infertop-hw-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Deletes a scratch folder made by `temporaryDirectory` or `copyTree`.
    static func removeScratch(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Deletes the scratch folder holding the file at `path`.
    static func removeScratch(containing path: String) {
        removeScratch(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// A copy of fixture tree `name` that a test may change; returns the copy's root.
    static func copyTree(_ name: String) throws -> String {
        let root = try temporaryDirectory(name)
        try FileManager.default.removeItem(atPath: root)
        try FileManager.default.copyItem(atPath: path(name), toPath: root)
        return root
    }

    /// Writes `text` and a newline over the file at `root/relative`, as sysfs would show it.
    static func write(_ text: String, to relative: String, in root: String) throws {
        try (text + "\n").write(toFile: root + "/" + relative, atomically: false, encoding: .utf8)
    }

    /// Compiles `Fixtures/nvml/fake_nvml.c` with `defines` into a folder of its own, so every
    /// test gets its own library instance (and counters), and returns the library's path.
    static func buildFakeNVML(_ defines: [String] = []) throws -> String {
        let dir = try temporaryDirectory("nvml")
        let output = dir + "/libnvidia-ml.so.1"
        let source = path("nvml/fake_nvml.c")
        try run([compiler(), "-shared", "-fPIC", "-O1", "-o", output, source] + defines)
        return output
    }

    /// `cc`, else `gcc`, else `clang` (which every Swift toolchain ships), from `PATH`.
    private static func compiler() -> String {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for name in ["cc", "gcc", "clang"] {
            if dirs.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }) { return name }
        }
        return "cc"
    }

    private static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self)
            throw CommandFailed(description: "\(arguments.joined(separator: " ")) failed: \(text)")
        }
    }
}
