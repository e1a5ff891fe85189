import Foundation
import InfertopUI

/// Golden-file comparison for screens and other text.
///
/// Files live beside the test file in `__Snapshots__/<Suite>/<name>.txt`. A missing file, or
/// `INFERTOP_RECORD_SNAPSHOTS=1`, records the text and reports a failure ("recorded"), so a
/// recording run never passes silently. A mismatch reports a row-numbered diff.
public enum Snapshot {
    /// Both layers of a screen golden, `<name>.txt` (the text a person reads) and
    /// `<name>.style.txt` (`style`, its runs of style roles): the failures, none when both match.
    public static func verify(
        screen: Screen, style: String, named name: String, suite: String, testFile: String = #filePath
    ) -> [String] {
        let text = screen.rows.joined(separator: "\n") + "\n"
        return [
            verify(text, named: name + ".txt", suite: suite, testFile: testFile),
            verify(style, named: name + ".style.txt", suite: suite, testFile: testFile)
        ].compactMap { $0 }
    }

    /// Compares `text` with the golden file; returns nil when equal, else a failure message.
    public static func verify(_ text: String, named name: String, suite: String, testFile: String = #filePath)
        -> String?
    {
        let dir = URL(fileURLWithPath: testFile).deletingLastPathComponent()
            .appendingPathComponent("__Snapshots__").appendingPathComponent(suite)
        let file = dir.appendingPathComponent(name)
        let record = ProcessInfo.processInfo.environment["INFERTOP_RECORD_SNAPSHOTS"] == "1"
        let existing = try? String(contentsOf: file, encoding: .utf8)
        if record || existing == nil {
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try? text.write(to: file, atomically: true, encoding: .utf8)
            return "recorded new golden file \(file.path); run again without INFERTOP_RECORD_SNAPSHOTS to compare"
        }
        guard let existing, existing != text else { return nil }
        return "\(name) differs from its golden file:\n" + diff(expected: existing, actual: text)
    }

    /// A line diff: each differing row with its number, expected then actual.
    public static func diff(expected: String, actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? String(a[i]) : "<none>"
            let y = i < b.count ? String(b[i]) : "<none>"
            if x != y {
                out.append(String(format: "%3d - %@", i + 1, x))
                out.append(String(format: "%3d + %@", i + 1, y))
            }
            if out.count > 40 { break }
        }
        return out.joined(separator: "\n")
    }
}
