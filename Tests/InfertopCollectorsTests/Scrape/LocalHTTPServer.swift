import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP server on 127.0.0.1 and an ephemeral port, run on its own thread, that answers
/// every request as its current `Behaviour` says.
final class LocalHTTPServer: Sendable {
    enum Behaviour: Sendable {
        /// Answers with this status and body; `chunked` uses chunked transfer encoding.
        case respond(status: Int, body: String, chunked: Bool)
        /// Accepts the connection, reads the request, and never answers.
        case hang
    }

    let port: Int
    private let listener: Int32
    private let wake: (read: Int32, write: Int32)
    private let behaviour: Mutex<Behaviour>
    private let held = Mutex<[Int32]>([])
    private let requests = Mutex(0)
    private let stopped = Mutex(false)

    init(_ behaviour: Behaviour) throws {
        self.behaviour = Mutex(behaviour)
        let fd = socket(AF_INET, Self.stream, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw POSIXError(.EADDRNOTAVAIL) }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw POSIXError(.EMFILE) }
        wake = (pipeEnds[0], pipeEnds[1])
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)/metrics" }
    var requestCount: Int { requests.withLock { $0 } }

    func set(_ behaviour: Behaviour) { self.behaviour.withLock { $0 = behaviour } }

    /// Stops the thread and closes every connection, hung ones included.
    func stop() {
        guard !stopped.withLock({ let was = $0; $0 = true; return was }) else { return }
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    private func serve() {
        defer {
            for fd in held.withLock({ $0 }) { close(fd) }
            close(listener)
            close(wake.read)
            close(wake.write)
        }
        while true {
            var fds = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            handle(client)
        }
    }

    private func handle(_ client: Int32) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: request, as: UTF8.self).contains("\r\n\r\n") {
            let n = recv(client, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            request.append(contentsOf: buffer[0..<n])
        }
        requests.withLock { $0 += 1 }
        switch behaviour.withLock({ $0 }) {
        case .hang:
            held.withLock { $0.append(client) }
        case .respond(let status, let body, let chunked):
            let payload = Array(body.utf8)
            var head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Service Unavailable")\r\n"
            head += "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\nConnection: close\r\n"
            var bytes: [UInt8]
            if chunked {
                bytes = Array((head + "Transfer-Encoding: chunked\r\n\r\n").utf8)
                var offset = 0
                while offset < payload.count {  // uneven chunks, to exercise the decoder
                    let size = min(1000 + offset % 777, payload.count - offset)
                    bytes += Array("\(String(size, radix: 16))\r\n".utf8) + payload[offset..<(offset + size)] + [13, 10]
                    offset += size
                }
                bytes += Array("0\r\n\r\n".utf8)
            } else {
                bytes = Array((head + "Content-Length: \(payload.count)\r\n\r\n").utf8) + payload
            }
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { break }
                sent += n
            }
            close(client)
        }
    }

    /// A port on 127.0.0.1 where nothing listens: bound, then closed.
    static func refusingPort() -> Int {
        let fd = socket(AF_INET, stream, 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    #if canImport(Glibc)
    private static let stream = Int32(SOCK_STREAM.rawValue)
    #else
    private static let stream = SOCK_STREAM
    #endif
}
