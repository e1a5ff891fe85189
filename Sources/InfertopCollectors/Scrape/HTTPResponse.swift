/// An HTTP/1.1 response: status, headers (names lowercased) and the body, de-chunked.
struct HTTPResponse: Sendable {
    var status: Int
    var reason: String
    var headers: [String: String]
    var body: [UInt8]

    /// What the bytes read so far amount to.
    enum Outcome {
        case incomplete
        case complete(HTTPResponse)
        case invalid(String)
    }

    /// Parses the bytes read so far. `atEOF`: the peer closed the connection, so nothing more
    /// comes. The body ends by `Content-Length`, by the last chunk of `Transfer-Encoding: chunked`,
    /// or (with neither) at EOF.
    static func parse(_ bytes: [UInt8], atEOF: Bool) -> Outcome {
        guard let headerEnd = find([13, 10, 13, 10], in: bytes, from: 0) else {
            return atEOF ? .invalid(bytes.isEmpty ? "empty reply" : "connection closed inside the headers") : .incomplete
        }
        let head = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...599).contains(status)
        else { return .invalid("bad status line \"\(statusLine.prefix(60))\"") }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return .invalid("bad header line \"\(line.prefix(60))\"") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingBlanks
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        let reason = parts.count > 2 ? String(parts[2]) : ""
        let bodyStart = headerEnd + 4
        func done(_ body: [UInt8]) -> Outcome {
            .complete(HTTPResponse(status: status, reason: reason, headers: headers, body: body))
        }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            switch dechunk(bytes, from: bodyStart) {
            case .some(.some(let body)): return done(body)
            case .some(.none): return .invalid("bad chunk size")
            case .none: return atEOF ? .invalid("connection closed inside a chunked body") : .incomplete
            }
        }
        if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else { return .invalid("bad Content-Length \(lengthText)") }
            if bytes.count - bodyStart >= length { return done(Array(bytes[bodyStart..<(bodyStart + length)])) }
            return atEOF ? .invalid("connection closed after \(bytes.count - bodyStart) of \(length) body bytes") : .incomplete
        }
        return atEOF ? done(Array(bytes[bodyStart...])) : .incomplete
    }

    /// The body of a chunked transfer: nil while incomplete, `.some(nil)` when malformed.
    private static func dechunk(_ bytes: [UInt8], from start: Int) -> [UInt8]?? {
        var body: [UInt8] = []
        var position = start
        while true {
            guard let lineEnd = find([13, 10], in: bytes, from: position) else { return nil }
            let line = String(decoding: bytes[position..<lineEnd], as: UTF8.self)
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingBlanks } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { return .some(nil) }
            position = lineEnd + 2
            if size == 0 { return .some(body) }  // trailers, if any, are not needed
            guard bytes.count >= position + size + 2 else { return nil }
            body.append(contentsOf: bytes[position..<(position + size)])
            position += size + 2
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        var i = start
        while i <= bytes.count - needle.count {
            if bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
