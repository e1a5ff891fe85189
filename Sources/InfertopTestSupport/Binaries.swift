import Foundation
import InfertopCore

/// Finds the built executables for tests that run them.
public enum Binaries {
    /// The folder holding the test runner, which is where SwiftPM puts the built products.
    public static var productsDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["INFERTOP_BIN_DIR"] { return URL(fileURLWithPath: path) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // The runner may sit inside `<name>.xctest/` on some platforms.
        while dir.pathExtension == "xctest" || dir.lastPathComponent.hasSuffix(".xctest") {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    public static func path(_ name: String) -> String { productsDirectory.appendingPathComponent(name).path }

    /// Runs a system tool and returns its standard output.
    public static func runTool(_ path: String, _ arguments: [String]) throws -> String {
        try Spawn.run([path] + arguments).output
    }

    /// Runs a program to completion with no terminal; returns status, stdout and stderr.
    public static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        let (out, err) = process.pipingOutput(environment: environment)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: outData, as: UTF8.self),
            String(decoding: errData, as: UTF8.self)
        )
    }
}
