#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal blocking HTTP/1.1 GET over a POSIX TCP socket, with one deadline for connect, send
/// and read together.
///
/// Why not `URLSession`: on Linux it lives in FoundationNetworking (libcurl), which adds a large
/// dependency to a small agent, and its timeouts are idle timeouts, not a deadline: a server
/// trickling bytes can hold a scrape far longer than asked. A metrics GET needs none of its
/// features (TLS, redirects, cookies, compression), and a non-blocking connect plus `poll` gives
/// an exact deadline. Name resolution (`getaddrinfo`) is not covered by the deadline; use an IP
/// address or a name `/etc/hosts` answers.
enum HTTPGet {
    /// Largest body read; a larger one fails the scrape.
    static let maxResponseBytes = 32 << 20

    static func fetch(_ target: HTTPTarget, timeout: Double) -> Result<HTTPResponse, ScrapeError> {
        let deadline = ContinuousClock.now + .milliseconds(Int64(max(0, timeout) * 1000))
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketStream
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, String(target.port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure(.resolve(host: target.host, detail: String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(list) }
        var failure = ScrapeError.connect("no address for \(target.host)")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, socketStream, 0)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            switch connectSocket(fd, address.pointee.ai_addr, address.pointee.ai_addrlen, deadline: deadline, timeout: timeout) {
            case .failure(let error):
                failure = error
                if case .timedOut = error { return .failure(error) }
            case .success:
                return exchange(fd, target: target, deadline: deadline, timeout: timeout)
            }
        }
        return .failure(failure)
    }

    private static func connectSocket(
        _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, deadline: ContinuousClock.Instant,
        timeout: Double
    ) -> Result<Void, ScrapeError> {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
        #if canImport(Darwin)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        if connect(fd, address, length) == 0 { return .success(()) }
        guard errno == EINPROGRESS else { return .failure(connectError(errno)) }
        guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
            return .failure(.timedOut(seconds: timeout, phase: "connecting"))
        }
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0, error == 0 else { return .failure(connectError(error)) }
        return .success(())
    }

    private static func exchange(
        _ fd: Int32, target: HTTPTarget, deadline: ContinuousClock.Instant, timeout: Double
    ) -> Result<HTTPResponse, ScrapeError> {
        let request = Array(
            ("GET \(target.path) HTTP/1.1\r\nHost: \(target.hostHeader)\r\nUser-Agent: infertop-agent\r\n"
                + "Accept: text/plain;version=0.0.4;q=1,*/*;q=0.1\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n").utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, sendFlags) }
            if n > 0 {
                sent += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                guard wait(fd, for: Int16(POLLOUT), until: deadline) else {
                    return .failure(.timedOut(seconds: timeout, phase: "sending the request"))
                }
            } else {
                return .failure(.io(errorText(errno)))
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            guard wait(fd, for: Int16(POLLIN), until: deadline) else {
                return .failure(.timedOut(seconds: timeout, phase: "waiting for the response"))
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                return .failure(.io(errorText(errno)))
            }
            received.append(contentsOf: buffer[0..<n])
            guard received.count <= maxResponseBytes else { return .failure(.badResponse("more than \(maxResponseBytes) bytes")) }
            switch HTTPResponse.parse(received, atEOF: n == 0) {
            case .complete(let response): return .success(response)
            case .invalid(let why): return .failure(.badResponse(why))
            case .incomplete: continue
            }
        }
    }

    /// Polls `fd` for `events` until the deadline; false on timeout.
    private static func wait(_ fd: Int32, for events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            let ms = Int32(clamping: max(1, left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, ms)
            if ready > 0 { return true }  // readable, writable, or an error/hang-up the next call reports
            if ready < 0 && errno != EINTR { return true }
        }
    }

    private static func connectError(_ code: Int32) -> ScrapeError {
        code == ECONNREFUSED ? .connectionRefused : .connect(errorText(code))
    }

    private static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    #if canImport(Glibc)
    private static let socketStream = Int32(SOCK_STREAM.rawValue)
    private static let sendFlags = Int32(MSG_NOSIGNAL)
    #else
    private static let socketStream = SOCK_STREAM
    private static let sendFlags: Int32 = 0
    #endif
}
