import Foundation
import InfertopCollectors

/// sglang-router's worker API (0.3.2: `GET/POST /workers`, `DELETE /workers/{id}`), and the one
/// call the executor makes to a worker itself (`GET /get_load`), as
/// `../shared/tools/README-router.md` records them.
///
/// The router keys workers by a UUID it assigns per registration (a re-added URL gets a new one),
/// so the client looks workers up by URL. Additions and removals are accepted with HTTP 202 and
/// carried out in the background: callers poll `workers()` for the result.
public struct RouterClient: Sendable {
    /// `http://10.0.0.2:30000`, no trailing slash.
    public let router: String
    public let adminKey: String?
    /// Seconds for one call.
    public let timeout: Double
    public let transport: any HTTPTransport

    public init(router: String, adminKey: String?, timeout: Double, transport: any HTTPTransport) {
        self.router = router.hasSuffix("/") ? String(router.dropLast()) : router
        self.adminKey = adminKey
        self.timeout = timeout
        self.transport = transport
    }

    /// One worker as `GET /workers` lists it.
    public struct Worker: Codable, Sendable, Hashable {
        public var id: String
        public var url: String
        public var modelId: String?
        public var isHealthy: Bool
        public var load: Int?
        public var workerType: String?
        public var metadata: [String: String]?

        public init(id: String, url: String, isHealthy: Bool, modelId: String? = nil) {
            self.id = id
            self.url = url
            self.isHealthy = isHealthy
            self.modelId = modelId
        }
    }

    /// `GET /workers`.
    struct WorkerList: Codable {
        var workers: [Worker]
    }

    /// The 202 answer to an addition or removal.
    public struct Accepted: Codable, Sendable, Hashable {
        public var status: String?
        public var workerId: String?
        public var message: String?
    }

    /// `GET /workers/{id}` of a worker whose addition is still a background job.
    struct JobView: Codable {
        struct JobStatus: Codable {
            var status: String
            var message: String?
        }
        var jobStatus: JobStatus?
    }

    /// One data-parallel rank of `GET <worker>/get_load`.
    struct RankLoad: Codable {
        var numReqs: Int
        var numWaitingReqs: Int?
    }

    /// The workers the router serves through, healthy or not (additions still in the router's
    /// queue are not listed).
    public func workers() async throws -> [Worker] {
        let reply = try await call(.get, "/workers", action: "GET /workers")
        return try decode(WorkerList.self, reply, action: "GET /workers").workers
    }

    /// `POST /workers {"url": ...}`: the router adds the worker in the background.
    @discardableResult
    public func add(_ url: String) async throws -> Accepted {
        let body = try JSONSerialization.data(
            withJSONObject: ["url": url], options: [.sortedKeys, .withoutEscapingSlashes])
        let action = "POST /workers {\"url\":\"\(url)\"}"
        let reply = try await call(.post, "/workers", body: Array(body), worker: url, action: action)
        return (try? decode(Accepted.self, reply, action: action)) ?? Accepted()
    }

    /// `DELETE /workers/{id}`: the router stops routing to it at once; requests in flight on it
    /// finish.
    public func remove(_ worker: Worker) async throws {
        _ = try await call(.delete, "/workers/\(worker.id)", worker: worker.url, action: "DELETE /workers/\(worker.id)")
    }

    /// Where the router's background job for `id` stands (`processing`, `failed: why`), when the
    /// router still has it.
    public func jobStatus(_ id: String) async -> String? {
        guard let reply = try? await call(.get, "/workers/\(id)", action: "GET /workers/\(id)"),
            let job = try? decode(JobView.self, reply, action: "").jobStatus
        else { return nil }
        return job.message.map { "\(job.status): \($0)" } ?? job.status
    }

    /// Requests running or queued on a worker, asked of the worker (`GET /get_load`, summed over
    /// its data-parallel ranks): the router counts them only under its `cache_aware` policy.
    public func inFlight(onWorker url: String) async throws -> Int {
        let target = url + "/get_load"
        let reply: HTTPTransportResponse
        do {
            reply = try await transport.send(HTTPTransportRequest(.get, target), timeout: timeout)
        } catch {
            throw RouterError(
                router: nil, worker: url, action: "GET /get_load", detail: "\(error)",
                cause: error as? HTTPTransportError)
        }
        guard reply.isSuccess else {
            throw RouterError(router: nil, worker: url, action: "GET /get_load", detail: Self.said(reply))
        }
        do {
            return try Self.decoder.decode([RankLoad].self, from: Data(reply.body)).reduce(0) {
                $0 + $1.numReqs + ($1.numWaitingReqs ?? 0)
            }
        } catch {
            throw RouterError(
                router: nil, worker: url, action: "GET /get_load",
                detail: "expected sglang's [{\"num_reqs\": n, ...}], got \(Self.excerpt(reply.text))")
        }
    }

    private func call(
        _ method: HTTPTransportRequest.Method, _ path: String, body: [UInt8]? = nil, worker: String? = nil,
        action: String
    ) async throws -> HTTPTransportResponse {
        var headers = [HTTPHeaderField("Accept", "application/json")]
        if let adminKey { headers.append(HTTPHeaderField("Authorization", "Bearer \(adminKey)")) }
        if body != nil { headers.append(HTTPHeaderField("Content-Type", "application/json")) }
        let reply: HTTPTransportResponse
        do {
            reply = try await transport.send(
                HTTPTransportRequest(method, router + path, headers: headers, body: body), timeout: timeout)
        } catch {
            throw RouterError(
                router: router, worker: worker, action: action, detail: "\(error)", cause: error as? HTTPTransportError)
        }
        guard reply.isSuccess else {
            throw RouterError(
                router: router, worker: worker, action: action, detail: Self.said(reply), status: reply.status)
        }
        return reply
    }

    private func decode<T: Decodable>(_ type: T.Type, _ reply: HTTPTransportResponse, action: String) throws -> T {
        do {
            return try Self.decoder.decode(type, from: Data(reply.body))
        } catch {
            throw RouterError(
                router: router, worker: nil, action: action, detail: "unexpected reply \(Self.excerpt(reply.text))")
        }
    }

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// What a reply with an error status said: the router's `{"error": "...", "code": "..."}`,
    /// its inference form `{"error": {"code", "message"}}`, or its plain text (401, 415, 422).
    static func said(_ reply: HTTPTransportResponse) -> String {
        struct Flat: Decodable {
            var error: String
            var code: String?
        }
        struct Nested: Decodable {
            struct Inner: Decodable {
                var code: String?
                var message: String?
            }
            var error: Inner
        }
        let data = Data(reply.body)
        var what: String
        if let flat = try? JSONDecoder().decode(Flat.self, from: data) {
            what = flat.code.map { "\($0): \(flat.error)" } ?? flat.error
        } else if let nested = try? JSONDecoder().decode(Nested.self, from: data) {
            what = [nested.error.code, nested.error.message].compactMap { $0 }.joined(separator: ": ")
        } else {
            what = excerpt(reply.text)
        }
        if what.isEmpty { what = "(empty body)" }
        return "HTTP \(reply.status): \(what)"
    }

    /// The first 200 characters of a body, on one line.
    static func excerpt(_ text: String) -> String {
        let line = text.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}

/// A call to the router or a worker that failed: which router, which worker, what was asked, and
/// what came back.
public struct RouterError: Error, Sendable, CustomStringConvertible {
    public var router: String?
    public var worker: String?
    public var action: String
    public var detail: String
    /// The HTTP status, when the router answered.
    public var status: Int?
    /// Why no reply came, when none did.
    public var cause: HTTPTransportError?

    public var description: String {
        var text = router.map { "router \($0)" } ?? "worker \(worker ?? "?")"
        if router != nil, let worker { text += " (worker \(worker))" }
        text += ": \(action): \(detail)"
        if status == 401 || status == 403 {
            text +=
                " (check [control.router] admin_key: the router wants its --api-key or an admin key of --control-plane-api-keys)"
        }
        return text
    }
}
