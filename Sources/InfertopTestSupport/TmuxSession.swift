import Foundation

/// A program running in a private tmux server, driven like a person would: keys in,
/// screen text out. Waits poll the screen against a deadline instead of sleeping; the default
/// deadline is generous (90 s) so a slow first frame on a loaded 2-core machine is waited for.
public final class TmuxSession {
    public let socket: String
    public let name = "infertop-test"

    /// Starts `command` (run by `sh -c`) in a detached session of the given size.
    public init(command: String, columns: Int = 200, rows: Int = 50, environment: [String: String] = [:]) throws {
        socket = "infertop-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var exports = ""
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { exports += "export \(k)='\(v)'; " }
        try tmux(
            ["new-session", "-d", "-s", name, "-x", "\(columns)", "-y", "\(rows)", "sh", "-c", exports + command],
            capture: false)
        try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { close() }

    /// Ends the session and everything in it (the pane's programs get SIGHUP).
    public func close() { _ = try? tmux(["kill-server"]) }

    /// The visible screen, one string per row.
    public func capture() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// The visible screen with its colours and attributes as SGR escapes (`capture-pane -e`).
    public func captureStyled() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", name]) }

    /// A tmux format value of the pane, e.g. `#{alternate_on}`.
    public func format(_ spec: String) throws -> String {
        try tmux(["display-message", "-p", "-t", name, spec]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sends keys as tmux names them (`q`, `Enter`, `Escape`, `C-c`).
    public func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Sends literal text.
    public func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// Types `text` and presses Enter (a dialog's confirmation, a filter).
    public func enter(_ text: String) throws {
        try type(text)
        try send("Enter")
    }

    /// Opens the dashboard's `:` line, types `text` and presses Enter.
    public func command(_ text: String) throws {
        try send(":")
        try enter(text)
    }

    public func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(columns)", "-y", "\(rows)"])
    }

    /// Waits until the screen satisfies `predicate`, or fails with the last screen. Between
    /// looks it sleeps as a task, so a long wait holds no thread of the cooperative pool.
    @discardableResult
    public func waitFor(
        _ what: String, timeout: Duration = .seconds(90), _ predicate: (String) -> Bool
    ) async throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var screen = ""
        while clock.now < deadline {
            screen = try capture()
            if predicate(screen) { return screen }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TmuxError.timeout("waited \(timeout) for \(what); the screen showed:\n\(screen)")
    }

    /// Waits until the screen contains `text`.
    @discardableResult
    public func waitFor(text: String, timeout: Duration = .seconds(90)) async throws -> String {
        try await waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    @discardableResult
    func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        let result = try Spawn.run(["tmux", "-L", socket, "-f", "/dev/null"] + arguments)
        guard result.status == 0 else {
            throw TmuxError.failed("tmux \(arguments.joined(separator: " ")) exited \(result.status)")
        }
        return result.output
    }
}

/// Why a tmux-driven test could not go on.
public enum TmuxError: Error, CustomStringConvertible {
    case timeout(String)
    case failed(String)

    public var description: String {
        switch self {
        case .timeout(let s), .failed(let s): s
        }
    }
}
