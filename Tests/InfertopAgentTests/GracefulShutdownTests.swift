import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import InfertopCore
import InfertopSim
import InfertopTestSupport
import InfertopWire
import Synchronization
import Testing

@testable import InfertopAgent

/// Servers stop by graceful shutdown, many times over, while clients keep redialling: open
/// streams end, connections accepted during the shutdown are drained, and nothing traps.
///
/// Cancelling a serving gRPC server's task instead can leave an accepted connection that nobody
/// closes, and NIO then traps the whole process ("Deinited NIOAsyncWriter without calling
/// finish()"): this suite would die with a signal, not fail an expectation.
@Suite(.serialized) struct GracefulShutdownTests {
    static let cycles = 20

    /// The port of the server now running; clients read it on every dial.
    final class Target: Sendable {
        let port = Mutex(0)
        let stopped = Atomic(false)
        let updates = Atomic(0)
        let rawConnections = Atomic(0)
    }

    @Test(.timeLimit(.minutes(10)))
    func agentServer_stopsWhileClientsRedial_everyTime() async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 2), speed: 20, warmupSeconds: 2)
        let hub = try #require(fleet.hubs(for: ["node-01"])?.first)
        let fleetTask = Task { await fleet.run(hubs: [hub], clock: ContinuousClock()) }
        let target = Target()
        let clients = Self.startClients(target)
        let threads = Self.startRawConnectors(target, count: 2)
        for cycle in 0..<Self.cycles {
            let server = try await AgentServer(
                hub: hub, listen: ListenConfig(host: "127.0.0.1", port: 0), capabilities: []
            ).start()
            target.port.withLock { $0 = server.port }
            // Stop with streams open on odd cycles, and right away (mid-handshake) on even ones.
            if cycle % 2 == 1 { try await Self.waitForSubscriber(hub, cycle: cycle) }
            await server.stop()
            #expect(hub.subscriberCount == 0, "cycle \(cycle): a Subscribe stream outlived its server")
        }
        target.stopped.store(true, ordering: .releasing)
        clients.cancel()
        await clients.value
        for thread in threads { thread.wait() }
        fleetTask.cancel()
        await fleetTask.value
        #expect(target.updates.load(ordering: .acquiring) > 0, "the redialling client was never subscribed")
        #expect(target.rawConnections.load(ordering: .acquiring) > 0, "no raw connection was ever accepted")
    }

    /// Waits, with a deadline for a busy machine, until the redialling client has subscribed.
    static func waitForSubscriber(_ hub: SubscriptionHub, cycle: Int) async throws {
        try await poll(
            "cycle \(cycle): a client to subscribe", timeout: .seconds(60), every: .milliseconds(10),
            diagnostics: { "no subscriber yet" }
        ) { hub.subscriberCount > 0 }
    }

    /// Three dashboards' worth of gRPC clients, each dialling the current port in a loop: `Info`,
    /// then `Subscribe` until the server ends the stream or the connection fails.
    static func startClients(_ target: Target) -> Task<Void, Never> {
        Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        while !target.stopped.load(ordering: .acquiring) && !Task.isCancelled {
                            let port = target.port.withLock { $0 }
                            try? await Self.subscribeOnce(port: port, target: target)
                            try? await Task.sleep(for: .milliseconds(5))
                        }
                    }
                }
            }
        }
    }

    static func subscribeOnce(port: Int, target: Target) async throws {
        guard port > 0 else { return }
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext)
        try await withGRPCClient(transport: transport) { grpc in
            let agent = Infertop_V1_Agent.Client(wrapping: grpc)
            var options = CallOptions.defaults
            options.waitForReady = false
            _ = try await agent.info(Infertop_V1_InfoRequest(), options: options)
            try await agent.subscribe(Infertop_V1_SubscribeRequest(), options: options) { response in
                for try await _ in response.messages { target.updates.add(1, ordering: .relaxed) }
            }
        }
    }

    /// Threads (off the concurrency pool: their calls block) that open TCP connections to the
    /// current port, send the start of an HTTP/2 preface and hang up, as fast as they can.
    static func startRawConnectors(_ target: Target, count: Int) -> [RawConnector] {
        (0..<count).map { _ in RawConnector(target) }
    }

    final class RawConnector: Sendable {
        private let done = DispatchSemaphore(value: 0)

        init(_ target: Target) {
            let done = done
            Thread.detachNewThread {
                let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
                while !target.stopped.load(ordering: .acquiring) {
                    let port = target.port.withLock { $0 }
                    guard port > 0, let fd = LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 1) else {
                        usleep(1_000)
                        continue
                    }
                    target.rawConnections.add(1, ordering: .relaxed)
                    _ = preface.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
                done.signal()
            }
        }

        func wait() { done.wait() }
    }
}
