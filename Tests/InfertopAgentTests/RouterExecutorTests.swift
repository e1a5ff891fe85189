import Foundation
import InfertopCollectors
import InfertopCore
import Synchronization
import Testing

@testable import InfertopAgent

/// The router executor against a transport that plays sglang-router 0.3.2 and its workers as
/// `../shared/tools/README-router.md` records them: `/workers` keyed by UUID, additions and
/// removals answered 202 and carried out a few polls later, errors as `{"error","code"}` JSON or
/// plain text, each worker's `GET /get_load`.
@Suite struct RouterExecutorTests {
    static let router = "http://10.0.0.2:30000"
    static let w1 = RouterWorker(replica: ReplicaID(model: "llama-70b", index: 0), url: "http://10.0.0.7:30001")
    static let w2 = RouterWorker(replica: ReplicaID(model: "llama-70b", index: 1), url: "http://10.0.0.7:30002")
    static let other = "http://10.0.0.8:30001"

    /// The router and its workers, in memory; every request recorded.
    final class FakeRouter: HTTPTransport, Sendable {
        struct State {
            /// URL -> (id, healthy), in registration order.
            var listed: [(url: String, id: String, healthy: Bool)] = []
            /// Changes the router has accepted and not yet carried out, with the polls left.
            var pendingRemovals: [String: Int] = [:]
            var pendingAdds: [String: Int] = [:]
            /// Workers whose addition never completes (their health check fails).
            var unreachable: Set<String> = []
            var inFlight: [String: [(running: Int, waiting: Int)]] = [:]
            var refusedWorkers: Set<String> = []
            var routerDown = false
            var requests: [HTTPTransportRequest] = []
            var nextID = 1
        }

        let key: String?
        /// Polls of `GET /workers` before an accepted change shows.
        let lag: Int
        let state: Mutex<State>

        init(
            key: String? = "adm1n-key", lag: Int = 0,
            listed: [String] = [RouterExecutorTests.w1.url, RouterExecutorTests.w2.url, RouterExecutorTests.other]
        ) {
            self.key = key
            self.lag = lag
            var initial = State()
            for url in listed {
                initial.listed.append((url, Self.uuid(initial.nextID), true))
                initial.nextID += 1
            }
            state = Mutex(initial)
        }

        static func uuid(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

        var requests: [HTTPTransportRequest] { state.withLock { $0.requests } }
        /// `METHOD path` of every request to the router itself.
        var calls: [String] {
            requests.filter { $0.url.hasPrefix(RouterExecutorTests.router) }.map {
                "\($0.method.rawValue) \($0.url.dropFirst(RouterExecutorTests.router.count))"
            }
        }
        var mutations: [String] { calls.filter { !$0.hasPrefix("GET") } }
        func listedURLs() -> [String] { state.withLock { $0.listed.map(\.url) } }
        func id(of url: String) -> String? { state.withLock { s in s.listed.first { $0.url == url }?.id } }
        func setInFlight(_ url: String, _ ranks: [(Int, Int)]) {
            state.withLock { $0.inFlight[url] = ranks.map { (running: $0.0, waiting: $0.1) } }
        }

        func send(_ request: HTTPTransportRequest, timeout: Double) async throws -> HTTPTransportResponse {
            try state.withLock { s in
                s.requests.append(request)
                guard request.url.hasPrefix(RouterExecutorTests.router) else { return try worker(request, &s) }
                if s.routerDown { throw HTTPTransportError.connectionRefused }
                let path = String(request.url.dropFirst(RouterExecutorTests.router.count))
                if let key, request.header("Authorization") != "Bearer \(key)" {
                    return HTTPTransportResponse(
                        status: 401, body: Array("Missing or invalid Authorization header".utf8))
                }
                switch (request.method, path) {
                case (.get, "/workers"):
                    Self.settle(&s)
                    let workers = s.listed.map { w in
                        "{\"id\":\"\(w.id)\",\"url\":\"\(w.url)\",\"model_id\":\"llama-70b\",\"priority\":50,\"cost\":1.0,\"worker_type\":\"regular\",\"is_healthy\":\(w.healthy),\"load\":0,\"connection_mode\":\"HTTP\",\"metadata\":{\"tp_size\":\"1\"},\"disable_health_check\":false}"
                    }
                    return Self.json(
                        200, "{\"workers\":[\(workers.joined(separator: ","))],\"total\":\(workers.count),\"stats\":{}}"
                    )
                case (.post, "/workers"):
                    guard request.header("Content-Type") == "application/json" else {
                        return HTTPTransportResponse(
                            status: 415, body: Array("Expected request with `Content-Type: application/json`".utf8))
                    }
                    let body = try JSONSerialization.jsonObject(with: Data(request.body ?? [])) as? [String: String]
                    guard let url = body?["url"] else {
                        return HTTPTransportResponse(status: 422, body: Array("missing field `url`".utf8))
                    }
                    let id = Self.uuid(s.nextID)
                    s.nextID += 1
                    if !s.listed.contains(where: { $0.url == url }) && !s.unreachable.contains(url) {
                        s.pendingAdds[url] = lag
                    }
                    return Self.json(
                        202,
                        "{\"status\":\"accepted\",\"worker_id\":\"\(id)\",\"url\":\"\(url)\",\"message\":\"Worker addition queued for background processing\"}"
                    )
                case (.delete, let p) where p.hasPrefix("/workers/"):
                    let id = String(p.dropFirst("/workers/".count))
                    guard let entry = s.listed.first(where: { $0.id == id }) else {
                        return Self.json(404, "{\"error\":\"Worker \(id) not found\",\"code\":\"WORKER_NOT_FOUND\"}")
                    }
                    s.pendingRemovals[entry.url] = lag
                    return Self.json(
                        202,
                        "{\"status\":\"accepted\",\"worker_id\":\"\(id)\",\"message\":\"Worker removal queued for background processing\"}"
                    )
                case (.get, let p) where p.hasPrefix("/workers/"):
                    return Self.json(
                        200,
                        "{\"id\":\"\(p.dropFirst(9))\",\"url\":\"?\",\"is_healthy\":false,\"job_status\":{\"job_type\":\"AddWorker\",\"worker_url\":\"?\",\"status\":\"processing\",\"message\":null,\"timestamp\":1}}"
                    )
                default:
                    return HTTPTransportResponse(status: 404)
                }
            }
        }

        private func worker(_ request: HTTPTransportRequest, _ s: inout State) throws -> HTTPTransportResponse {
            let base = String(request.url.dropLast("/get_load".count))
            guard request.url.hasSuffix("/get_load") else { return HTTPTransportResponse(status: 404) }
            if s.refusedWorkers.contains(base) { throw HTTPTransportError.connectionRefused }
            let ranks = (s.inFlight[base] ?? [(0, 0)]).enumerated().map { i, r in
                "{\"dp_rank\":\(i),\"num_reqs\":\(r.running),\"num_waiting_reqs\":\(r.waiting),\"num_tokens\":\(10 * r.running)}"
            }
            return Self.json(200, "[\(ranks.joined(separator: ","))]")
        }

        /// Carries out accepted changes whose lag has passed.
        private static func settle(_ s: inout State) {
            for (url, left) in s.pendingRemovals {
                if left > 0 {
                    s.pendingRemovals[url] = left - 1
                } else {
                    s.listed.removeAll { $0.url == url }
                    s.pendingRemovals[url] = nil
                }
            }
            for (url, left) in s.pendingAdds {
                if left > 0 {
                    s.pendingAdds[url] = left - 1
                } else {
                    s.listed.append((url, uuid(s.nextID), true))
                    s.nextID += 1
                    s.pendingAdds[url] = nil
                }
            }
        }

        static func json(_ status: Int, _ text: String) -> HTTPTransportResponse {
            HTTPTransportResponse(status: status, headers: ["content-type": "application/json"], body: Array(text.utf8))
        }
    }

    static func executor(
        _ fake: FakeRouter, key: String? = "adm1n-key", workers: [RouterWorker] = [w1, w2], settle: Double = 60
    )
        -> RouterExecutor
    {
        RouterExecutor(
            client: RouterClient(router: router, adminKey: key, timeout: 2, transport: fake), home: "node-07",
            workers: workers,
            settleSeconds: settle, pollInterval: .milliseconds(1))
    }

    @Test func drain_removesTheNodesWorkersByID_withTheAdminKey_andWaitsUntilTheyAreGone() async throws {
        let fake = FakeRouter(lag: 3)
        let id1 = try #require(fake.id(of: Self.w1.url))
        let id2 = try #require(fake.id(of: Self.w2.url))
        let line = try await Self.executor(fake).drain("node-07", reason: "NIC", requestedBy: "alice")
        #expect(fake.mutations == ["DELETE /workers/\(id1)", "DELETE /workers/\(id2)"])
        #expect(fake.listedURLs() == [Self.other], "only the other node's worker is left")
        #expect(
            fake.calls.filter { $0 == "GET /workers" }.count >= 4, "it polled until the asynchronous removal showed")
        #expect(fake.requests.allSatisfy { $0.header("Authorization") == "Bearer adm1n-key" })
        #expect(
            line
                == "router \(Self.router): removed llama-70b/0 (http://10.0.0.7:30001); removed llama-70b/1 (http://10.0.0.7:30002)"
        )
    }

    @Test func aResumedDrain_whoseWorkerIsAlreadyGone_doesNotDeleteAgain() async throws {
        let fake = FakeRouter(listed: [Self.w2.url, Self.other])
        let id2 = try #require(fake.id(of: Self.w2.url))
        let executor = Self.executor(fake)
        let first = try await executor.drain("node-07", reason: "NIC", requestedBy: "alice")
        #expect(first.contains("llama-70b/0 (http://10.0.0.7:30001) already out of the router"))
        #expect(fake.mutations == ["DELETE /workers/\(id2)"])
        // The agent died after the DELETE and runs the step again: nothing more is removed.
        let again = try await executor.drain("node-07", reason: "NIC", requestedBy: "alice")
        #expect(fake.mutations == ["DELETE /workers/\(id2)"])
        #expect(again.contains("llama-70b/1 (http://10.0.0.7:30002) already out of the router"))
    }

    @Test func drainProgress_asksEachWorker_sumsRunningAndWaitingOverRanks() async throws {
        let fake = FakeRouter()
        let executor = Self.executor(fake)
        fake.setInFlight(Self.w1.url, [(2, 1), (1, 0)])
        fake.setInFlight(Self.w2.url, [(1, 0)])
        #expect(try await executor.drainProgress("node-07") == .inFlight(5))
        #expect(fake.requests.map(\.url) == ["http://10.0.0.7:30001/get_load", "http://10.0.0.7:30002/get_load"])
        fake.setInFlight(Self.w1.url, [(0, 0), (0, 0)])
        fake.setInFlight(Self.w2.url, [(0, 0)])
        #expect(try await executor.drainProgress("node-07") == .drained)
    }

    @Test func drainProgress_aWorkerThatNoLongerListens_hasNothingInFlight() async throws {
        let fake = FakeRouter()
        fake.state.withLock { $0.refusedWorkers = [Self.w1.url] }
        fake.setInFlight(Self.w2.url, [(1, 0)])
        #expect(try await Self.executor(fake).drainProgress("node-07") == .inFlight(1))
    }

    @Test func uncordon_addsBackWhatIsMissing_andWaitsUntilListedHealthy() async throws {
        let fake = FakeRouter(lag: 2, listed: [Self.w2.url, Self.other])
        let line = try await Self.executor(fake).uncordon("node-07")
        #expect(fake.mutations == ["POST /workers"])
        let post = try #require(fake.requests.first { $0.method == .post })
        #expect(post.body.map { String(decoding: $0, as: UTF8.self) } == "{\"url\":\"http://10.0.0.7:30001\"}")
        #expect(post.header("Content-Type") == "application/json")
        #expect(fake.listedURLs().contains(Self.w1.url))
        #expect(
            line
                == "router \(Self.router): added llama-70b/0 (http://10.0.0.7:30001); llama-70b/1 (http://10.0.0.7:30002) already in the router"
        )
        // Again (a resumed step, or cancel after uncordon): nothing is added twice.
        let again = try await Self.executor(fake).cancelDrain("node-07")
        #expect(fake.mutations == ["POST /workers"])
        #expect(again.contains("llama-70b/0 (http://10.0.0.7:30001) already in the router"))
    }

    @Test func cancelDrain_addsTheWorkersBack() async throws {
        let fake = FakeRouter(listed: [Self.other])
        _ = try await Self.executor(fake).cancelDrain("node-07")
        #expect(fake.mutations == ["POST /workers", "POST /workers"])
        #expect(Set(fake.listedURLs()) == [Self.other, Self.w1.url, Self.w2.url])
    }

    @Test func cordon_leavesTheWorkersServing_andSaysSo() async throws {
        let fake = FakeRouter(listed: [Self.w1.url])
        let line = try await Self.executor(fake).cordon("node-07", reason: "ECC", requestedBy: "alice")
        #expect(fake.mutations.isEmpty)
        #expect(line.contains("llama-70b/0 (http://10.0.0.7:30001) keeps serving"))
        #expect(line.contains("llama-70b/1 (http://10.0.0.7:30002) not in the router"))
        #expect(line.contains("a cordon places no new replicas"))
    }

    @Test func aWrongKey_failsNamingTheRouterAndWhatItSaid() async throws {
        let fake = FakeRouter()
        let error = try await #require(throws: RouterError.self) {
            try await Self.executor(fake, key: "wrong").drain("node-07", reason: "NIC", requestedBy: "alice")
        }
        #expect(
            error.description.hasPrefix(
                "router http://10.0.0.2:30000: GET /workers: HTTP 401: Missing or invalid Authorization header"))
        #expect(error.description.contains("admin_key"))
        #expect(fake.mutations.isEmpty)
    }

    @Test func aRouterError_namesTheWorker_andTheRoutersCode() async throws {
        // The router refuses the DELETE.
        final class Refusing: HTTPTransport, Sendable {
            let inner = FakeRouter()
            func send(_ request: HTTPTransportRequest, timeout: Double) async throws -> HTTPTransportResponse {
                if request.method == .delete {
                    return FakeRouter.json(
                        400, "{\"error\":\"Invalid worker_id '1234' (expected UUID)\",\"code\":\"BAD_REQUEST\"}")
                }
                return try await inner.send(request, timeout: timeout)
            }
        }
        let executor = RouterExecutor(
            client: RouterClient(router: Self.router, adminKey: "adm1n-key", timeout: 2, transport: Refusing()),
            home: "node-07", workers: [Self.w1],
            settleSeconds: 1, pollInterval: .milliseconds(1))
        let error = try await #require(throws: RouterError.self) {
            try await executor.drain("node-07", reason: "NIC", requestedBy: "alice")
        }
        #expect(
            error.description.contains("router http://10.0.0.2:30000 (worker http://10.0.0.7:30001): DELETE /workers/"))
        #expect(error.description.hasSuffix("HTTP 400: BAD_REQUEST: Invalid worker_id '1234' (expected UUID)"))
    }

    @Test func aWorkerRemovedByOthersBetweenListAndDelete_countsAsGone() async throws {
        final class Racing: HTTPTransport, Sendable {
            let inner = FakeRouter(listed: [RouterExecutorTests.w1.url])
            func send(_ request: HTTPTransportRequest, timeout: Double) async throws -> HTTPTransportResponse {
                if request.method == .delete {
                    inner.state.withLock { $0.listed.removeAll() }
                    return FakeRouter.json(404, "{\"error\":\"Worker x not found\",\"code\":\"WORKER_NOT_FOUND\"}")
                }
                return try await inner.send(request, timeout: timeout)
            }
        }
        let executor = RouterExecutor(
            client: RouterClient(router: Self.router, adminKey: "adm1n-key", timeout: 2, transport: Racing()),
            home: "node-07", workers: [Self.w1],
            settleSeconds: 1, pollInterval: .milliseconds(1))
        let line = try await executor.drain("node-07", reason: "NIC", requestedBy: "alice")
        #expect(line.hasSuffix("llama-70b/0 (http://10.0.0.7:30001) already out of the router (gone when asked)"))
    }

    @Test func anotherNodesDrain_touchesOnlyThatNodesWorkers_andNoneConfiguredIsAnError() async throws {
        let fake = FakeRouter()
        let remote = RouterWorker(replica: ReplicaID(model: "llama-70b", index: 2), url: Self.other, node: "node-08")
        let executor = Self.executor(fake, workers: [Self.w1, Self.w2, remote])
        let otherID = try #require(fake.id(of: Self.other))
        let line = try await executor.drain("node-08", reason: "PSU", requestedBy: "alice")
        #expect(fake.mutations == ["DELETE /workers/\(otherID)"])
        #expect(line.hasSuffix("removed llama-70b/2 (http://10.0.0.8:30001)"))
        // A node with no worker configured: the drain fails before any call, saying what to add.
        let error = try await #require(throws: RouterError.self) {
            try await executor.drain("node-09", reason: "PSU", requestedBy: "alice")
        }
        #expect(
            error.description.contains(
                "no worker of node-09 is configured: add [[control.router.workers]] node = \"node-09\""))
        #expect(fake.mutations.count == 1)
    }

    @Test func anUnreachableRouter_isNamed() async throws {
        let fake = FakeRouter()
        fake.state.withLock { $0.routerDown = true }
        let error = try await #require(throws: RouterError.self) { try await Self.executor(fake).uncordon("node-07") }
        #expect(error.description == "router http://10.0.0.2:30000: GET /workers: connection refused")
    }

    @Test func anAdditionThatNeverShows_failsAfterTheSettleTime_withTheRoutersJobStatus() async throws {
        let fake = FakeRouter(listed: [Self.w2.url])
        fake.state.withLock { $0.unreachable = [Self.w1.url] }
        let error = try await #require(throws: RouterError.self) {
            try await Self.executor(fake, settle: 0.2).uncordon("node-07")
        }
        #expect(
            error.description.contains(
                "not listed healthy after 0.2 s: not yet healthy: llama-70b/0 (http://10.0.0.7:30001)"))
        #expect(error.description.contains("job for http://10.0.0.7:30001: processing"))
    }

    @Test func errorBodies_flatNestedAndPlain_readAsTheRouterMeantThem() {
        func said(_ status: Int, _ body: String) -> String {
            RouterClient.said(HTTPTransportResponse(status: status, body: Array(body.utf8)))
        }
        #expect(
            said(400, "{\"error\":\"Invalid worker_id 'x' (expected UUID)\",\"code\":\"BAD_REQUEST\"}")
                == "HTTP 400: BAD_REQUEST: Invalid worker_id 'x' (expected UUID)")
        #expect(
            said(
                503,
                "{\"error\":{\"type\":\"Service Unavailable\",\"code\":\"no_available_workers\",\"message\":\"No available workers\"}}"
            ) == "HTTP 503: no_available_workers: No available workers")
        #expect(
            said(415, "Expected request with `Content-Type: application/json`")
                == "HTTP 415: Expected request with `Content-Type: application/json`")
        #expect(said(404, "") == "HTTP 404: (empty body)")
    }

    @Test func theRealTransport_reportsARefusedConnectionAtOnce() async throws {
        // A port nothing listens on: bound, never listened, closed.
        let port = try #require(Self.closedPort())
        let started = ContinuousClock.now
        let error = try await #require(throws: HTTPTransportError.self) {
            try await AsyncHTTPTransport().send(
                HTTPTransportRequest(.get, "http://127.0.0.1:\(port)/get_load"), timeout: 120)
        }
        #expect(error == .connectionRefused, "\(error)")
        // A deadline far off, so that only retrying until it could cross half of it: a loaded
        // machine's slowness is seconds, not a minute.
        #expect(ContinuousClock.now - started < .seconds(60), "reported at once, not retried until the deadline")
    }

    static func closedPort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return ok ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}
