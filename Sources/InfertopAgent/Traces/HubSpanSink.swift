import InfertopCore
import InfertopOTLP

/// Where the OTLP receiver delivers decoded spans: the agent's hubs. A span that names a node
/// served here goes to that node's hub; every other span (no `host.name`, or another host such
/// as a router) is kept by the home hub, the agent's own node, under the node it names.
public struct HubSpanSink: OTLPSpanSink {
    private let hubs: [NodeID: SubscriptionHub]
    private let home: SubscriptionHub

    public init(home: SubscriptionHub, others: [SubscriptionHub] = []) {
        self.home = home
        var hubs = [home.node: home]
        for hub in others { hubs[hub.node] = hub }
        self.hubs = hubs
    }

    public func accept(_ spans: [Span], rejected: Int) -> OTLPAdmission {
        guard hubs.count > 1 else { return Self.admission(home.ingest(spans, rejected: rejected)) }
        var byHub: [NodeID: [Span]] = [:]
        for span in spans {
            let target = span.node.flatMap { hubs[$0] != nil ? $0 : nil } ?? home.node
            byHub[target, default: []].append(span)
        }
        var answer = OTLPAdmission.accepted
        if byHub[home.node] == nil, rejected > 0 { byHub[home.node] = [] }
        for (node, batch) in byHub {
            guard let hub = hubs[node] else { continue }
            let outcome = Self.admission(hub.ingest(batch, rejected: node == home.node ? rejected : 0))
            if case .overloaded = outcome { answer = outcome }
        }
        return answer
    }

    static func admission(_ outcome: SpanStorage.Outcome) -> OTLPAdmission {
        switch outcome {
        case .stored: .accepted
        case .overloaded(let seconds): .overloaded(retryAfterSeconds: seconds)
        }
    }
}
