import Foundation
import InfertopCore
import InfertopTestSupport
import Testing

@testable import InfertopWire

/// A fleet source's events (Prometheus refreshes, connection changes, history on open) are
/// recorded beside agents' messages and replay into the very same updates, and a rotated file
/// starts with the fleet's last state.
@Suite struct FleetRecordingTests {
    let cluster = CoreFixtures.state(nodes: 3, gpus: 2)
    let address = "prometheus http://prom:9090"

    private func report(_ n: Int, kv: Double, age: Double = 0) -> NodeReport {
        let node = cluster.topology.nodes[n]
        var values = ClusterDelta(sequence: 0, time: 0)
        if age == 0 {
            values.gpuSamples = node.gpus.map { CoreFixtures.sample($0.id, time: 0, kv: kv, waiting: n) }
            values.problems = n == 2 ? [node.id: ["no NVLink series for this node"]] : [:]
        }
        let replicas = cluster.replicas.filter { $0.nodes.contains(node.id) }
        return NodeReport(
            .full(node: node, replicas: replicas, values: values), reportedTime: 1_795_000_000 + kv, age: age)
    }

    /// Agents' inputs with a fleet source's events between them, a second apart.
    private func entries() -> [RecordedEntry] {
        var inputs: [FeedInput] = [.start(sources: [])]
        inputs.append(.fleet(.status(SourceStatus(address: address, kind: .fleet)), from: address))
        let gpu = cluster.topology.nodes[0].gpus[1].id
        for second in 0..<6 {
            let kv = 0.2 + 0.1 * Double(second)
            inputs.append(
                .fleet(
                    .refresh(
                        reports: [report(0, kv: kv), report(1, kv: kv), report(2, kv: kv, age: second > 3 ? 4 : 0)],
                        notes: ["no NVLink series"], version: "2.42.0"), from: address))
            if second == 1 {
                inputs.append(.fleet(.history(GPUHistory(kvUsage: [gpu: [0.1, 0.15, 0.2]])), from: address))
            }
            if second == 2 {
                inputs.append(
                    .fleet(
                        .status(
                            SourceStatus(
                                address: address,
                                state: .retrying(reason: "prometheus unreachable: refused", inSeconds: 1), kind: .fleet)
                        ),
                        from: address))
            }
            inputs.append(.tick)
        }
        return inputs.enumerated().map { RecordedEntry(micros: 1_000 + Int64($0.offset) * 500_000, input: $0.element) }
    }

    private func updates(_ entries: [RecordedEntry]) -> ([ClusterUpdate], ClusterState) {
        var merged = MergedCluster()
        let updates = entries.map { e in merged.fold { $0.fold(e.input, now: FeedClock.seconds(e.micros)) } }
        return (updates, merged.state)
    }

    @Test func fleetEvents_replayIntoTheSameUpdates() throws {
        let file = TemporaryRecording()
        defer { file.cleanUp() }
        let entries = entries()
        let recorder = try FeedRecorder(
            path: file.path, source: "prometheus", maxBytes: nil, chunkSeconds: 1, chunkBytes: 1 << 20)
        for e in entries { recorder.record(e.input, at: e.micros) }
        recorder.close()
        #expect(recorder.failure == nil)

        let recording = try Recording.open(path: file.path)
        var cursor = RecordingCursor(recording)
        let replayed = cursor.advance(through: .max)
        let (live, state) = updates(entries)
        #expect(replayed.count == live.count)
        let first = zip(replayed, live).enumerated().first { !same($0.element.0, $0.element.1) }?.offset
        #expect(first == nil, "update \(first ?? -1) differs")
        // What the screen is made of: every node, the fleet's notes, the stale node, the history.
        let end = cursor.state
        #expect(end.topology.gpuCount == 6 && state.topology.gpuCount == 6)
        #expect(end.sources[address]?.kind == .fleet && end.sources[address]?.notes == ["no NVLink series"])
        #expect(end.sources[address]?.version == "2.42.0")
        #expect(end.status(cluster.topology.nodes[2].id)?.reachability == .stale)
        #expect(end.kvHistory[0][1].values.prefix(3) == [0.1, 0.15, 0.2])
        #expect(end.problems == state.problems && !end.problems.isEmpty)
        #expect(end.gpuSamples == state.gpuSamples)
    }

    @Test func aRotatedFile_startsWithTheFleetsLastStateAndRefresh() throws {
        var ledger = SourceLedger()
        let entries = entries()
        for e in entries { ledger.fold(e) }
        let keyframe = ledger.keyframe(at: entries.last!.micros)
        var merged = MergedCluster()
        for e in keyframe { merged.fold { $0.fold(e.input, now: FeedClock.seconds(e.micros)) } }
        let (_, full) = updates(entries)
        #expect(merged.state.topology.nodes.map(\.id) == full.topology.nodes.map(\.id))
        #expect(merged.state.sources[address]?.kind == .fleet)
        for n in 0..<2 {
            let gpu = cluster.topology.nodes[n].gpus[0].id
            #expect(merged.state.sample(gpu)?.memory.kvUsage == full.sample(gpu)?.memory.kvUsage)
        }
    }
}
