import InfertopCore

/// A feed that runs a simulated cluster in real time: a snapshot, then one delta per
/// virtual second, paced by `clock` at `speed` virtual seconds per real second.
///
/// The simulator lives inside the producing task, so nothing of it is shared. Gauges have
/// latest-value semantics: a consumer that falls behind gets the newest deltas (each carries
/// every GPU), never an unbounded queue.
public struct SimulatorFeed<C: Clock & Sendable>: ClusterFeed where C.Duration == Duration {
    public typealias Element = ClusterUpdate

    public let config: SimulationConfig
    public let speed: Double
    /// Virtual seconds simulated before the first snapshot, so latency windows are warm.
    public let warmupSeconds: Double
    public let clock: C

    public init(config: SimulationConfig, speed: Double = 1, warmupSeconds: Double = 30, clock: C) {
        self.config = config
        self.speed = speed
        self.warmupSeconds = warmupSeconds
        self.clock = clock
    }

    public func makeAsyncIterator() -> AsyncStream<ClusterUpdate>.Iterator {
        let (stream, continuation) = AsyncStream.makeStream(of: ClusterUpdate.self, bufferingPolicy: .bufferingNewest(4))
        let config = config
        let speed = Swift.max(0.01, speed)
        let warmup = warmupSeconds
        let clock = clock
        let task = Task {
            let cluster = SimulatedCluster(config: config)
            let state = cluster.run(to: warmup)
            continuation.yield(.snapshot(state, sequence: 0))
            let interval = Duration.milliseconds(Int64((1000 / speed).rounded()))
            var deadline = clock.now
            while !Task.isCancelled {
                deadline = deadline.advanced(by: interval)
                do { try await clock.sleep(until: deadline, tolerance: nil) } catch { break }
                cluster.advance(to: cluster.time + 1)
                continuation.yield(.delta(cluster.sample()))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream.makeAsyncIterator()
    }
}
