import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopUI

/// A replay's keys, commands and scrub line; the live dashboard keeps its own keys.
@Suite struct ReplayKeysTests {
    func replayModel(size: Size = Size(columns: 120, rows: 40)) -> Model {
        var m = Fixtures.model(size: size)
        m.readOnlyReason = ReadOnlyReason.replay
        // 2024-01-01 14:00:00 UTC.
        m.replay = ReplayStatus(position: 83, length: 720, speed: 2, isPlaying: true, startUnixTime: 1_704_117_600)
        return m
    }

    func type(_ m: inout Model, _ text: String) -> [Effect] {
        var effects = update(&m, .key(.char(":")))
        for c in text { effects += update(&m, .key(.char(c))) }
        return effects + update(&m, .key(.enter))
    }

    @Test func replay_takesOverSpaceArrowsAndBrackets() {
        var m = replayModel()
        #expect(update(&m, .key(.char(" "))) == [.replay(.togglePlay)])
        #expect(update(&m, .key(.left)) == [.replay(.step(by: -10))])
        #expect(update(&m, .key(.right)) == [.replay(.step(by: 10))])
        #expect(update(&m, .key(.char("["))) == [.replay(.speed(times: 0.5))])
        #expect(update(&m, .key(.char("]"))) == [.replay(.speed(times: 2))])
        #expect(m.markedNodes.isEmpty, "space marks nothing in a replay")
    }

    @Test func live_keepsItsKeys_andTheReplayKeysSaySo() {
        var m = Fixtures.model(size: Size(columns: 120, rows: 40))
        #expect(update(&m, .key(.char(" "))).isEmpty)
        #expect(m.markedNodes.count == 1, "space marks the selected node live")
        #expect(update(&m, .key(.char("["))).isEmpty)
        #expect(m.status?.isError == true)
        #expect(type(&m, "goto 90").isEmpty)
        #expect(m.status?.text.contains("works in a replay") == true)
    }

    @Test func goto_andSpeed_commands() {
        var m = replayModel()
        #expect(type(&m, "goto 02:14:30") == [.replay(.jump(to: .clock(2 * 3600 + 14 * 60 + 30)))])
        #expect(type(&m, "goto 90") == [.replay(.jump(to: .seconds(90)))])
        #expect(type(&m, "speed 8") == [.replay(.setSpeed(8))])
        #expect(type(&m, "goto soon").isEmpty)
        #expect(m.status?.text.contains("not a time") == true)
    }

    @Test func mutations_areRefusedOnScreen() {
        var m = replayModel()
        #expect(type(&m, "cordon node-03 --reason test").isEmpty)
        #expect(m.status?.text.contains(ReadOnlyReason.replay) == true, "\(String(describing: m.status))")
    }

    @Test func scrubLine_showsPlayheadLengthSpeedAndClock() {
        var m = replayModel()
        m.status = nil
        let footer = view(m).rows.last!
        #expect(footer.contains("00:01:23 / 00:12:00"), "\(footer)")
        #expect(footer.contains("2x"))
        #expect(footer.contains("14:01:23 UTC"), "the wall-clock time of the frame")
        #expect(footer.contains("REPLAY"))
        m.replay?.isPlaying = false
        m.replay?.cut = "00:12:00"
        let paused = view(m).rows.last!
        #expect(paused.contains("cut at 00:12:00"))
        #expect(!paused.contains("▶"))
    }

    @Test func help_listsTheReplayKeys() {
        var m = replayModel()
        m.showHelp = true
        let text = view(m).rows.joined(separator: "\n")
        #expect(text.contains("Replay (infertop replay)"))
        #expect(text.contains("play or pause the replay"))
    }

    @Test(arguments: [
        ("90", 90.0), ("0", 0.0), ("14:00:00", 0.0), ("14:02:14", 134.0), ("14:12", 720.0)
    ])
    func targets_resolveToPositions(text: String, position: Double) throws {
        let target = try ReplayTarget.parse(text).get()
        #expect(try target.position(startUnixTime: 1_704_117_600, length: 720).get() == position)
    }

    @Test func targets_outsideTheRecording_sayItsSpan() {
        let late = ReplayTarget.parse("15:00:00").flatMap { $0.position(startUnixTime: 1_704_117_600, length: 720) }
        if case .failure(let error) = late {
            #expect(error.description.contains("14:00:00 to 14:12:00"))
        } else {
            Issue.record("15:00 is not in a 12-minute recording")
        }
        if case .success = ReplayTarget.parse("25:00:00") { Issue.record("25:00:00 parsed") }
        if case .success = ReplayTarget.parse("-4") { Issue.record("-4 parsed") }
    }
}
