import InfertopCore

/// A moment of a recording as an operator names it: seconds from the start (`90`, `1:30` is
/// not this: see below), or the wall-clock time of day the screen showed (`02:14:30`, UTC like
/// every clock time of the dashboard).
public enum ReplayTarget: Sendable, Hashable {
    case seconds(Double)
    /// Seconds since midnight (UTC) of a clock time.
    case clock(Int)

    /// `90` or `90.25` (seconds from the start), `02:14:30` or `02:14` (clock time).
    public static func parse(_ text: String) -> Result<ReplayTarget, CommandError> {
        let t = text.filter { $0 != " " && $0 != "\t" }
        if let s = Double(t) {
            guard s.isFinite, s >= 0 else {
                return .failure(CommandError(description: "a time must be zero or more seconds, got \(t)"))
            }
            return .success(.seconds(s))
        }
        let parts = t.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else {
            return .failure(
                CommandError(
                    description: "'\(t)' is not a time: give seconds from the start (90) or a clock time (02:14:30)"))
        }
        let h = parts[0]!
        let m = parts[1]!
        let s = parts.count == 3 ? parts[2]! : 0
        guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else {
            return .failure(
                CommandError(description: "'\(t)' is not a clock time: hours 0-23, minutes and seconds 0-59"))
        }
        return .success(.clock(h * 3600 + m * 60 + s))
    }

    /// The position (seconds from the start) this names in a recording that starts at
    /// `startUnixTime` and lasts `length` seconds, or why it is not in it.
    public func position(startUnixTime: Double, length: Double) -> Result<Double, CommandError> {
        let position: Double
        switch self {
        case .seconds(let s):
            position = s
        case .clock(let target):
            // The first moment at or after the start whose clock shows `target` (a recording over
            // midnight finds times of the next day).
            let startOfDay = startUnixTime.truncatingRemainder(dividingBy: 86_400)
            var d = Double(target) - startOfDay
            if d <= -1 { d += 86_400 }
            position = max(0, d)
        }
        guard position <= length else {
            let end = Format.clock(startUnixTime + length)
            let what: String
            switch self {
            case .seconds(let s): what = "\(Format.fixed(s, s == s.rounded() ? 0 : 3)) s is past the end"
            case .clock(let c): what = "\(Format.clock(Double(c))) is not in the recording"
            }
            return .failure(
                CommandError(
                    description: "\(what): it runs \(Format.clock(length)) (\(Format.clock(startUnixTime)) to \(end))"))
        }
        return .success(position)
    }
}
