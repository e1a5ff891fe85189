import InfertopUI
import InfertopWire

/// Opening a recording for a command: errors become usage failures (exit 2) naming the file and
/// what is wrong, and a position given as `--at` is found in it.
enum RecordingLoader {
    static func open(_ path: String) throws -> Recording {
        do {
            return try Recording.open(path: path)
        } catch {
            throw UsageFailure(message: error.describe(path: path))
        }
    }

    /// The position `--at` names in `recording`, or a usage failure saying why it is not in it
    /// (and where the file is cut, when that is the reason).
    static func position(_ at: String, in recording: Recording, flag: String = "--at") throws -> Double {
        let target: ReplayTarget
        switch ReplayTarget.parse(at) {
        case .success(let t): target = t
        case .failure(let error): throw UsageFailure(message: "\(flag): \(error.description)")
        }
        switch target.position(startUnixTime: recording.unixTime(at: 0), length: recording.length) {
        case .success(let position): return position
        case .failure(let error):
            let cut = recording.damage.map { "; \($0.sentence)" } ?? ""
            throw UsageFailure(message: "\(flag): \(error.description)\(cut)")
        }
    }
}
