/// Why a Prometheus API call brought no usable answer, in words an operator can act on.
public enum PrometheusAPIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No HTTP answer at all: refused, timed out, TLS, name resolution.
    case unreachable(String)
    /// 401 or 403: the token or the user and password were refused.
    case unauthorized(status: Int, detail: String)
    /// An HTTP status other than 2xx with no API error body (a proxy's page, a 404).
    case http(status: Int, detail: String)
    /// Prometheus refused the query (`bad_data`, `execution`, `timeout`).
    case query(errorType: String, message: String)
    /// The body was not an API answer of the expected shape.
    case badResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let why): "prometheus unreachable: \(why)"
        case .unauthorized(let status, let detail):
            "prometheus refused the credentials (HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")); check --prometheus-token-file or --prometheus-user and --prometheus-password-file"
        case .http(let status, let detail): "prometheus answered HTTP \(status)\(detail.isEmpty ? "" : ": \(detail)")"
        case .query(let type, let message): "prometheus rejected the query (\(type)): \(message)"
        case .badResponse(let why): "prometheus sent a bad answer: \(why)"
        }
    }

    /// True when the server itself did not answer (the screen says `prometheus unreachable`).
    public var isUnreachable: Bool {
        if case .unreachable = self { return true }
        return false
    }
}
