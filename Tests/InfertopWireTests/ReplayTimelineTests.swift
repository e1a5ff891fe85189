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

    @Test func theReplayedFrame_isTheFrameOfTheLiveDashboard_thatFoldedEveryUpdateUpToT() throws {
        let file = TemporaryRecording()
        defer { file.cleanUp() }
        let entries = SyntheticAgents(nodes: 17, at: 54).entries(seconds: 10)
        let recorder = try FeedRecorder(path: file.path, source: "test seed 7")
        for e in entries { recorder.record(e.input, at: e.micros) }
        recorder.close()
        let recording = try Recording.open(path: file.path)
        for position in [2.0, 5.5, 9.9] {
            // The live dashboard: the merger's updates, folded in frame-sized batches.
            var merger = ClusterMerger()
            let updates = entries.filter { $0.micros <= recording.micros(at: position) }
                .map { merger.fold($0.input, now: FeedClock.seconds($0.micros)) }
            var live = Model(size: Size(columns: 160, rows: 45), source: "test seed 7")
            var i = 0
            while i < updates.count {
                let n = Int.random(in: 1...12)
                _ = update(&live, .clusterBatch(Array(updates[i..<min(i + n, updates.count)])))
                i += n
            }
            var replayed = Model(size: Size(columns: 160, rows: 45), source: recording.header.source)
            var timeline = ReplayTimeline(recording: recording)
            timeline.move(&replayed, to: position)
            #expect(view(replayed).rows == view(live).rows, "at \(position)")
            #expect(replayed.culprits.map(\.reason) == live.culprits.map(\.reason))
        }
    }
}
