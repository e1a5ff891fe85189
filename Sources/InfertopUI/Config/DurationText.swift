/// Durations as operators write them in the config file and on the command line: `"100ms"`,
/// `"20s"`, `"1.5s"`, `"2m"`, `"1h"`.
public enum DurationText {
    /// The duration `text` names, or nil when it is not a number followed by ms, s, m or h.
    public static func parse(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let trimmed = text.filter { $0 != " " }
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            // "ms" also ends in "s": the number must then not end in "m".
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(number) else {
                continue
            }
            return .milliseconds(Int64((value * unit.seconds * 1000).rounded()))
        }
        return nil
    }

    /// How `parse` reads it back, in the largest unit that is whole: `"1h"`, `"2m"`, `"20s"`, `"100ms"`.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        for (unit, size) in [("h", Int64(3_600_000)), ("m", 60_000), ("s", 1000)]
        where milliseconds % size == 0 && milliseconds > 0 {
            return "\(milliseconds / size)\(unit)"
        }
        return "\(milliseconds)ms"
    }
}
