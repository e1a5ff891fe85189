import Foundation
import InfertopCore
import InfertopWire
import Testing

@testable import InfertopAgent

/// An agent told to listen on an IPv6 address listens on IPv6, and a dashboard reaches it there.
@Suite(.serialized) struct IPv6ListenTests {
    /// Whether this machine has `::1` (the kernel lists it in `/proc/net/if_inet6`).
    static var hasIPv6Loopback: Bool {
        let table = (try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").contains { $0.hasPrefix("00000000000000000000000000000001 ") }
    }

    @Test(.enabled(if: hasIPv6Loopback, "this machine has no IPv6 loopback (no ::1 in /proc/net/if_inet6)"))
    func agentOnIPv6Loopback_isReachedOverIPv6() async throws {
        let address = try HostPort.parse("[::1]:0", for: .listen).get()
        try await AgentStreamTests.withOneNode(ListenConfig(host: address.host, port: address.port)) { port in
            let endpoint = try AgentEndpoint.parse("[::1]:\(port)").get()
            let live = try await AgentStreamTests().watch(AgentsFeed(endpoints: [endpoint])) {
                $0.topology.nodes.count == 1
            }
            #expect(live.sources.values.first?.state == .live)
        }
    }
}
