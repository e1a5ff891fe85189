/// A network address as operators write it: `HOST:PORT`, with an IPv6 literal in brackets
/// (`[::1]:4317`). The one parser of such addresses for flags, config files and URLs.
public struct HostPort: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address literal, without brackets.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Whether the host is an IPv6 literal (it holds a colon, which no name or IPv4 address does).
    public var isIPv6: Bool { host.contains(":") }

    /// `host:port`, with an IPv6 host in brackets: what `parse` reads back.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Whether the address stays on this machine (`localhost`, `127.x.x.x`, `::1`).
    public var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }

    /// The host to bind a socket to: `localhost` as `127.0.0.1`, so a listener never depends on
    /// name resolution.
    public var bindHost: String { host == "localhost" ? "127.0.0.1" : host }

    /// What the address is for: an address to connect to needs a host and a port from 1; one to
    /// listen on may take port 0 (any free port), and an empty host or `*` means every IPv4
    /// interface (`:4317` is `0.0.0.0:4317`).
    public enum Use: Sendable {
        case connect
        case listen
    }

    /// Reads `HOST:PORT` or `[IPv6]:PORT`; `defaultPort` is taken when the text has no port (a
    /// URL's authority). Spaces around the text are ignored.
    public static func parse(_ text: String, for use: Use = .connect, defaultPort: Int? = nil)
        -> Result<HostPort, HostPortError>
    {
        let trimmed = Substring(text).trimmingSpaces
        func failure(_ problem: HostPortError.Problem) -> Result<HostPort, HostPortError> {
            .failure(HostPortError(text: text, problem: problem))
        }
        guard !trimmed.isEmpty else { return failure(.empty) }
        var host: Substring
        var portText: Substring?
        if trimmed.first == "[" {
            guard let close = trimmed.firstIndex(of: "]") else { return failure(.unclosedBracket) }
            host = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            if let colon = rest.first {
                guard colon == ":" else { return failure(.textAfterBracket(String(rest))) }
                portText = rest.dropFirst()
            }
        } else if let colon = trimmed.lastIndex(of: ":") {
            host = trimmed[..<colon]
            portText = trimmed[trimmed.index(after: colon)...]
            if host.contains(":") {
                // `fe80::1`: the part after the last colon belongs to the address, not a port.
                let suggestion = host.last == ":" ? "[\(trimmed)]:PORT" : "[\(host)]:\(portText ?? "")"
                return failure(.unbracketedIPv6(suggestion: suggestion))
            }
        } else {
            host = trimmed
        }
        let port: Int
        if let portText {
            guard let value = Int(portText) else {
                return failure(portText.isEmpty ? .missingPort : .badPort(String(portText)))
            }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            return failure(.missingPort)
        }
        let ports = use == .listen ? 0...65535 : 1...65535
        guard ports.contains(port) else { return failure(.portOutOfRange(port, ports)) }
        if use == .listen && (host.isEmpty || host == "*") { host = "0.0.0.0" }
        guard !host.isEmpty else { return failure(.emptyHost) }
        guard !host.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" || $0 == "@" }) else {
            return failure(.badHost(String(host)))
        }
        return .success(HostPort(host: String(host), port: port))
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}
