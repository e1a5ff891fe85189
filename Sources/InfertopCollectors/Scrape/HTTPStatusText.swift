/// The reason phrases of the statuses an exporter or Prometheus is likely to send, for messages
/// (`HTTP 503 Service Unavailable`); HTTP/2 and AsyncHTTPClient do not carry the server's own.
public enum HTTPStatusText {
    /// The standard phrase of `status`, or empty when it is not one of the common ones.
    public static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}
