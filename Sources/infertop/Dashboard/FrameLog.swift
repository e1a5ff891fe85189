import Foundation
import InfertopCore
import InfertopUI

/// Appends every frame the dashboard draws to a file, each under a line naming the feed time of
/// its data (`frame 83.456789`, which is its position in a recording of the same run): how a test
/// names exactly the moment whose frame `snapshot --replay --at` must print again.
final class FrameLog: Sendable {
    private let handle: FileHandle

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw UsageFailure(message: "--frame-log: cannot write \(path)") }
        self.handle = handle
    }

    func append(_ screen: Screen, time: Double?) {
        let stamp = time.map { Format.fixed($0, 6) } ?? "none"
        let text = "frame \(stamp)\n" + screen.rows.joined(separator: "\n") + "\n"
        handle.write(Data(text.utf8))
    }
}
