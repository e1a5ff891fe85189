import ArgumentParser
import InfertopCLI
import Logging
import Testing

/// `--log-level` and `--log-time` as both executables parse them.
@Suite struct LogOptionsTests {
    @Test func default_infoWithoutTime() throws {
        #expect(try LogOptions.parse([]).settings == LogSettings(level: .info, time: false))
    }

    @Test(arguments: Logger.Level.allCases)
    func everyLevel_byItsName(level: Logger.Level) throws {
        #expect(
            try LogOptions.parse(["--log-level", level.rawValue, "--log-time"]).settings
                == LogSettings(level: level, time: true))
    }

    @Test func unknownLevel_isAUsageError_listingTheLevels() {
        do {
            _ = try LogOptions.parse(["--log-level", "loud"])
            Issue.record("parsed")
        } catch {
            #expect(LogOptions.exitCode(for: error) == .validationFailure)
            let message = LogOptions.message(for: error)
            #expect(message.contains("'loud' is not a log level"), "\(message)")
            #expect(message.contains("trace, debug, info, notice, warning, error, critical"), "\(message)")
        }
    }
}
