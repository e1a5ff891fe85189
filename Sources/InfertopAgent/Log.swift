import Foundation

/// The agent's log: one line per event on stderr (journald adds the time and unit).
public enum Log {
    public static func info(_ message: String) { write("info", message) }
    public static func warning(_ message: String) { write("warning", message) }
    public static func error(_ message: String) { write("error", message) }

    private static func write(_ level: String, _ message: String) {
        FileHandle.standardError.write(Data("infertop-agent \(level): \(message)\n".utf8))
    }
}
