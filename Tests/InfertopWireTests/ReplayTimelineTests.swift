import InfertopCore
import InfertopReplay
import InfertopUI
import InfertopWire
import Testing

/// The replay's timeline (target InfertopReplay, tested here beside the recordings it reads):
/// wherever it comes from (forward, back, a keyframe), the frame at a position is the same.
@Suite struct ReplayTimelineTests {
    @Test func seeking_backAndForth_throughKeyframes_showsTheFrameOfAFreshReplay() throws {
        let file = TemporaryRecording()
        defer { file.cleanUp() }
        let recorder = try FeedRecorder(path: file.path, source: "test seed 7")
        for e in SyntheticAgents(nodes: 4, at: 55).entries(seconds: 12) { recorder.record(e.input, at: e.micros) }
        recorder.close()
        let recording = try Recording.open(path: file.path)
        func frame(_ model: Model) -> [String] { view(model).rows }
        func fresh(at position: Double) -> [String] {
            var model = Model(size: Size(columns: 140, rows: 40), source: recording.header.source)
            var timeline = ReplayTimeline(recording: recording)
            timeline.move(&model, to: position)
            return frame(model)
        }
        var timeline = ReplayTimeline(recording: recording, keyframeSeconds: 1)
        var model = Model(size: Size(columns: 140, rows: 40), source: recording.header.source)
        timeline.move(&model, to: recording.length)
        #expect(timeline.keyframeCount >= 10)
        for position in [3.2, 9.7, 2.0, 11.5, 0.4, 7.25, 7.25, 12.0] {
            timeline.move(&model, to: position)
            #expect(frame(model) == fresh(at: position), "at \(position)")
        }
        #expect(fresh(at: 9.7) != fresh(at: 2.0), "the frames change over the recording")
    }
}
