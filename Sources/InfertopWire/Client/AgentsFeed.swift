import InfertopCore
import Synchronization

/// The dashboard's feed over many agents: one `AgentConnection` each, merged by a
/// `ClusterMerger`, plus a tick every half second so silence shows as staleness.
///
/// The first update is a snapshot (possibly empty, with every agent `connecting`), so the
/// screen can show connection states before any agent answers.
public struct AgentsFeed: ClusterFeed {
    public typealias Element = ClusterUpdate

    public let endpoints: [AgentEndpoint]
    public var tickInterval: Duration = .milliseconds(500)

    public init(endpoints: [AgentEndpoint]) { self.endpoints = endpoints }

    public func makeAsyncIterator() -> AsyncStream<ClusterUpdate>.Iterator {
        let (stream, continuation) = AsyncStream.makeStream(of: ClusterUpdate.self, bufferingPolicy: .unbounded)
        let merger = MergerBox()
        let endpoints = endpoints
        let tick = tickInterval
        let start = ContinuousClock.now
        @Sendable func now() -> Double {
            let d = ContinuousClock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        // Unbounded is safe here: the dashboard drains the stream every frame, and the merger
        // already folds samples, so the queue holds at most a frame's worth of updates.
        let initial: ClusterUpdate = merger.state.withLock { m in
            for endpoint in endpoints { _ = m.receive(SourceStatus(address: endpoint.description), now: 0) }
            return .snapshot(m.state, sequence: 0)
        }
        continuation.yield(initial)
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for endpoint in endpoints {
                    group.addTask {
                        await AgentConnection(endpoint: endpoint).run { event in
                            // Yield under the lock: updates leave in the order the merger made
                            // them, so an older snapshot can never land after a newer state.
                            merger.state.withLock { m in
                                let update: ClusterUpdate
                                switch event {
                                case .status(let status): update = m.receive(status, now: now())
                                case .update(let message, let version):
                                    update = m.receive(message, from: endpoint.description, version: version, now: now())
                                }
                                continuation.yield(update)
                            }
                        }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: tick)
                        merger.state.withLock { continuation.yield($0.tick(now: now())) }
                    }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream.makeAsyncIterator()
    }
}

/// The merger behind a lock, shared by the connection tasks and the ticker.
final class MergerBox: Sendable {
    let state = Mutex(ClusterMerger())
}
