import Testing

@testable import InfertopUI

/// Durations as the config file (and the wall's `--cycle`) writes them.
@Suite struct DurationTextTests {
    @Test(arguments: [
        ("100ms", Duration.milliseconds(100)), ("20s", .seconds(20)), ("1.5s", .milliseconds(1500)),
        ("2m", .seconds(120)), ("1h", .seconds(3600))
    ])
    func durations(text: String, duration: Duration) {
        #expect(DurationText.parse(text) == duration)
        #expect(DurationText.parse(DurationText.format(duration)) == duration)
    }

    @Test(arguments: ["20", "s", "fast", "-1s", "1.2.3s", "10 minutes"])
    func badDurations_areNil(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}
