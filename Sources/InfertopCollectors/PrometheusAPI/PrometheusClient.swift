/// Where a Prometheus-compatible server is and how to authenticate to it.
public struct PrometheusServer: Sendable, Hashable {
    /// The base URL, without a trailing slash: `http://prometheus:9090`, `https://mimir/prometheus`.
    public var baseURL: String
    /// `Authorization` header value (`Bearer ...` or `Basic ...`), when one is needed.
    public var authorization: String?

    /// - Throws: `PrometheusServerError` when `url` is not an http(s) URL with a host.
    public init(url: String, authorization: String? = nil) throws(PrometheusServerError) {
        var base = url.trimmingTrailingSlashes
        let lower = base.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw PrometheusServerError("'\(url)' is not an http:// or https:// URL")
        }
        let rest = base.drop { $0 != "/" }.dropFirst(2)
        guard let first = rest.first, first != "/", first != ":" else {
            throw PrometheusServerError("'\(url)' has no host")
        }
        guard !base.contains("?"), !base.contains("#") else {
            throw PrometheusServerError("'\(url)' has a query or fragment; give the server's base URL")
        }
        if base.hasSuffix("/api/v1") { base.removeLast("/api/v1".count) }
        self.baseURL = base
        self.authorization = authorization
    }

    /// `Bearer <token>` from a token's text (surrounding whitespace and newlines dropped).
    public static func bearer(_ token: String) -> String { "Bearer " + token.trimmingWhitespace }

    /// `Basic base64(user:password)`.
    public static func basic(user: String, password: String) -> String {
        "Basic " + Base64.encode(Array("\(user):\(password.trimmingWhitespace)".utf8))
    }
}

/// A `--prometheus` URL that cannot be used, and why.
public struct PrometheusServerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The two Prometheus HTTP API calls the dashboard makes, over any `HTTPTransport`: instant
/// queries (`/api/v1/query`) and range queries (`/api/v1/query_range`), form-encoded POSTs so
/// that long PromQL fits. Works the same against Thanos, Mimir and VictoriaMetrics.
public struct PrometheusClient: Sendable {
    public let server: PrometheusServer
    public let transport: any HTTPTransport
    /// Seconds allowed for one call.
    public let timeout: Double

    public init(server: PrometheusServer, transport: any HTTPTransport, timeout: Double = 2) {
        self.server = server
        self.transport = transport
        self.timeout = timeout
    }

    /// Evaluates `promql` now; returns the series and the evaluation time Prometheus reports.
    public func query(_ promql: String) async throws(PrometheusAPIError) -> (series: [PrometheusSeries], time: Double?)
    {
        try PrometheusResultDecoder.vector(try await post("/api/v1/query", ["query": promql]))
    }

    /// Evaluates `promql` from `start` to `end` (Unix seconds) every `step` seconds.
    public func queryRange(_ promql: String, start: Double, end: Double, step: Double) async throws(PrometheusAPIError)
        -> [PrometheusRangeSeries]
    {
        let form = ["query": promql, "start": String(start), "end": String(end), "step": String(step)]
        return try PrometheusResultDecoder.matrix(try await post("/api/v1/query_range", form))
    }

    private func post(_ path: String, _ form: [String: String]) async throws(PrometheusAPIError) -> [UInt8] {
        var headers = [
            HTTPHeaderField("Content-Type", "application/x-www-form-urlencoded"),
            HTTPHeaderField("Accept", "application/json")
        ]
        if let authorization = server.authorization { headers.append(HTTPHeaderField("Authorization", authorization)) }
        let body = form.keys.sorted().map { "\($0)=\(FormEncoding.escape(form[$0]!))" }.joined(separator: "&")
        let reply: HTTPTransportResponse
        do {
            reply = try await transport.send(
                HTTPTransportRequest(.post, server.baseURL + path, headers: headers, body: Array(body.utf8)),
                timeout: timeout)
        } catch {
            throw .unreachable("\(error)")
        }
        switch reply.status {
        case 200...299, 400, 422, 503:
            // Prometheus puts its API errors (bad_data, execution, timeout) in a JSON body.
            if !reply.isSuccess, !reply.text.hasPrefix("{") {
                throw .http(status: reply.status, detail: String(reply.text.prefix(120)))
            }
            return reply.body
        case 401, 403:
            throw .unauthorized(status: reply.status, detail: String(reply.text.prefix(120)))
        default:
            throw .http(status: reply.status, detail: String(reply.text.prefix(120)))
        }
    }
}

/// `application/x-www-form-urlencoded` escaping.
enum FormEncoding {
    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }
}

/// Standard base64, for basic auth.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? table[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingTrailingSlashes: String {
        var s = self
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    fileprivate var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
