import InfertopCore
import Synchronization

/// The dashboard's feed over many agents: one `AgentConnection` each, merged by a
/// `ClusterMerger`, plus a tick every half second so silence shows as staleness. A fleet source
/// (a Prometheus server) may run beside them or alone, reporting into the same merger; an agent
/// wins for the node it covers. A recording holds both sources' inputs.
///
/// Its clock counts whole microseconds from the start (`FeedClock`), so a recording of its inputs
/// replays into the very same updates.
///
/// The first update is a snapshot (possibly empty, with every agent `connecting`), so the
/// screen can show connection states before any agent answers.
public struct AgentsFeed: ClusterFeed {
    public typealias Element = ClusterUpdate

    public let endpoints: [AgentEndpoint]
    public var tickInterval: Duration = .milliseconds(500)
    /// Where every input is also written, for `infertop replay` (`--record FILE`); nil records nothing.
    public var recorder: FeedRecorder?
    /// A source answering for many nodes (Prometheus), or nil.
    public var fleet: (any FleetSource)?

    public init(endpoints: [AgentEndpoint], fleet: (any FleetSource)? = nil) {
        self.endpoints = endpoints
        self.fleet = fleet
    }

    public func makeAsyncIterator() -> AsyncStream<ClusterUpdate>.Iterator {
        let (stream, continuation) = AsyncStream.makeStream(of: ClusterUpdate.self, bufferingPolicy: .unbounded)
        let merger = MergerBox()
        let endpoints = endpoints
        let tick = tickInterval
        let recorder = recorder
        let fleet = fleet
        let start = ContinuousClock.now
        // Every input is stamped, folded, recorded and yielded under one lock: updates leave in the
        // order the merger made them (an older snapshot never lands after a newer state), and the
        // recording holds them in that same order with the same times.
        @Sendable func receive(_ input: FeedInput) {
            merger.state.withLock { m in
                let micros = m.clock.stamp(elapsed: ContinuousClock.now - start)
                continuation.yield(m.merger.fold(input, now: FeedClock.seconds(micros)))
                recorder?.record(input, at: micros)
            }
        }
        // Unbounded is safe here: the dashboard drains the stream every frame, and the merger
        // already folds samples, so the queue holds at most a frame's worth of updates.
        receive(.start(sources: endpoints.map(\.description)))
        if let fleet {
            receive(.fleet(.status(SourceStatus(address: fleet.address, kind: .fleet)), from: fleet.address))
        }
        let task = Task {
            await withTaskGroup(of: Void.self) { group in
                for endpoint in endpoints {
                    group.addTask {
                        await AgentConnection(endpoint: endpoint).run { event in
                            switch event {
                            case .status(let status): receive(.status(status))
                            case .update(let message, let version):
                                receive(.message(message, from: endpoint.description, version: version))
                            }
                        }
                    }
                }
                if let fleet {
                    group.addTask { await fleet.run { event in receive(.fleet(event, from: fleet.address)) } }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: tick)
                        receive(.tick)
                    }
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream.makeAsyncIterator()
    }
}

/// The merger and its clock behind a lock, shared by the connection tasks and the ticker.
final class MergerBox: Sendable {
    struct Guarded {
        var merger = ClusterMerger()
        var clock = FeedClock()
    }

    let state = Mutex(Guarded())
}
