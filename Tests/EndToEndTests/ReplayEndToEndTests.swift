import Foundation
import InfertopCore
import InfertopTestSupport
import Testing

/// `infertop demo --record`, then `infertop snapshot --replay` and `infertop replay`, run as an
/// operator would: the replayed frame at T is the frame the live screen showed at T.
@Suite(.serialized) struct ReplayEndToEndTests {
    static let columns = 120
    static let rows = 40

    /// A folder for one test's files, kept when the test fails so both frames can be read.
    func folder() throws -> String {
        let dir = NSTemporaryDirectory() + "infertop-replay-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The demo recording in a pane; after it exits the pane says its status.
    func recordDemo(into dir: String, extra: String = "") throws -> TmuxSession {
        let bin = Binaries.path("infertop")
        // The frame's glyphs follow the colour depth: say it, so the snapshot can use the same.
        let command =
            "\(bin) demo --seed 7 --colors 256 --record \(dir)/demo.rec --frame-log \(dir)/frames.log \(extra); echo EXIT=$?; sleep 600"
        return try TmuxSession(
            command: command, columns: Self.columns, rows: Self.rows,
            environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
    }

    @Test func snapshotReplay_atT_printsTheFrameTheLiveScreenShowedAtT() async throws {
        let dir = try folder()
        // Just before the KV-cache squeeze at 1:00, so the culprit line (ranked on feed time) has a culprit.
        let t = try recordDemo(into: dir, extra: "--start-at 57")
        defer { t.close() }
        // Seventeen agents and 57 simulated seconds of warm-up: slow on a loaded 2-core machine.
        try await t.waitFor(text: "17/17 nodes", timeout: .seconds(240))
        try await t.waitFor(text: "CULPRIT")
        // Some more seconds of live data, then catch the screen in a moment the frame log names.
        let start = try FrameLogFile(path: dir + "/frames.log", rows: Self.rows).frames.last?.time ?? 0
        var live: (screen: [String], frame: LoggedFrame)?
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(180))
        while live == nil && clock.now < deadline {
            let screen = FrameLogFile.normalized(try t.capture())
            let log = try FrameLogFile(path: dir + "/frames.log", rows: Self.rows)
            if let frame = log.frames.last(where: { FrameLogFile.normalized($0.rows) == screen }),
                frame.time >= start + 3,
                screen.contains(where: { $0.contains("CULPRIT") })
            {
                live = (screen, frame)
            }
            try await Task.sleep(for: .milliseconds(30))
        }
        let (screen, frame) = try #require(live, "no frame of the log with a culprit matched the screen within 180 s")
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")

        let replayed = try await Binaries.run(
            "infertop",
            [
                "snapshot", "--replay", dir + "/demo.rec", "--at", frame.timeText, "--size",
                "\(Self.columns)x\(Self.rows)", "--colors", "256"
            ])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let replayedRows = replayed.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try (screen.joined(separator: "\n") + "\n").write(
            toFile: dir + "/live-screen.txt", atomically: true, encoding: .utf8)
        try replayed.stdout.write(toFile: dir + "/replayed-at-\(frame.timeText).txt", atomically: true, encoding: .utf8)
        #expect(
            FrameLogFile.normalized(replayedRows) == screen,
            "the replayed frame at \(frame.timeText) differs from the live screen; both are in \(dir)")
        #expect(
            Array(replayedRows.prefix(Self.rows)) == frame.rows, "and from the frame the dashboard drew, cell for cell")
        if replayed.status == 0 && FrameLogFile.normalized(replayedRows) == screen {
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func replay_playsPausesSeeksAndRefusesMutations_andACutFileSaysWhereItStops() async throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recording = try recordDemo(into: dir)
        try await recording.waitFor(text: "17/17 nodes", timeout: .seconds(240))
        try await recording.waitFor("12 s recorded", timeout: .seconds(240)) { _ in
            ((try? FrameLogFile(path: dir + "/frames.log", rows: Self.rows).frames.last?.time) ?? 0) >= 12
        }
        try recording.send("q")
        try await recording.waitFor(text: "EXIT=0")
        recording.close()

        let bin = Binaries.path("infertop")
        let t = try TmuxSession(
            command: "\(bin) replay \(dir)/demo.rec --speed 4; echo EXIT=$?; sleep 600", columns: Self.columns,
            rows: Self.rows, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { t.close() }
        try await t.waitFor(text: "17/17 nodes", timeout: .seconds(240))
        try await t.waitFor(text: "REPLAY")
        try await t.waitFor(text: "end of the recording")
        #expect(try t.capture().contains("4x"))
        try t.command("goto 2")
        try await t.waitFor("the playhead at 2 s") { $0.contains("00:00:02 / 00:00:1") }
        try t.send("Space")
        try await t.waitFor(text: "▶ 00:00:0")
        try t.send("[")
        try await t.waitFor(text: " 2x ")
        try t.send("Space")
        try t.command("cordon node-03 --reason test")
        try await t.waitFor(text: "a replay shows what was recorded")
        try t.send("q")
        try await t.waitFor(text: "EXIT=0")

        // Cut the file's last kilobyte off (a copy taken while recording): it replays up to the cut
        // and says where.
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/demo.rec"))
        let kept = whole.count - 1000
        try whole.prefix(kept).write(to: URL(fileURLWithPath: dir + "/cut.rec"))
        let snapshot = try await Binaries.run(
            "infertop", ["snapshot", "--replay", dir + "/cut.rec", "--size", "120x40"])
        #expect(snapshot.status == 0)
        #expect(snapshot.stdout.contains("17/17 nodes"))
        #expect(snapshot.stderr.contains("recording cut at 00:00:"), "\(snapshot.stderr)")
        #expect(snapshot.stderr.contains("of \(Format.grouped(kept))): the rest is unreadable"))
        let past = try await Binaries.run("infertop", ["snapshot", "--replay", dir + "/cut.rec", "--at", "3600"])
        #expect(past.status == 2)
        #expect(past.stderr.contains("past the end") && past.stderr.contains("recording cut at"), "\(past.stderr)")
        let cut = try TmuxSession(
            command: "\(bin) replay \(dir)/cut.rec; echo EXIT=$?; sleep 600", columns: Self.columns, rows: Self.rows,
            environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { cut.close() }
        try await cut.waitFor(text: "recording cut at")
        try await cut.waitFor(text: "cut at 00:00:")
        try cut.send("q")
        try await cut.waitFor(text: "EXIT=0")
    }

    @Test(arguments: [
        (["snapshot", "--replay", "/etc/hostname"], "is not an infertop recording"),
        (["replay", "/etc/hostname"], "is not an infertop recording"),
        (["replay", "/nonexistent/x.rec"], "cannot read /nonexistent/x.rec: no such file"),
        (
            ["snapshot", "--demo", "--replay", "/etc/hostname"],
            "say only one of --demo, --replay FILE or --prometheus URL"
        ),
        (["demo", "--record-max", "100M"], "--record-max needs --record"),
        (["demo", "--record", "/tmp/x.rec", "--record-max", "lots"], "--record-max must be a size"),
        (["demo", "--record", "/nonexistent/dir/x.rec"], "--record: cannot write /nonexistent/dir/x.rec"),
        (["replay", "/etc/hostname", "--speed", "100"], "--speed must be from")
    ])
    func badRecordingInput_exits2WithOneLine(args: [String], fragment: String) async throws {
        let r = try await Binaries.run("infertop", args)
        #expect(r.status == 2, "\(args) exited \(r.status): \(r.stderr)")
        #expect(r.stderr.contains(fragment), "stderr was: \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one line, got: \(r.stderr)")
    }
}

/// One frame of a `--frame-log` file: the feed time its data is from, and its rows.
struct LoggedFrame {
    let timeText: String
    let time: Double
    let rows: [String]
}

/// A `--frame-log` file: `frame <seconds>` lines, each followed by the frame's rows.
struct FrameLogFile {
    let frames: [LoggedFrame]

    init(path: String, rows: Int) throws {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var frames: [LoggedFrame] = []
        var i = 0
        while i + rows < lines.count {
            if lines[i].hasPrefix("frame "), let time = Double(lines[i].dropFirst(6)) {
                frames.append(
                    LoggedFrame(
                        timeText: String(lines[i].dropFirst(6)), time: time, rows: Array(lines[i + 1...i + rows])))
                i += rows + 1
            } else {
                i += 1
            }
        }
        self.frames = frames
    }

    /// Rows as tmux captures them: trailing blanks trimmed, trailing empty rows dropped.
    static func normalized(_ rows: [String]) -> [String] {
        var out = rows.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    static func normalized(_ capture: String) -> [String] {
        normalized(capture.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
}
