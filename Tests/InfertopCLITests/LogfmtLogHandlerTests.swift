import Foundation
import InfertopCLI
import Logging
import Synchronization
import Testing

/// ``LogfmtLogHandler`` through a real `Logger`: levels, metadata layers, time.
@Suite struct LogfmtLogHandlerTests {
    /// The lines a handler wrote.
    final class Lines: Sendable {
        private let storage = Mutex<[String]>([])
        var all: [String] { storage.withLock { $0 } }
        func append(_ line: String) { storage.withLock { $0.append(line) } }
    }

    func logger(
        level: Logger.Level = .info, metadata: Logger.Metadata = [:], clock: (@Sendable () -> Date)? = nil
    ) -> (Logger, Lines) {
        let lines = Lines()
        let logger = Logger(label: "test") { _ in
            LogfmtLogHandler(level: level, metadata: metadata, clock: clock, output: lines.append)
        }
        return (logger, lines)
    }

    @Test func levelFiltering_dropsBelowTheLevel_keepsItAndAbove() {
        let (logger, lines) = logger(level: .notice)
        logger.trace("t")
        logger.debug("d")
        logger.info("i")
        logger.notice("n")
        logger.warning("w")
        logger.error("e")
        logger.critical("c")
        #expect(
            lines.all.map { $0.split(separator: " ")[0] } == [
                "level=notice", "level=warning", "level=error", "level=critical"
            ])
    }

    @Test func levelFiltering_traceKeepsEverything() {
        let (logger, lines) = logger(level: .trace)
        for level in Logger.Level.allCases { logger.log(level: level, "x") }
        #expect(lines.all.count == Logger.Level.allCases.count)
    }

    @Test func levelSetOnTheLogger_changesOnlyThatLogger() {
        let (first, lines) = logger(level: .info)
        var second = first
        second.logLevel = .error
        first.info("kept")
        second.info("dropped")
        second.error("kept too")
        #expect(lines.all == [#"level=info msg="kept""#, #"level=error msg="kept too""#])
    }

    @Test func metadata_handlerUnderLoggerUnderCallSite() {
        var (logger, lines) = logger(metadata: ["node": "from-handler", "a": "handler", "b": "handler"])
        logger[metadataKey: "node"] = "from-logger"
        logger[metadataKey: "op"] = "from-logger"
        logger.info("m", metadata: ["op": "from-call", "c": "call"])
        #expect(lines.all == [#"level=info msg="m" a=handler b=handler c=call node=from-logger op=from-call"#])
    }

    @Test func metadata_loggerCopiesAreValues() {
        var (parent, lines) = logger()
        parent[metadataKey: "node"] = "node-07"
        var child = parent
        child[metadataKey: "op"] = "3f2a"
        parent.info("parent")
        child.info("child")
        #expect(
            lines.all == [#"level=info msg="parent" node=node-07"#, #"level=info msg="child" node=node-07 op=3f2a"#])
    }

    @Test func time_onlyWhenAskedFor() {
        let noon = Date(timeIntervalSince1970: 1_796_574_261.125)
        let (timed, timedLines) = logger(clock: { noon })
        timed.info("m")
        #expect(timedLines.all == [#"time=2026-12-06T16:24:21.125Z level=info msg="m""#])
        let (plain, plainLines) = logger()
        plain.info("m")
        #expect(plainLines.all == [#"level=info msg="m""#])
    }
}
