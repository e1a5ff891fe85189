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
    /// Collects feed updates until `done` says so, or fails after `timeout`.
    func watch(_ feed: AgentsFeed, timeout: Duration = .seconds(20), until done: @escaping @Sendable (ClusterState) -> Bool)
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

    /// One simulated node behind an agent server with `listen`; returns the bound port.
    static func serveOneNode(_ listen: ListenConfig) async throws -> (Int, Task<Void, any Error>) {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 2), speed: 20, warmupSeconds: 2)
        let hub = try #require(fleet.hubs(for: ["node-01"])?.first)
        let server = AgentServer(hub: hub, listen: listen, capabilities: [])
        let (ports, portsIn) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            try await withThrowingTaskGroup(of: Void.self) { g in
                g.addTask { try await server.serve { portsIn.yield($0) } }
                g.addTask { await fleet.run(hubs: [hub], clock: ContinuousClock()) }
                try await g.next()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server never listened") }
        return (port, task)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    @Test func subscribe_deliversSnapshotThenLiveDeltas() async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 4), speed: 20, warmupSeconds: 5)
        let hubs = try #require(fleet.hubs(for: ["node-01", "node-02"]))
        let (endpoints, task) = try await LocalAgents.start(fleet: fleet, hubs: hubs)
        defer { task.cancel() }
        let state = try await watch(AgentsFeed(endpoints: endpoints)) { s in
            s.topology.nodes.count == 2 && (s.reportedTime ?? 0) > 7
                && s.nodeStatus.allSatisfy { $0.reachability == .live }
        }
        #expect(state.topology.nodes.map(\.id.name) == ["node-01", "node-02"])
        #expect(state.topology.gpuCount == 16)
        #expect(state.replicas.map(\.id.description) == ["llama-405b/0"])
        #expect(state.sources.values.allSatisfy { $0.state == .live && $0.version == AgentService.version })
        #expect(state.gpuSamples.joined().allSatisfy { $0 != nil })
    }

    @Test func wrongToken_showsAuthFailed_rightTokenGoesLive() async throws {
        let token = "0123456789abcdef-secret"
        let (port, task) = try await Self.serveOneNode(ListenConfig(host: "127.0.0.1", port: 0, tokens: [token: .viewer]))
        defer { task.cancel() }
        let wrong = AgentEndpoint(host: "127.0.0.1", port: port, token: "not-the-token-at-all")
        let denied = try await watch(AgentsFeed(endpoints: [wrong])) { s in
            s.sources.values.contains { if case .authFailed = $0.state { true } else { false } }
        }
        #expect(denied.topology.nodes.isEmpty)
        let right = AgentEndpoint(host: "127.0.0.1", port: port, token: token)
        let live = try await watch(AgentsFeed(endpoints: [right])) { $0.topology.nodes.count == 1 }
        #expect(live.sources.values.first?.state == .live)
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
        let (endpoints, task) = try await LocalAgents.start(fleet: fleet, hubs: hubs)
        defer { task.cancel() }
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

@Suite struct ClusterMergerTests {
    @Test func silentNode_turnsStaleThenLost_byTheReceiversClock() {
        var merger = ClusterMerger()
        var update = Infertop_V1_Update()
        let node = NodeSpec(id: "node-01", gpus: [GPUSpec(id: GPUID(node: "node-01", index: 0), model: .h100, island: 0)], ports: [])
        var snapshot = Infertop_V1_Snapshot()
        snapshot.topology = node.wire
        var sample = Infertop_V1_GPUSample()
        sample.index = 0
        snapshot.values.gpus = [sample]
        update.snapshot = snapshot
        update.time = 123_456
        guard case .snapshot(let first, _) = merger.receive(update, from: "a:1", version: "1", now: 0) else {
            Issue.record("the first message of a new node must become a snapshot")
            return
        }
        #expect(first.status("node-01")?.reachability == .live)
        #expect(first.reportedTime == 123_456)
        _ = merger.tick(now: 2)
        #expect(merger.state.status("node-01")?.reachability == .live)
        _ = merger.tick(now: 2.6)
        #expect(merger.state.status("node-01")?.reachability == .stale)
        _ = merger.tick(now: 10.5)
        #expect(merger.state.status("node-01")?.reachability == .lost)
    }

    @Test(arguments: [("10.0.0.7:50051", true), ("node-07:1", true), ("[::1]:50051", true), ("nohost", false),
        (":50051", false), ("host:0", false), ("host:99999", false)])
    func endpoints_parse(text: String, ok: Bool) {
        let parsed = AgentEndpoint.parse(text)
        if ok { #expect((try? parsed.get()) != nil) } else { #expect((try? parsed.get()) == nil) }
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
            "-keyout", dir + "/agent.key", "-out", dir + "/agent.crt",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a test certificate")

        let listen = ListenConfig(
            host: "127.0.0.1", port: 0, tlsCertificatePath: dir + "/agent.crt", tlsKeyPath: dir + "/agent.key")
        let (port, task) = try await AgentStreamTests.serveOneNode(listen)
        defer { task.cancel() }
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

/// A subscriber that stops reading must not grow the agent's memory or slow anyone else.
@Suite(.serialized) struct SlowSubscriberTests {
    @Test func stalledSubscriber_doesNotSlowAnotherThatGetsEveryUpdate() async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 2), speed: 100, warmupSeconds: 2)
        let hubs = try #require(fleet.hubs(for: ["node-01"]))
        let hub = try #require(hubs.first)
        let (endpoints, task) = try await LocalAgents.start(fleet: fleet, hubs: hubs)
        defer { task.cancel() }
        let endpoint = try #require(endpoints.first)
        // A small receive window, so the stalled stream fills it within the test's seconds.
        var config = HTTP2ClientTransport.Posix.Config.defaults
        config.http2.targetWindowSize = 64 * 1024
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(host: endpoint.host, port: endpoint.port), transportSecurity: .plaintext, config: config)
        try await withGRPCClient(transport: transport) { grpc in
            let agent = Infertop_V1_Agent.Client(wrapping: grpc)
            try await withThrowingTaskGroup(of: (UInt64, UInt64, Int).self) { group in
                // The stalled one: reads the snapshot, stops reading for 4 s (the behaviour under
                // test, not a wait for something), then reads what is waiting.
                group.addTask {
                    try await agent.subscribe(Infertop_V1_SubscribeRequest()) { response in
                        var iterator = response.messages.makeAsyncIterator()
                        _ = try await iterator.next()
                        try await Task.sleep(for: .seconds(4))
                        var coalesced: UInt64 = 0
                        for _ in 0..<5 { coalesced = try await iterator.next()?.coalescedUpdates ?? coalesced }
                        return (coalesced, 0, 0)
                    }
                }
                // The reader: every sequence number, in order, none missing.
                group.addTask {
                    try await agent.subscribe(Infertop_V1_SubscribeRequest()) { response in
                        var last: UInt64 = 0
                        var gaps = 0
                        var count = 0
                        let clock = ContinuousClock()
                        let end = clock.now.advanced(by: .seconds(4))
                        for try await update in response.messages {
                            if last != 0 && update.sequence != last + 1 { gaps += 1 }
                            last = update.sequence
                            count += 1
                            if clock.now > end { break }
                        }
                        return (0, UInt64(gaps), count)
                    }
                }
                var stalledCoalesced: UInt64 = 0
                var readerGaps: UInt64 = 0
                var readerCount = 0
                for try await (coalesced, gaps, count) in group {
                    stalledCoalesced = max(stalledCoalesced, coalesced)
                    readerGaps += gaps
                    readerCount = max(readerCount, count)
                }
                #expect(readerGaps == 0, "the reading subscriber missed updates")
                // The fleet publishes ~100 readings a second (fewer when the machine is loaded, and
                // close readings coalesce even for a fast reader); a reader blocked behind the
                // stalled one would get a handful in 4 s.
                #expect(readerCount > 40, "the reader kept receiving (got \(readerCount) in 4 s)")
                // The stalled stream's bytes sit in HTTP/2 flow control and the client's buffer (the
                // agent holds one pending value per GPU for it, see SubscriptionHubTests); whether
                // the agent had to coalesce depends on those buffers, so it is not asserted here.
                _ = stalledCoalesced
                #expect(hub.subscriberCount <= 2)
            }
            grpc.beginGracefulShutdown()
        }
    }
}
