import InfertopCore

/// Why a scrape failed, in words an operator can act on.
public enum ScrapeError: Error, Sendable, Hashable, CustomStringConvertible {
    case badURL(String)
    case resolve(host: String, detail: String)
    case connectionRefused
    case connect(String)
    case timedOut(seconds: Double, phase: String)
    case io(String)
    case http(status: Int, reason: String)
    case badResponse(String)
    case malformed(count: Int, first: [PrometheusParseError])
    case noSeries(source: String)

    public var description: String {
        switch self {
        case .badURL(let why): "bad URL: \(why)"
        case .resolve(let host, let detail): "cannot resolve \(host): \(detail)"
        case .connectionRefused: "connection refused"
        case .connect(let detail): "cannot connect: \(detail)"
        case .timedOut(let seconds, let phase): "timed out after \(seconds) s \(phase)"
        case .io(let detail): "read/write failed: \(detail)"
        case .http(let status, let reason): "HTTP \(status)\(reason.isEmpty ? "" : " \(reason)")"
        case .badResponse(let detail): "bad HTTP response: \(detail)"
        case .malformed(let count, let first):
            "malformed metrics, \(count) bad line\(count == 1 ? "" : "s"): "
                + first.map(\.description).joined(separator: "; ")
        case .noSeries(let source): "no \(source) series in the response"
        }
    }
}

/// A parsed `http://host[:port][/path]` URL. Only plain HTTP: exporters and engines serve their
/// `/metrics` without TLS, and the agent reads them on the node or a private network.
public struct HTTPTarget: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// Path and query, starting with `/`.
    public var path: String

    /// Parses `url`. A URL without a path gets `/metrics`.
    public init(_ url: String) throws(ScrapeError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") else {
            throw .badURL(
                lower.hasPrefix("https://") ? "https is not supported (\(url))" : "not an http:// URL (\(url))")
        }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        var path = String(rest[slash...])
        if path.isEmpty { path = "/metrics" } else if path.first == "?" { path = "/" + path }
        guard !authority.isEmpty, !authority.contains("@") else { throw .badURL("no host, or user info (\(url))") }
        switch HostPort.parse(String(authority), for: .connect, defaultPort: 80) {
        case .success(let address):
            self.host = address.host
            self.port = address.port
        case .failure(let error):
            throw .badURL("\(error.reason) in \(url)")
        }
        self.path = path
    }

    /// The `Host` header value.
    var hostHeader: String {
        let address = HostPort(host: host, port: port)
        if port != 80 { return address.description }
        return address.isIPv6 ? "[\(host)]" : host
    }

    public var description: String { "http://\(hostHeader)\(path)" }
}

extension ScrapeError {
    /// A transport's failure in the scrape's words.
    init(_ error: any Error, timeout: Double) {
        switch error as? HTTPTransportError {
        case .badURL(let url): self = .badURL(url)
        case .connectionRefused: self = .connectionRefused
        case .timedOut: self = .timedOut(seconds: timeout, phase: "waiting for the response")
        case .tooLarge(let limit): self = .io("reply larger than \(limit) bytes")
        case .failed(let detail): self = .connect(detail)
        case nil: self = .connect("\(error)")
        }
    }
}
