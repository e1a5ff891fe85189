import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Name resolution checked up front, so an address that does not resolve is reported as such
/// rather than as a generic connection failure.
enum Resolver {
    static func isIPv4(_ host: String) -> Bool {
        var addr = in_addr()
        return inet_pton(AF_INET, host, &addr) == 1
    }

    /// `resolves`, on a Dispatch thread, not on the cooperative pool: getaddrinfo blocks (for
    /// seconds when a resolver is slow), and each redial of every agent asks again; a blocked
    /// pool thread is one of as few as there are cores, shared with every feed and the agents.
    static func resolvesOffPool(_ host: String) async -> Bool {
        await withCheckedContinuation { done in
            DispatchQueue.global(qos: .utility).async { done.resume(returning: resolves(host)) }
        }
    }

    static func resolves(_ host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &result)
        if let result { freeaddrinfo(result) }
        return rc == 0
    }
}
