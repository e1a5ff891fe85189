import Foundation
import InfertopCLI
import Synchronization
import Testing

/// ``LogOutput``: stderr unless a file is named, and never stderr while the screen is up.
@Suite struct LogOutputTests {
    final class Captured: Sendable {
        private let storage = Mutex("")
        var text: String { storage.withLock { $0 } }
        func append(_ s: String) { storage.withLock { $0 += s } }
    }

    @Test func stderr_whileNoScreen_dropped_whileTheScreenIsUp() {
        let stderr = Captured()
        let output = LogOutput(standardError: stderr.append)
        output.write("before")
        output.whileScreenIsUp { output.write("during") }
        output.write("after")
        #expect(stderr.text == "before\nafter\n")
    }

    @Test func file_getsEveryLine_screenOrNot_andStderrNone() throws {
        let stderr = Captured()
        let output = LogOutput(standardError: stderr.append)
        let path = NSTemporaryDirectory() + "infertop-logoutput-\(getpid()).log"
        defer { unlink(path) }
        try "earlier\n".write(toFile: path, atomically: true, encoding: .utf8)
        try output.send(toFile: path)
        output.write("before")
        output.whileScreenIsUp { output.write("during") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "earlier\nbefore\nduring\n")
        #expect(stderr.text.isEmpty)
    }

    @Test func file_thatCannotBeOpened_namesThePathAndWhy() {
        let output = LogOutput(standardError: { _ in })
        #expect {
            try output.send(toFile: "/nonexistent/dir/infertop.log")
        } throws: { error in
            "\(error)".hasPrefix("--log-file: cannot write /nonexistent/dir/infertop.log: No such file")
        }
    }
}
