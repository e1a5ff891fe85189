/// Text that is not `HOST:PORT`, and what is wrong with it.
public struct HostPortError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the parser found wrong.
    public enum Problem: Sendable, Hashable {
        case empty
        case missingPort
        case badPort(String)
        case portOutOfRange(Int, ClosedRange<Int>)
        case emptyHost
        case badHost(String)
        /// An IPv6 literal with a port but no brackets (`::1:80`); the suggestion brackets it.
        case unbracketedIPv6(suggestion: String)
        case unclosedBracket
        case textAfterBracket(String)
    }

    /// The text as given.
    public let text: String
    public let problem: Problem

    /// What is wrong, in words, with the fix where there is one.
    public var reason: String {
        switch problem {
        case .empty: return "it is empty (e.g. 10.0.0.7:50051, node-07:50051 or [fe80::1]:50051)"
        case .missingPort: return "the port is missing (e.g. 10.0.0.7:50051, node-07:50051 or [fe80::1]:50051)"
        case .badPort(let text): return "the port '\(text)' is not a number"
        case .portOutOfRange(let port, let range):
            return "port \(port) is out of range (\(range.lowerBound)-\(range.upperBound))"
        case .emptyHost: return "the host is empty"
        case .badHost(let host): return "'\(host)' is not a host name or address"
        case .unbracketedIPv6(let suggestion): return "an IPv6 address needs brackets around it: \(suggestion)"
        case .unclosedBracket: return "the '[' of an IPv6 address is not closed (e.g. [::1]:50051)"
        case .textAfterBracket(let rest): return "'\(rest)' after ']' (expected :PORT)"
        }
    }

    public var description: String { "'\(text)' is not HOST:PORT: \(reason)" }
}
