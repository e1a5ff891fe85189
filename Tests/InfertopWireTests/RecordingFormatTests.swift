import Foundation
import InfertopCore
import InfertopUI
import SwiftProtobuf
import Testing

@testable import InfertopWire

/// The recording format: what goes in comes out, in order, at the same times; a cut or damaged
/// file replays up to the damage and says where; anything else is refused with a clear error.
@Suite struct RecordingFormatTests {
    /// Records `entries` with short chunks (many of them) and returns the file's bytes.
    func record(_ entries: [RecordedEntry], chunkSeconds: Double = 1, maxBytes: Int? = nil, at file: TemporaryRecording)
        throws -> FeedRecorder
    {
        let recorder = try FeedRecorder(
            path: file.path, source: "test seed 7", maxBytes: maxBytes, chunkSeconds: chunkSeconds, chunkBytes: 1 << 20)
        for e in entries { recorder.record(e.input, at: e.micros) }
        recorder.close()
        #expect(recorder.failure == nil)
        return recorder
    }

    /// What the live feed would have made of `entries`: the updates, folded by a fresh merger.
    func liveUpdates(_ entries: [RecordedEntry]) -> [ClusterUpdate] {
        var merger = ClusterMerger()
        return entries.map { merger.fold($0.input, now: FeedClock.seconds($0.micros)) }
    }

    func replayedUpdates(_ recording: Recording) -> [ClusterUpdate] {
        var cursor = RecordingCursor(recording)
        return cursor.advance(through: .max)
    }

    @Test func roundTrip_replaysTheSameUpdates_inOrder_atTheSameTimes() throws {
        let file = TemporaryRecording()
        defer { file.cleanUp() }
        let entries = SyntheticAgents().entries(seconds: 8)
        _ = try record(entries, at: file)
        let recording = try Recording.open(path: file.path)
        #expect(recording.damage == nil)
        #expect(recording.header.source == "test seed 7")
        #expect(recording.chunkCount > 3, "short chunks make several")
        // The inputs come back as they went in.
        var decoded: [RecordedEntry] = []
        for i in 0..<recording.chunkCount { decoded += try recording.entries(ofChunk: i) }
        #expect(decoded.map(\.micros) == entries.map(\.micros))
        for (a, b) in zip(decoded, entries) { #expect(try Fingerprint(a.input) == Fingerprint(b.input)) }
        // And make the same updates.
        let live = liveUpdates(entries)
        let replayed = replayedUpdates(recording)
        #expect(replayed.count == live.count)
        let first = zip(replayed, live).enumerated().first { !same($0.element.0, $0.element.1) }?.offset
        #expect(first == nil, "update \(first ?? -1) differs")
        #expect(recording.length == FeedClock.seconds(entries.last!.micros))
    }

    @Test func theSameUpdates_giveTheSameFrame_howeverTheyAreBatched() throws {
        // Across the KV-cache squeeze at 1:00 of the cycle, so culprits come and go.
        let updates = liveUpdates(SyntheticAgents(nodes: 17, at: 52).entries(seconds: 14))
        func frame(_ batches: [ArraySlice<ClusterUpdate>]) -> [String] {
            var model = Model(size: Size(columns: 160, rows: 45), source: "test")
            for b in batches { _ = update(&model, .clusterBatch(Array(b))) }
            return view(model).rows
        }
        let whole = frame([updates[...]])
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3 {
            var batches: [ArraySlice<ClusterUpdate>] = []
            var i = 0
            while i < updates.count {
                let n = Int.random(in: 1...9, using: &rng)
                batches.append(updates[i..<min(updates.count, i + n)])
                i += n
            }
            #expect(frame(batches) == whole)
        }
        #expect(frame(updates.map { [$0][...] }) == whole)
    }

    @Test func truncation_atEveryByte_replaysTheWholeChunksBefore_andSaysWhere() throws {
        let file = TemporaryRecording()
        defer { file.cleanUp() }
        let entries = SyntheticAgents(nodes: 1).entries(seconds: 4)
        _ = try record(entries, chunkSeconds: 0.9, at: file)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file.path)))
        let whole = try Recording(bytes: bytes)
        let ends = (0..<whole.chunkCount).map { i in
            i + 1 < whole.chunkCount ? whole.offset(ofChunk: i + 1) : bytes.count - RecordingChunk.endMark.count
        }
        #expect(whole.chunkCount >= 4)
        let counts = try (0..<whole.chunkCount).map { try whole.entries(ofChunk: $0).count }
        for n in 0...bytes.count {
            let prefix = Array(bytes.prefix(n))
            let wholeChunks = ends.filter { $0 <= n }.count
            guard wholeChunks > 0 else {
                // Not even one chunk: a clear error, never a crash or an empty replay.
                #expect(throws: RecordingError.self) { try Recording(bytes: prefix) }
                continue
            }
            let cut = try Recording(bytes: prefix)
            #expect(cut.chunkCount == wholeChunks, "cut at \(n)")
            // Replaying is slower than reading frames: replay around each chunk's end, and every 61st byte.
            if ends.contains(where: { abs($0 - n) <= 1 }) || n % 61 == 0 {
                #expect(replayedUpdates(cut).count == counts.prefix(wholeChunks).reduce(0, +), "cut at \(n)")
            }
            if n == bytes.count {
                #expect(cut.damage == nil)
            } else {
                let damage = try #require(cut.damage, "cut at \(n) of \(bytes.count) is not reported")
                #expect(damage.byteOffset == ends[wholeChunks - 1])
                #expect(damage.fileSize == n)
                #expect(damage.sentence.hasPrefix("recording cut at 00:00:0"))
                let atBoundary = n == ends[wholeChunks - 1]
                #expect(
                    damage.reason.hasPrefix(
                        atBoundary ? "the file ends without its end mark" : "the file ends inside a chunk"))
            }
        }
    }

    @Test func corruptionInTheMiddle_stopsThere() throws {
        let file = TemporaryRecording()
        defer { file.cleanUp() }
        let entries = SyntheticAgents(nodes: 2).entries(seconds: 6)
        _ = try record(entries, at: file)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file.path)))
        let whole = try Recording(bytes: bytes)
        let damaged = whole.offset(ofChunk: 3)
        bytes[damaged + RecordingChunk.frameSize + 10] ^= 0x40
        let cut = try Recording(bytes: bytes)
        let damage = try #require(cut.damage)
        #expect(damage.byteOffset == damaged)
        #expect(damage.reason == "a chunk fails its checksum")
        #expect(
            damage.sentence.contains(
                "(byte \(Format.grouped(damaged)) of \(Format.grouped(bytes.count)))"))
        let expected = try (0..<3).reduce(0) { $0 + (try whole.entries(ofChunk: $1)).count }
        #expect(replayedUpdates(cut).count == expected)
        #expect(cut.length == FeedClock.seconds(whole.chunks[2].lastMicros))
    }

    @Test func notARecording_isAClearError() throws {
        #expect(throws: RecordingError.notARecording) { try Recording(bytes: Array("hello, world\n".utf8)) }
        #expect(RecordingError.notARecording.describe(path: "x.txt").contains("x.txt is not an infertop recording"))
        #expect(throws: RecordingError.self) { try Recording(bytes: RecordingHeader.magic + [2, 0, 0]) }
        do {
            _ = try Recording.open(path: "/nonexistent/infertop.rec")
            Issue.record("a missing file opened")
        } catch {
            #expect(error.describe(path: "/nonexistent/infertop.rec").contains("no such file"))
        }
    }

    @Test func rotation_atRecordMax_keepsOneOldFile_andEachReplaysAlone() throws {
        let file = TemporaryRecording()
        defer { file.cleanUp() }
        let entries = SyntheticAgents(nodes: 3).entries(seconds: 30)
        let max = 60_000
        let recorder = try record(entries, maxBytes: max, at: file)
        #expect(recorder.rotations >= 2)
        #expect(!FileManager.default.fileExists(atPath: file.path + ".2"))
        let old = try Recording.open(path: file.path + ".1")
        let new = try Recording.open(path: file.path)
        #expect(old.damage == nil && new.damage == nil)
        #expect(new.header.fileIndex == recorder.rotations)
        #expect(old.header.fileIndex == recorder.rotations - 1)
        #expect(old.fileSize <= max + 20_000, "a file stays near the limit (one chunk over at most)")
        // The newest file alone: the cluster as it stood at the end, its sources' states too.
        var merged = MergedCluster()
        for e in entries { merged.fold { $0.fold(e.input, now: FeedClock.seconds(e.micros)) } }
        var cursor = RecordingCursor(new)
        _ = cursor.advance(through: .max)
        let alone = cursor.state
        #expect(alone.topology.nodes.map(\.id) == merged.state.topology.nodes.map(\.id))
        #expect(alone.gpuSamples == merged.state.gpuSamples)
        #expect(alone.sources == merged.state.sources)
        #expect(alone.replicaSamples == merged.state.replicaSamples)
        #expect(alone.time == merged.state.time)
        #expect(new.length > 0 && new.header.startMicros > 0)
    }
}

/// An input reduced to what must survive a round trip.
struct Fingerprint: Equatable {
    let text: String
    init(_ input: FeedInput) throws {
        switch input {
        case .start(let s): text = "start \(s)"
        case .status(let s): text = "status \(s)"
        case .message(let m, let a, let v): text = "message \(a) \(v) \(try m.serializedBytes() as [UInt8])"
        case .fleet(let event, let a): text = "fleet \(a) \(event)"
        case .tick: text = "tick"
        }
    }
}

/// Whether two updates carry the same things (dictionaries compared as values, not as text).
func same(_ a: ClusterUpdate, _ b: ClusterUpdate) -> Bool {
    switch (a, b) {
    case (.snapshot(let x, let sx), .snapshot(let y, let sy)):
        return sx == sy && x.time == y.time && x.topology.nodes == y.topology.nodes && x.gpuSamples == y.gpuSamples
            && x.sources == y.sources && x.replicaSamples == y.replicaSamples && x.reportedTime == y.reportedTime
    case (.delta(let x), .delta(let y)):
        return same(x, y)
    case (.reshaped(let tx, let rx, let x), .reshaped(let ty, let ry, let y)):
        return tx.nodes == ty.nodes && rx.map(\.id) == ry.map(\.id) && same(x, y)
    default:
        return false
    }
}

func same(_ x: ClusterDelta, _ y: ClusterDelta) -> Bool {
    x.sequence == y.sequence && x.time == y.time && x.gpuSamples == y.gpuSamples && x.fabricLinks == y.fabricLinks
        && x.ports == y.ports && x.replicaSamples == y.replicaSamples && x.sources == y.sources && x.spans == y.spans
        && x.spanStorage == y.spanStorage && x.problems == y.problems && x.reportedTime == y.reportedTime
        && x.lifecycles == y.lifecycles && x.nodeStatus.map(\.0) == y.nodeStatus.map(\.0) && x.lastHeard == y.lastHeard
        && x.pastKVUsage == y.pastKVUsage
}

/// The by-field storage of agent messages: exact, and refusing (not mangling) what is not protobuf.
@Suite struct WireColumnsTests {
    @Test func messages_comeBackEqual_andNonProtobufIsRefused() throws {
        let entries = SyntheticAgents(nodes: 2).entries(seconds: 3)
        var encoder = WireColumnsEncoder()
        var sent: [Infertop_V1_Update] = []
        for case .message(let m, _, _) in entries.map(\.input) {
            let stored = encoder.append(try m.serializedBytes())
            #expect(stored)
            sent.append(m)
        }
        let truncated = encoder.append([0xFF, 0xFF])
        let group = encoder.append([0x0B])
        #expect(!truncated, "a truncated varint")
        #expect(!group, "a group (wire type 3)")
        var reader = ByteReader(encoder.encoded)
        var decoder = try WireColumnsDecoder(&reader)
        for m in sent {
            let bytes = try decoder.next()
            #expect(try Infertop_V1_Update(serializedBytes: bytes) == m)
        }
        var extra: [UInt8]?
        do { extra = try decoder.next() } catch {}
        #expect(extra == nil, "no more messages than stored")
    }
}
