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

/// Agent servers and the dashboard's client over loopback, as in production.
@Suite(.serialized) struct AgentStreamTests {
    /// Collects feed updates until `done` says so, or fails after `timeout`: a deadline for a
    /// condition, generous enough for a 2-core machine that is busy with something else.
    func watch(
        _ feed: AgentsFeed, timeout: Duration = .seconds(120), until done: @escaping @Sendable (ClusterState) -> Bool
    )
        async throws -> ClusterState
    {
        try await withThrowingTaskGroup(of: ClusterState?.self) { group in
            group.addTask {
                var state = ClusterState(topology: Topology(nodes: []), replicas: [])
                for await update in feed {
                    state.apply(update)
                    if done(state) { return state }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let first else { throw TestFailure("timed out") }
            return first
        }
    }

    /// One simulated node behind an agent server with `listen`, for the body; the server is shut
    /// down gracefully afterwards, whether the body returned or threw.
    static func withOneNode(_ listen: ListenConfig, _ body: (Int) async throws -> Void) async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 2), speed: 20, warmupSeconds: 2)
        let hub = try #require(fleet.hubs(for: ["node-01"])?.first)
        let server = try await AgentServer(hub: hub, listen: listen, capabilities: []).start()
        let fleetTask = Task { await fleet.run(hubs: [hub], clock: ContinuousClock()) }
        let result: Result<Void, any Error>
        do { result = .success(try await body(server.port)) } catch { result = .failure(error) }
        await server.stop()
        fleetTask.cancel()
        await fleetTask.value
        try result.get()
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    @Test func subscribe_deliversSnapshotThenLiveDeltas() async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 4), speed: 20, warmupSeconds: 5)
        let hubs = try #require(fleet.hubs(for: ["node-01", "node-02"]))
        let state = try await LocalAgents.run(fleet: fleet, hubs: hubs) { endpoints in
            try await watch(AgentsFeed(endpoints: endpoints)) { s in
                s.topology.nodes.count == 2 && (s.reportedTime ?? 0) > 7
                    && s.nodeStatus.allSatisfy { $0.reachability == .live }
            }
        }
        #expect(state.topology.nodes.map(\.id.name) == ["node-01", "node-02"])
        #expect(state.topology.gpuCount == 16)
        #expect(state.replicas.map(\.id.description) == ["llama-405b/0"])
        #expect(state.sources.values.allSatisfy { $0.state == .live && $0.version == AgentService.version })
        #expect(state.gpuSamples.joined().allSatisfy { $0 != nil })
    }

    @Test func wrongToken_showsAuthFailed_rightTokenGoesLive() async throws {
        let token = "0123456789abcdef-secret"
        try await Self.withOneNode(ListenConfig(host: "127.0.0.1", port: 0, tokens: [token: .viewer])) { port in
            let wrong = AgentEndpoint(host: "127.0.0.1", port: port, token: "not-the-token-at-all")
            let denied = try await watch(AgentsFeed(endpoints: [wrong])) { s in
                s.sources.values.contains { if case .authFailed = $0.state { true } else { false } }
            }
            #expect(denied.topology.nodes.isEmpty)
            let right = AgentEndpoint(host: "127.0.0.1", port: port, token: token)
            let live = try await watch(AgentsFeed(endpoints: [right])) { $0.topology.nodes.count == 1 }
            #expect(live.sources.values.first?.state == .live)
        }
    }

    @Test func unresolvableAddress_isShownAndRetried() async throws {
        let endpoint = AgentEndpoint(host: "no-such-host.invalid", port: 50051)
        let seen = Mutex(0)
        let state = try await watch(AgentsFeed(endpoints: [endpoint])) { s in
            // Unresolvable, then connecting again, then unresolvable again: it keeps retrying.
            seen.withLock { n in
                let unresolvable = { if case .unresolvable = s.sources.values.first?.state { true } else { false } }()
                if unresolvable && n % 2 == 0 { n += 1 }
                if !unresolvable && n % 2 == 1 { n += 1 }
                return n >= 3
            }
        }
        guard case .unresolvable(let reason) = state.sources.values.first?.state else {
            Issue.record("not unresolvable")
            return
        }
        #expect(reason.contains("no-such-host.invalid"))
    }

    @Test func garbageOnTheGRPCPort_dropsThatConnectionOnly() async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 2), speed: 20, warmupSeconds: 2)
        let hubs = try #require(fleet.hubs(for: ["node-01"]))
        try await LocalAgents.run(fleet: fleet, hubs: hubs) { endpoints in
            let port = try #require(endpoints.first?.port)
            // Raw garbage where an HTTP/2 preface should be.
            let fd = try #require(LoopbackSocket.connect(port: port))
            let garbage = Array("GARBAGE \u{0}\u{1}\u{2} not http/2 at all\r\n\r\n".utf8)
            _ = garbage.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            var buffer = [UInt8](repeating: 0, count: 256)
            var n = 1
            while n > 0 { n = read(fd, &buffer, buffer.count) }
            #expect(n == 0 || n == -1, "the agent closes the garbage connection")
            close(fd)
            let state = try await watch(AgentsFeed(endpoints: endpoints)) { $0.topology.nodes.count == 1 }
            #expect(state.sources.values.first?.state == .live, "the agent still serves")
        }
    }
}

/// The agent over TLS with a certificate made for the test.
@Suite(.serialized) struct AgentTLSTests {
    @Test func tlsAgent_isReachedWithItsCA_notInPlaintext() async throws {
        let dir = NSTemporaryDirectory() + "infertop-tls-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", dir + "/agent.key", "-out", dir + "/agent.crt"
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a test certificate")

        let listen = ListenConfig(
            host: "127.0.0.1", port: 0, tlsCertificatePath: dir + "/agent.crt", tlsKeyPath: dir + "/agent.key")
        try await AgentStreamTests.withOneNode(listen) { port in
            let stream = AgentStreamTests()
            let secure = AgentEndpoint(host: "127.0.0.1", port: port, caPath: dir + "/agent.crt")
            let live = try await stream.watch(AgentsFeed(endpoints: [secure])) { $0.topology.nodes.count == 1 }
            #expect(live.sources.values.first?.state == .live)
            let plain = AgentEndpoint(host: "127.0.0.1", port: port)
            let refused = try await stream.watch(AgentsFeed(endpoints: [plain])) { s in
                s.sources.values.contains { if case .retrying = $0.state { true } else { false } }
            }
            #expect(refused.topology.nodes.isEmpty)
        }
    }
}

/// A subscriber that stops reading must not grow the agent's memory or slow anyone else.
@Suite(.serialized) struct SlowSubscriberTests {
    /// Updates the reader must get, in order and without a gap, while the other subscriber reads
    /// nothing: far more than the stalled stream's 64 KiB window and the client's buffer hold.
    static let readerUpdates = 300

    @Test(.timeLimit(.minutes(5))) func stalledSubscriber_doesNotSlowAnotherThatGetsEveryUpdate() async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 2), speed: 100, warmupSeconds: 2)
        let hubs = try #require(fleet.hubs(for: ["node-01"]))
        let hub = try #require(hubs.first)
        try await LocalAgents.run(fleet: fleet, hubs: hubs) { endpoints in
            let endpoint = try #require(endpoints.first)
            // A small receive window, so the stalled stream fills it long before the reader is done.
            var config = HTTP2ClientTransport.Posix.Config.defaults
            config.http2.targetWindowSize = 64 * 1024
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(host: endpoint.host, port: endpoint.port), transportSecurity: .plaintext, config: config)
            let readerDone = ShutdownLatch()
            try await withGRPCClient(transport: transport) { grpc in
                let agent = Infertop_V1_Agent.Client(wrapping: grpc)
                try await withThrowingTaskGroup(of: (gaps: Int, count: Int, stalledGot: Int).self) { group in
                    // The stalled one: reads the snapshot, then nothing until the reader is done
                    // (a condition, not a time), then finds the stream still delivering.
                    group.addTask {
                        try await agent.subscribe(Infertop_V1_SubscribeRequest()) { response in
                            var iterator = response.messages.makeAsyncIterator()
                            _ = try await iterator.next()
                            await readerDone.wait()
                            var got = 0
                            for _ in 0..<5 where try await iterator.next() != nil { got += 1 }
                            return (0, 0, got)
                        }
                    }
                    // The reader: every sequence number, in order, none missing.
                    group.addTask {
                        defer { readerDone.set() }
                        return try await agent.subscribe(Infertop_V1_SubscribeRequest()) { response in
                            var last: UInt64 = 0
                            var gaps = 0
                            var count = 0
                            for try await update in response.messages {
                                if last != 0 && update.sequence != last + 1 { gaps += 1 }
                                last = update.sequence
                                count += 1
                                if count >= Self.readerUpdates { break }
                            }
                            return (gaps, count, 0)
                        }
                    }
                    var readerGaps = 0
                    var readerCount = 0
                    var stalledGot = 0
                    for try await result in group {
                        readerGaps += result.gaps
                        readerCount = max(readerCount, result.count)
                        stalledGot = max(stalledGot, result.stalledGot)
                    }
                    #expect(readerGaps == 0, "the reading subscriber missed updates")
                    // A reader held back by the stalled stream would stop short (and the test
                    // would hit its deadline) instead of reaching the count.
                    #expect(readerCount == Self.readerUpdates, "the reader got \(readerCount) updates")
                    #expect(stalledGot == 5, "the stalled stream still delivers once read again")
                    #expect(hub.subscriberCount <= 2)
                }
                grpc.beginGracefulShutdown()
            }
        }
    }
}
