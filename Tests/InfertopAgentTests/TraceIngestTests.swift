import Foundation
import InfertopCore
import InfertopOTLP
import InfertopSim
import InfertopTestSupport
import InfertopWire
import Testing

@testable import InfertopAgent

/// Spans sent to an agent's OTLP receiver reach a dashboard's request store over the agent's
/// stream, joined with the simulator's own spans, with their nodes resolved.
@Suite(.serialized) struct TraceIngestTests {
    @Test(.timeLimit(.minutes(5))) func anOTLPTraceReachesTheDashboardJoinedAcrossTwoAgents() async throws {
        let fleet = SimulatedFleet(config: SimulationConfig(seed: 7, nodes: 2), speed: 20, warmupSeconds: 2)
        let hubs = try #require(fleet.hubs(for: ["node-01", "node-02"]))
        // One receiver per agent, as on two real nodes.
        var receivers: [OTLPReceiver] = []
        var ports: [Int] = []
        for hub in hubs {
            let receiver = OTLPReceiver(
                config: OTLPReceiverConfig(httpAddress: "127.0.0.1:0"), sink: HubSpanSink(home: hub))
            ports.append(try #require(try await receiver.start().httpPort))
            receivers.append(receiver)
        }
        try await LocalAgents.run(fleet: fleet, hubs: hubs) { endpoints in
            try await withAsyncCleanup {
                try await check(endpoints: endpoints, ports: ports)
            } cleanup: {
                for r in receivers { await r.stop() }
            }
        }
    }

    private func check(endpoints: [AgentEndpoint], ports: [Int]) async throws {
        let trace = TraceID(high: 0x5eed_cafe_0000_0001, low: 0x0000_0000_0000_0042)
        let start: UInt64 = 1_767_225_700_000_000_000
        // The router span carries no host.name: the receiving agent's node is its node.
        let router = Span(
            traceID: trace, spanID: SpanID(1), name: "router", kind: .server, startNanos: start,
            endNanos: start + 900_000_000, service: "router")
        let engine = Span(
            traceID: trace, spanID: SpanID(2), parentSpanID: SpanID(1), name: "llm_request", kind: .server,
            startNanos: start + 1_000_000, endNanos: start + 800_000_000, service: "vllm", node: "node-02",
            attributes: [
                SpanAttributeKey.responseModel: .string("llama-405b"), SpanAttributeKey.timeInQueue: .double(0.2),
                SpanAttributeKey.prefill: .double(0.1), SpanAttributeKey.decode: .double(0.499),
                SpanAttributeKey.completionTokens: .int(100)
            ])
        // The child arrives first, at the other agent.
        try post(OTLPEncoder.json([engine]), port: ports[1])
        try post(OTLPEncoder.protobuf([router]), port: ports[0], type: "application/x-protobuf")

        let state = try await AgentStreamTests().watch(AgentsFeed(endpoints: endpoints)) { s in
            (s.requests[trace]?.spans.count ?? 0) >= 2 && s.requests.count > 1
        }
        let joined = try #require(state.requests[trace])
        #expect(Set(joined.spans.map(\.span.name)) == ["router", "llm_request"])
        #expect(joined.spans.first { $0.span.name == "router" }?.span.node == "node-01")
        #expect(joined.spans.first { $0.span.name == "llm_request" }?.span.node == "node-02")
        #expect(state.spanStorage["node-01"]?.accepted ?? 0 >= 1)
        // The simulator's own requests travel the same path.
        #expect(state.requests.count > 1)
    }

    /// POSTs a body to /v1/traces and requires a 200.
    private func post(_ body: [UInt8], port: Int, type: String = "application/json") throws {
        let fd = try #require(LoopbackSocket.connect(port: port))
        defer { close(fd) }
        let head =
            "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(type)\r\n"
            + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        #expect(request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == request.count)
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            reply += buffer[..<n]
        }
        let text = String(decoding: reply, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200"), "reply: \(text)")
    }
}
