import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import InfertopCore

/// What one agent connection reports to whoever merges it.
public enum AgentEvent: Sendable {
    case status(SourceStatus)
    /// A message from the agent: the node's topology and replicas arrive with the snapshot.
    case update(Infertop_V1_Update, version: String)
}

/// One agent, followed for as long as the task runs: connect, `Info`, `Subscribe`, and on
/// any failure back off with jitter and try again.
///
/// Backoff grows from 0.25 s to `maxBackoffSeconds` (2 s, so a restarted agent is live again
/// within a few seconds); a refused token waits `authBackoffSeconds` (30 s) between tries so a
/// wrong token never becomes a retry storm. A stream silent for `silenceSeconds` (5 s, five
/// missed heartbeats) is cut and redialled.
public struct AgentConnection: Sendable {
    public let endpoint: AgentEndpoint
    public var maxBackoffSeconds = 2.0
    public var authBackoffSeconds = 30.0
    public var silenceSeconds = 5.0
    public var client = "infertop"

    public init(endpoint: AgentEndpoint) { self.endpoint = endpoint }

    /// Runs until cancelled, reporting through `emit` (called from this task only).
    public func run(emit: @escaping @Sendable (AgentEvent) -> Void) async {
        var attempt = 0
        var status = SourceStatus(address: endpoint.description)
        while !Task.isCancelled {
            status.state = .connecting
            emit(.status(status))
            let wait: Double
            do {
                guard await Resolver.resolvesOffPool(endpoint.host) else {
                    throw ConnectionFailure.unresolvable("\(endpoint.host) does not resolve")
                }
                try await session(status: &status, emit: emit, resetAttempts: { attempt = 0 })
                attempt += 1
                wait = backoff(attempt)
                status.state = .retrying(reason: "the agent closed the stream", inSeconds: wait)
            } catch let error as RPCError where error.code == .unauthenticated {
                wait = authBackoffSeconds
                status.state = .authFailed(reason: error.message)
            } catch ConnectionFailure.unresolvable(let reason) {
                attempt += 1
                wait = max(backoff(attempt), 1)
                status.state = .unresolvable(reason: reason)
            } catch {
                if Task.isCancelled { return }
                attempt += 1
                wait = backoff(attempt)
                status.state = .retrying(reason: Self.describe(error), inSeconds: wait)
            }
            emit(.status(status))
            try? await Task.sleep(for: .milliseconds(Int(wait * 1000)))
        }
    }

    private func backoff(_ attempt: Int) -> Double {
        let base = min(maxBackoffSeconds, 0.25 * pow(2, Double(max(0, attempt - 1))))
        return base * Double.random(in: 0.8...1.2)
    }

    private func session(
        status: inout SourceStatus, emit: @escaping @Sendable (AgentEvent) -> Void, resetAttempts: () -> Void
    ) async throws {
        var metadata: Metadata = [:]
        if let token = endpoint.token { metadata.addString("Bearer \(token)", forKey: "authorization") }
        var options = CallOptions.defaults
        options.waitForReady = false
        options.timeout = .seconds(3)
        var streamOptions = CallOptions.defaults
        streamOptions.waitForReady = false
        let transport = try endpoint.transport()
        let silence = silenceSeconds
        let address = endpoint.description
        let info: Infertop_V1_AgentInfo = try await withGRPCClient(transport: transport) { grpc in
            let agent = Infertop_V1_Agent.Client(wrapping: grpc)
            let info = try await agent.info(Infertop_V1_InfoRequest(), metadata: metadata, options: options)
            var live = SourceStatus(
                address: address, node: NodeID(info.node), state: .live, version: info.agentVersion,
                lastMessageTime: nil)
            emit(.status(live))
            var request = Infertop_V1_SubscribeRequest()
            request.client = client
            let version = info.agentVersion
            try await agent.subscribe(request, metadata: metadata, options: streamOptions) { response in
                let watchdog = Watchdog(seconds: silence)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await watchdog.run() }
                    group.addTask {
                        for try await update in response.messages {
                            watchdog.feed()
                            emit(.update(update, version: version))
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
            live.state = .connecting
            return info
        }
        status.node = NodeID(info.node)
        status.version = info.agentVersion
        resetAttempts()
    }

    static func describe(_ error: any Error) -> String {
        if let rpc = error as? RPCError {
            switch rpc.code {
            case .unavailable: return "unreachable: \(rpc.message)"
            case .deadlineExceeded: return "no answer within 3 s"
            default: return "\(rpc.code): \(rpc.message)"
            }
        }
        if error is Watchdog.Silence { return "silent for 5 s" }
        return "\(error)"
    }
}

enum ConnectionFailure: Error {
    case unresolvable(String)
}
