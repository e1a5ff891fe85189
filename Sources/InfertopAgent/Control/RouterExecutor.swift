import InfertopCollectors
import InfertopCore

/// Node actions through the serving router (sglang-router's `/workers` API): a drain removes the
/// node's workers from the router (it stops routing to them at once; requests in flight on them
/// finish) and waits until each worker says it has none left; uncordon and cancel add them back
/// and wait until the router lists them healthy. A cordon leaves them serving: it only stops new
/// placements, which the router does not make.
///
/// Every action checks the router's list first, so a resumed operation never removes or adds a
/// worker twice. Workers are looked up by URL: the router's ids change with each registration.
public struct RouterExecutor: NodeExecutor {
    public let client: RouterClient
    /// The agent's own node: the node of every worker that names none.
    public let home: NodeID
    /// The workers it acts on, each node's.
    public let workers: [RouterWorker]
    /// Seconds a removal or addition may take to show in the router's list.
    public let settleSeconds: Double
    /// Pause between two looks at the list.
    public let pollInterval: Duration

    public var name: String { "router" }

    public init(
        client: RouterClient, home: NodeID, workers: [RouterWorker], settleSeconds: Double = 30,
        pollInterval: Duration = .milliseconds(100)
    ) {
        self.client = client
        self.home = home
        self.workers = workers
        self.settleSeconds = settleSeconds
        self.pollInterval = pollInterval
    }

    /// The executor `[control.router]` describes, over AsyncHTTPClient.
    /// - Throws: `AgentConfigError` without a router URL, an admin key file that cannot be read,
    ///   or no worker for this node (neither `[[control.router.workers]]` nor a `[[scrape]]` engine).
    public static func configured(
        _ config: AgentConfig, node: NodeID, transport: any HTTPTransport = AsyncHTTPTransport()
    ) throws -> RouterExecutor {
        let settings = config.control.router
        guard let url = settings.url else {
            throw AgentConfigError("[control] executor \"router\" needs [control.router] url = \"http://ROUTER:PORT\"")
        }
        let workers = settings.workers(scrapes: config.scrapes)
        guard !workers.isEmpty else {
            throw AgentConfigError(
                "[control] executor \"router\": no worker for this node; add [[control.router.workers]] replica = \"MODEL/N\" "
                    + "url = \"http://HOST:PORT\" (as the router lists it), or a [[scrape]] engine with its replica")
        }
        let client = RouterClient(
            router: url, adminKey: try settings.resolvedAdminKey(), timeout: settings.timeoutSeconds,
            transport: transport)
        return RouterExecutor(client: client, home: node, workers: workers, settleSeconds: settings.settleSeconds)
    }

    public func cordon(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        let workers = try workers(of: node)
        let listed = try await client.workers()
        let parts = workers.map { worker in
            Self.entries(of: worker, in: listed).isEmpty
                ? "\(worker) not in the router" : "\(worker) keeps serving"
        }
        return "router \(client.router): " + parts.joined(separator: "; ")
            + " (a cordon places no new replicas; a drain takes them out of the router)"
    }

    public func uncordon(_ node: NodeID) async throws -> String {
        try await addBack(try workers(of: node))
    }

    public func cancelDrain(_ node: NodeID) async throws -> String {
        try await addBack(try workers(of: node))
    }

    public func drain(_ node: NodeID, reason: String, requestedBy: String) async throws -> String {
        let workers = try workers(of: node)
        let listed = try await client.workers()
        var parts: [String] = []
        for worker in workers {
            let entries = Self.entries(of: worker, in: listed)
            if entries.isEmpty {
                parts.append("\(worker) already out of the router")
                continue
            }
            var gone = false
            for entry in entries {
                do {
                    try await client.remove(entry)
                } catch let error as RouterError where error.status == 404 {
                    gone = true  // removed by someone else between the list and the call
                }
            }
            parts.append(gone ? "\(worker) already out of the router (gone when asked)" : "removed \(worker)")
        }
        try await waitForList("removed") { listed in
            let still = workers.filter { !Self.entries(of: $0, in: listed).isEmpty }
            return still.isEmpty ? nil : "still listed: " + still.map(\.description).joined(separator: ", ")
        }
        return "router \(client.router): " + parts.joined(separator: "; ")
    }

    public func drainProgress(_ node: NodeID) async throws -> DrainProgress {
        var inFlight = 0
        for worker in try workers(of: node) {
            do {
                inFlight += try await client.inFlight(onWorker: worker.url)
            } catch let error as RouterError where error.cause == .connectionRefused {
                // Nothing listens there any more: the engine has stopped, with nothing in flight.
                continue
            }
        }
        return inFlight == 0 ? .drained : .inFlight(inFlight)
    }

    /// `node`'s workers. None is an error, not a step done: a drain that took no traffic away
    /// must not pass for one that did.
    func workers(of node: NodeID) throws -> [RouterWorker] {
        let found = workers.filter { ($0.node ?? home) == node }
        guard found.isEmpty else { return found }
        throw RouterError(
            router: client.router, worker: nil, action: "\(node)",
            detail: node == home
                ? "no worker of this node is configured ([[control.router.workers]] or [[scrape]] engines)"
                : "no worker of \(node) is configured: add [[control.router.workers]] node = \"\(node)\" replica = \"MODEL/N\" url = \"http://HOST:PORT\""
        )
    }

    /// Adds every worker the router does not list, then waits until all are listed healthy.
    private func addBack(_ workers: [RouterWorker]) async throws -> String {
        let listed = try await client.workers()
        var parts: [String] = []
        var jobs: [String: String] = [:]
        for worker in workers {
            let entries = Self.entries(of: worker, in: listed)
            if entries.contains(where: \.isHealthy) {
                parts.append("\(worker) already in the router")
            } else if !entries.isEmpty {
                parts.append("\(worker) listed, not yet healthy")
            } else {
                let accepted = try await client.add(worker.url)
                if let id = accepted.workerId { jobs[worker.url] = id }
                parts.append("added \(worker)")
            }
        }
        do {
            try await waitForList("listed healthy") { listed in
                let waiting = workers.filter { !Self.entries(of: $0, in: listed).contains(where: \.isHealthy) }
                return waiting.isEmpty ? nil : "not yet healthy: " + waiting.map(\.description).joined(separator: ", ")
            }
        } catch var error as RouterError {
            // Say what the router's background job made of each addition still missing.
            for (url, id) in jobs.sorted(by: { $0.key < $1.key }) {
                if let status = await client.jobStatus(id) { error.detail += "; job for \(url): \(status)" }
            }
            error.detail +=
                " (a worker that does not answer its health check is not listed; the router keeps retrying it)"
            throw error
        }
        return "router \(client.router): " + parts.joined(separator: "; ")
    }

    /// Polls the router's list until `pending` says nothing is left to wait for (nil), or
    /// `settleSeconds` pass.
    private func waitForList(_ goal: String, pending: ([RouterClient.Worker]) -> String?) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(Int64(settleSeconds * 1000)))
        while true {
            let listed = try await client.workers()
            guard let waiting = pending(listed) else { return }
            guard clock.now < deadline else {
                throw RouterError(
                    router: client.router, worker: nil, action: "GET /workers",
                    detail: "not \(goal) after \(Self.seconds(settleSeconds)) s: \(waiting)")
            }
            try await Task.sleep(for: pollInterval)
        }
    }

    /// `30`, `0.5`.
    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// The router's entries for `worker` (normally one; several if it was registered twice).
    static func entries(of worker: RouterWorker, in listed: [RouterClient.Worker]) -> [RouterClient.Worker] {
        let url = normalized(worker.url)
        return listed.filter { normalized($0.url) == url }
    }

    private static func normalized(_ url: String) -> String {
        (url.hasSuffix("/") ? String(url.dropLast()) : url).lowercased()
    }
}
