import Foundation
import InfertopAgent
import InfertopCore
import InfertopSim
import InfertopUI
import InfertopWire
import Synchronization

// MARK: - Subscriber mode

func subscribe(to text: String, seconds: Double) async -> Int32 {
    guard case .success(let endpoint) = AgentEndpoint.parse(text) else {
        print("--subscribe: '\(text)' is not HOST:PORT")
        return 2
    }
    let counts = Mutex((updates: 0, snapshots: 0, deltas: 0, heartbeats: 0, gpuSamples: 0))
    let task = Task {
        await AgentConnection(endpoint: endpoint).run { event in
            switch event {
            case .status(let status):
                print(String(format: "%8.3f status %@", secondsSinceEpoch(), "\(status.state)"))
            case .update(let update, _):
                let kind: String
                var gpus = 0
                switch update.body {
                case .snapshot(let s):
                    kind = "snapshot"
                    gpus = s.values.gpus.count
                case .delta(let d):
                    kind = "delta"
                    gpus = d.gpus.count
                case .heartbeat: kind = "heartbeat"
                case .none: kind = "empty"
                }
                let n = counts.withLock { c in
                    c.updates += 1
                    switch kind {
                    case "snapshot": c.snapshots += 1
                    case "delta": c.deltas += 1
                    default: c.heartbeats += 1
                    }
                    c.gpuSamples += gpus
                    return c.updates
                }
                print(
                    String(
                        format: "%8.3f update %d seq %llu %@ time %.1f gpus %d coalesced %llu", secondsSinceEpoch(), n,
                        update.sequence, kind, update.time, gpus, update.coalescedUpdates))
            }
        }
    }
    try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    task.cancel()
    let c = counts.withLock { $0 }
    print(
        "received \(c.updates) updates in \(seconds) s: \(c.snapshots) snapshots, \(c.deltas) deltas, "
            + "\(c.heartbeats) heartbeats, \(c.gpuSamples) GPU samples")
    return c.deltas > 0 ? 0 : 1
}
