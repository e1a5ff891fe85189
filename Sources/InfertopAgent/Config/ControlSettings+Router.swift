import Foundation
import InfertopCore

/// `[control.router]`: the serving router whose worker API the `router` executor drives
/// (sglang-router 0.3.2's `/workers`), and which of the router's workers are this node's replicas.
///
/// ```toml
/// [control.router]
/// url = "http://10.0.0.2:30000"
/// admin_key_file = "/etc/infertop/router.key"   # or admin_key = "..."
/// timeout_seconds = 5                           # one HTTP call
/// settle_seconds = 30                           # a removal or re-add showing in GET /workers
///
/// [[control.router.workers]]                    # else: each [[scrape]] engine's URL minus its path
/// replica = "llama-70b/0"
/// url = "http://10.0.0.7:30001"
/// node = "node-07"                              # a coordinator's other nodes; default: this one
/// ```
public struct RouterSettings: Sendable, Hashable {
    /// The router's base URL; nil when `[control.router]` is absent.
    public var url: String?
    /// Sent as `Authorization: Bearer <key>` (the router's `--api-key`, or an admin key of
    /// `--control-plane-api-keys`).
    public var adminKey: String?
    /// A file holding the key (read when the agent starts; surrounding blanks dropped).
    public var adminKeyFile: String?
    /// Seconds for one HTTP call to the router or a worker.
    public var timeoutSeconds: Double = 5
    /// Seconds a removal or a re-add may take to show in the router's list (the router carries
    /// both out in the background; a worker that does not answer its health check never shows).
    public var settleSeconds: Double = 30
    /// Workers named in the config; they replace those derived from `[[scrape]]` for their replica.
    /// A coordinating agent names its other nodes' workers with their node.
    public var workers: [RouterWorker] = []

    public init() {}

    /// The workers the router knows this node's replicas by: the configured ones, then, for each
    /// engine scraped here whose replica has none configured, its scrape URL without the path
    /// (`http://10.0.0.7:30001/metrics` gives `http://10.0.0.7:30001`).
    ///
    /// The URL must be the one the router lists: a scrape of `127.0.0.1` only matches a router on
    /// the same host.
    public func workers(scrapes: [AgentConfig.ScrapeTarget]) -> [RouterWorker] {
        let configured = Set(workers.map(\.replica))
        var all = workers
        for binding in scrapes.compactMap(\.engine) where !configured.contains(binding.replicaID) {
            guard let metrics = binding.metricsURL, let base = Self.origin(of: metrics) else { continue }
            let worker = RouterWorker(replica: binding.replicaID, url: base)
            if !all.contains(worker) { all.append(worker) }
        }
        return all
    }

    /// `http://host:port` of a URL: the scheme and authority, without path or query.
    static func origin(of url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        guard end > rest.startIndex else { return nil }
        return String(url[..<end])
    }

    /// The admin key: `admin_key`, else the contents of `admin_key_file`, else none.
    public func resolvedAdminKey() throws -> String? {
        if let adminKey { return adminKey }
        guard let path = adminKeyFile else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AgentConfigError("[control.router] admin_key_file: cannot read \(path)")
        }
        let key = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw AgentConfigError("[control.router] admin_key_file: \(path) is empty") }
        return key
    }
}

/// One of the router's workers and the replica it serves.
public struct RouterWorker: Sendable, Hashable, CustomStringConvertible {
    public var replica: ReplicaID
    /// The worker's URL exactly as the router lists it (`http://10.0.0.7:30001`).
    public var url: String
    /// The node it runs on; nil for the agent's own node.
    public var node: NodeID?

    public var description: String { "\(replica) (\(url))" }
}
