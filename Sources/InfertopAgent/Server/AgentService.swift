import GRPCCore
import InfertopCore
import InfertopWire

/// The `infertop.v1.Agent` service: `Info`, and `Subscribe` streaming a snapshot, then deltas
/// and heartbeats, from a `SubscriptionHub`.
public struct AgentService: Infertop_V1_Agent.SimpleServiceProtocol {
    public static let version = "0.2.0"
    public static let protocolVersion: UInt32 = 1

    let hub: SubscriptionHub
    let capabilities: [String]
    /// Seconds without a reading before a heartbeat goes out.
    let heartbeatSeconds: Double
    /// Set when the server shuts down: open streams end so the shutdown can finish.
    let shutdown: ShutdownLatch

    public init(
        hub: SubscriptionHub, capabilities: [String], heartbeatSeconds: Double = 1,
        shutdown: ShutdownLatch = ShutdownLatch()
    ) {
        self.hub = hub
        self.capabilities = capabilities
        self.heartbeatSeconds = heartbeatSeconds
        self.shutdown = shutdown
    }

    public func info(request: Infertop_V1_InfoRequest, context: ServerContext) async throws -> Infertop_V1_AgentInfo {
        var info = Infertop_V1_AgentInfo()
        info.agentVersion = Self.version
        info.protocolVersion = Self.protocolVersion
        info.node = hub.node.name
        info.topology = hub.topology.wire
        info.capabilities = capabilities
        return info
    }

    public func subscribe(
        request: Infertop_V1_SubscribeRequest, response: RPCWriter<Infertop_V1_Update>, context: ServerContext
    ) async throws {
        let subscriber = hub.subscribe()
        defer { hub.unsubscribe(subscriber) }
        let (first, startSequence) = hub.snapshot()
        try await response.write(first)
        let heartbeat = heartbeatSeconds
        let shutdown = shutdown
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The server is stopping: end the stream (the client redials another time).
            group.addTask { await shutdown.wait() }
            // Heartbeats: a poke each interval; an idle node still proves it is alive.
            group.addTask {
                let clock = ContinuousClock()
                let interval = Duration.milliseconds(Int(heartbeat * 1000))
                while !Task.isCancelled {
                    try await clock.sleep(for: interval / 2)
                    subscriber.poke(time: 0, quiet: interval)
                }
            }
            group.addTask {
                var sequence = startSequence
                var lastTime = 0.0
                for await _ in subscriber.wakes {
                    if subscriber.takeSnapshotRequest() {
                        var (update, _) = hub.snapshot(withSpans: false)
                        sequence += 1
                        update.sequence = sequence
                        update.time = max(update.time, lastTime)
                        lastTime = update.time
                        try await response.write(update)
                    }
                    guard let (values, time, coalesced, spansDropped) = subscriber.take() else { continue }
                    sequence += 1
                    var update = Infertop_V1_Update()
                    update.sequence = sequence
                    update.time = max(time, lastTime)
                    lastTime = update.time
                    update.coalescedUpdates = coalesced
                    update.spansDroppedInTransit = spansDropped
                    if let values, !values.isEmpty {
                        update.delta = values.wire
                    } else {
                        update.heartbeat = Infertop_V1_Heartbeat()
                    }
                    try await response.write(update)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
