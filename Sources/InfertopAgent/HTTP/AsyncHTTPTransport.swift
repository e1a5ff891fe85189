import AsyncHTTPClient
import InfertopCollectors
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `HTTPTransport` over AsyncHTTPClient: one deadline for the whole exchange, the reply read
/// whole (up to `maxResponseBytes`).
public struct AsyncHTTPTransport: HTTPTransport {
    public let client: HTTPClient
    /// Largest reply body read.
    public let maxResponseBytes: Int

    /// The agent's client, for its whole life (never shut down): HTTP/1.1, no redirects, no
    /// proxy, and a refused connection reported at once. AsyncHTTPClient's default retries a
    /// failed connect until the deadline, which would turn "nothing listens there" (an engine
    /// that has stopped) into a timeout.
    public static let agentClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(client: HTTPClient = AsyncHTTPTransport.agentClient, maxResponseBytes: Int = 8 << 20) {
        self.client = client
        self.maxResponseBytes = maxResponseBytes
    }

    public func send(_ request: HTTPTransportRequest, timeout: Double) async throws -> HTTPTransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers { outgoing.headers.add(name: field.name, value: field.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + .milliseconds(Int64(max(0.001, timeout) * 1000))
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            let body = try await response.body.collect(upTo: maxResponseBytes)
            var headers: [String: String] = [:]
            for (name, value) in response.headers {
                let key = name.lowercased()
                headers[key] = headers[key].map { "\($0), \(value)" } ?? value
            }
            return HTTPTransportResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body))
        } catch {
            throw Self.transportError(error, timeout: timeout, limit: maxResponseBytes, url: request.url)
        }
    }

    /// AsyncHTTPClient's and NIO's errors in an operator's words.
    static func transportError(_ error: any Error, timeout: Double, limit: Int, url: String) -> HTTPTransportError {
        if let error = error as? HTTPTransportError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
                return .timedOut(seconds: timeout)
            case .invalidURL, .emptyHost, .emptyScheme:
                return .badURL(url)
            default:
                if "\(error)".contains("unsupportedScheme") { return .badURL(url) }
                return .failed("\(error)")
            }
        }
        if error is NIOTooManyBytesError { return .tooLarge(limit: limit) }
        if isRefused(error) { return .connectionRefused }
        if let error = error as? ChannelError, case .connectTimeout = error { return .timedOut(seconds: timeout) }
        return .failed("\(error)")
    }

    private static func isRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            return !error.connectionErrors.isEmpty && error.connectionErrors.allSatisfy { isRefused($0.error) }
        }
        return false
    }
}

extension AsyncHTTPTransport {
    /// A client like `agentClient` (which also speaks HTTPS with the system's roots) or, with
    /// `caFile`, one trusting only that CA (PEM): for a Prometheus behind TLS (`--prometheus-ca`).
    /// Like `agentClient` it lives as long as the process (AsyncHTTPClient requires a client to be
    /// shut down before it is released), so one is made per CA file.
    /// - Throws: when the CA file does not hold a PEM certificate.
    public static func client(caFile: String?) throws -> HTTPClient {
        guard let caFile else { return agentClient }
        return try caClients.withLock { clients in
            if let made = clients[caFile] { return made }
            let made = try makeClient(caFile: caFile)
            clients[caFile] = made
            return made
        }
    }

    private static let caClients = Mutex<[String: HTTPClient]>([:])

    private static func makeClient(caFile: String) throws -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        configuration.tlsConfiguration = tls
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }
}
