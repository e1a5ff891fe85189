import Foundation
import InfertopCore
import InfertopSim
import InfertopWire

/// What a few agents would send a dashboard, made from the simulator without any server: each
/// node's snapshot, then a delta with its finished spans every simulated second, with connection
/// states and the feed's half-second ticks, all stamped on a feed clock.
struct SyntheticAgents {
    let cluster: SimulatedCluster
    let addresses: [String]

    init(nodes: Int = 3, seed: UInt64 = 7, at start: Double = 50) {
        cluster = SimulatedCluster(config: SimulationConfig(seed: seed, nodes: nodes, gpusPerNode: 8))
        _ = cluster.run(to: start, spans: true)
        addresses = cluster.topology.nodes.indices.map { "127.0.0.1:\(7100 + $0)" }
    }

    /// `seconds` of a feed's inputs, starting with every agent connecting and its snapshot.
    func entries(seconds: Int) -> [RecordedEntry] {
        var entries: [RecordedEntry] = []
        var micros: Int64 = 3
        func add(_ input: FeedInput, after step: Int64 = 997) {
            entries.append(RecordedEntry(micros: micros, input: input))
            micros += step
        }
        add(.start(sources: addresses))
        var delta = cluster.sample()
        delta.spans = cluster.takeFinishedSpans()
        for (n, node) in cluster.topology.nodes.enumerated() {
            add(.status(SourceStatus(address: addresses[n], node: node.id, state: .live, version: "test")))
            add(.message(snapshot(n, delta), from: addresses[n], version: "test"))
        }
        for second in 0..<seconds {
            // One simulated second is one second of feed time: the agents' messages, then two ticks.
            micros = Int64(second + 1) * 1_000_000
            cluster.advance(to: cluster.time + 1)
            var delta = cluster.sample()
            delta.spans = cluster.takeFinishedSpans()
            for n in cluster.topology.nodes.indices {
                add(.message(update(n, delta), from: addresses[n], version: "test"), after: 12_345)
            }
            micros = Int64(second + 1) * 1_000_000 + 400_000
            add(.tick, after: 500_000)
            add(.tick, after: 1_000)
            if second == seconds / 2 {
                add(
                    .status(
                        SourceStatus(
                            address: addresses[0],
                            state: .retrying(reason: "the agent closed the stream", inSeconds: 0.31))))
            }
        }
        return entries
    }

    private func snapshot(_ n: Int, _ delta: ClusterDelta) -> Infertop_V1_Update {
        let node = cluster.topology.nodes[n]
        let replicas = cluster.replicas.filter { $0.nodes.contains(node.id) }
        var m = Infertop_V1_Update()
        m.time = cluster.time
        m.snapshot.topology = node.wire
        m.snapshot.replicas = replicas.map(\.wire)
        m.snapshot.values = values(n, delta)
        return m
    }

    private func update(_ n: Int, _ delta: ClusterDelta) -> Infertop_V1_Update {
        var m = Infertop_V1_Update()
        m.time = cluster.time
        m.delta = values(n, delta)
        return m
    }

    private func values(_ n: Int, _ delta: ClusterDelta) -> Infertop_V1_Delta {
        let node = cluster.topology.nodes[n].id
        let replicas = Set(cluster.replicas.filter { $0.nodes.contains(node) }.map(\.id))
        var values = NodeValues(node: node, from: delta, replicas: replicas)
        values.spans = delta.spans.filter { $0.node == node }
        return values.wire
    }
}

/// A fresh file name under the temporary folder, removed (with its rotations) by `cleanUp`.
struct TemporaryRecording {
    let path = NSTemporaryDirectory() + "infertop-recording-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).rec"

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".1")
    }
}
