/// One HTTP exchange as the agent's clients need it: a method, a URL, a few headers and a small
/// body out; a status, headers and a small body back, within one deadline.
///
/// The agent's HTTP clients (the router's worker API now, the `/metrics` scrapes later) speak
/// through this protocol, so that their logic is tested with a transport that answers from a
/// table, with no network. The agent's real transport is `AsyncHTTPTransport` (AsyncHTTPClient).
public protocol HTTPTransport: Sendable {
    /// Sends `request` and reads the whole reply.
    /// - Parameter timeout: seconds for connecting, sending and reading the reply together.
    /// - Throws: `HTTPTransportError` when no reply came (an HTTP error status is a reply).
    func send(_ request: HTTPTransportRequest, timeout: Double) async throws -> HTTPTransportResponse
}

/// What an `HTTPTransport` sends.
public struct HTTPTransportRequest: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
    }

    public var method: Method
    /// `http://host:port/path?query`.
    public var url: String
    /// Header names and values, in order; a name may repeat.
    public var headers: [HTTPHeaderField]
    public var body: [UInt8]?

    public init(_ method: Method, _ url: String, headers: [HTTPHeaderField] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header called `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// One header line.
public struct HTTPHeaderField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What came back.
public struct HTTPTransportResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lowercased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// 200-299.
    public var isSuccess: Bool { (200...299).contains(status) }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why an exchange brought no reply, in words an operator can act on.
public enum HTTPTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    case badURL(String)
    case connectionRefused
    case timedOut(seconds: Double)
    /// The reply was larger than the transport reads.
    case tooLarge(limit: Int)
    /// Anything else: resolution, reset, TLS, a malformed reply.
    case failed(String)

    public var description: String {
        switch self {
        case .badURL(let url): "bad URL \(url)"
        case .connectionRefused: "connection refused"
        case .timedOut(let seconds): "no reply within \(seconds.plainText) s"
        case .tooLarge(let limit): "reply larger than \(limit) bytes"
        case .failed(let detail): detail
        }
    }
}

extension Double {
    /// `5`, `0.5`: no trailing `.0` for whole numbers.
    fileprivate var plainText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
