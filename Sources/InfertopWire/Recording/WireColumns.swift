/// A chunk's agent messages (spans taken out) stored by field rather than message by message:
/// every value of one field path (`delta.gpus.power_watts`) goes to its own column, the order
/// of fields to a shape stream, so the compressor sees a column of like values and a shape that
/// repeats. About halves what the samples cost.
///
/// Generic over the protobuf wire format: the messages named in `nested` are walked into, every
/// other field is kept as its bytes. 64-bit fixed values (doubles) are stored XORed with the
/// previous value of their column, which zeroes the bytes that neighbouring readings share.
/// Lossless: decoding gives back bytes that parse to the same message.
struct WireColumnsEncoder {
    /// Field paths that hold messages to walk into (Update.snapshot, Update.delta, Snapshot's
    /// topology, replicas and values, Delta's sample lists, GPUSample.memory, and so on).
    static let nested: Set<[UInt64]> = [
        [3], [4], [3, 1], [3, 2], [3, 3], [3, 1, 2], [3, 1, 3], [3, 2, 6], [4, 1], [4, 2], [4, 3], [4, 4], [4, 9],
        [4, 1, 3], [3, 3, 1], [3, 3, 2], [3, 3, 3], [3, 3, 4], [3, 3, 9], [3, 3, 1, 3]
    ]

    private var shape = ByteWriter()
    private var columns: [[UInt64]: ByteWriter] = [:]
    private var lastFixed: [[UInt64]: UInt64] = [:]
    private(set) var count = 0

    /// Adds one message's bytes; false (nothing added) when they are not plain protobuf.
    mutating func append(_ bytes: [UInt8]) -> Bool {
        // A dry walk first, so bytes that are not plain protobuf leave no half message behind.
        var check = ByteReader(bytes)
        guard (try? walk(&check, end: bytes.count, path: [], dry: true)) != nil else { return false }
        var reader = ByteReader(bytes)
        guard (try? walk(&reader, end: bytes.count, path: [], dry: false)) != nil else { return false }
        shape.varint(0)
        count += 1
        return true
    }

    var encoded: [UInt8] {
        var w = ByteWriter()
        w.varint(count)
        w.data(shape.bytes)
        let paths = columns.keys.sorted { $0.lexicographicallyPrecedes($1) }
        w.varint(paths.count)
        for path in paths {
            w.varint(path.count)
            for f in path { w.varint(f) }
            w.data(columns[path]?.bytes ?? [])
        }
        return w.bytes
    }

    /// Each field: its tag into the shape, its value into its path's column; nested messages are
    /// walked into, their end marked by a 0 in the shape.
    private mutating func walk(_ r: inout ByteReader, end: Int, path: [UInt64], dry: Bool) throws {
        while r.offset < end {
            let tag = try r.varint()
            guard tag >> 3 != 0 else { throw ByteFormatError(description: "field 0") }
            let key = path + [tag >> 3]
            if !dry { shape.varint(tag) }
            switch tag & 7 {
            case 0:
                let start = r.offset
                _ = try r.varint()
                if !dry { columns[key, default: ByteWriter()].bytes += r.bytes[start..<r.offset] }
            case 1:
                let v = try r.fixed64()
                if !dry {
                    columns[key, default: ByteWriter()].fixed64(v ^ lastFixed[key, default: 0])
                    lastFixed[key] = v
                }
            case 5:
                let v = try r.fixed32()
                if !dry { columns[key, default: ByteWriter()].fixed32(v) }
            case 2:
                let n = try r.count()
                guard n <= end - r.offset else { throw ByteFormatError(description: "ends early") }
                if Self.nested.contains(key) {
                    try walk(&r, end: r.offset + n, path: key, dry: dry)
                    if !dry { shape.varint(0) }
                } else {
                    if !dry { columns[key, default: ByteWriter()].data(Array(r.bytes[r.offset..<r.offset + n])) }
                    r.skip(n)
                }
            default:
                throw ByteFormatError(description: "wire type \(tag & 7)")
            }
        }
        guard r.offset == end else { throw ByteFormatError(description: "a field runs past its message") }
    }
}

/// Rebuilds the messages `WireColumnsEncoder` stored, in their order.
struct WireColumnsDecoder {
    private var shape: ByteReader
    private var columns: [[UInt64]: ByteReader] = [:]
    private var lastFixed: [[UInt64]: UInt64] = [:]
    private var remaining: Int

    init(_ reader: inout ByteReader) throws {
        remaining = try reader.count()
        shape = ByteReader(try reader.data())
        let paths = try reader.count()
        for _ in 0..<paths {
            let depth = try reader.count(limit: 16)
            var path: [UInt64] = []
            for _ in 0..<depth { path.append(try reader.varint()) }
            columns[path] = ByteReader(try reader.data())
        }
    }

    /// The next message's bytes.
    mutating func next() throws -> [UInt8] {
        guard remaining > 0 else { throw ByteFormatError(description: "more messages than stored") }
        remaining -= 1
        var out = ByteWriter()
        try build(&out, path: [])
        return out.bytes
    }

    /// Writes fields as the shape lists them, to the 0 that ends the message.
    private mutating func build(_ out: inout ByteWriter, path: [UInt64]) throws {
        while true {
            let tag = try shape.varint()
            if tag == 0 { return }
            let key = path + [tag >> 3]
            out.varint(tag)
            guard var column = columns[key] ?? (WireColumnsEncoder.nested.contains(key) ? ByteReader([]) : nil) else {
                throw ByteFormatError(description: "no column for field \(key)")
            }
            switch tag & 7 {
            case 0: out.varint(try column.varint())
            case 1:
                let v = try column.fixed64() ^ lastFixed[key, default: 0]
                lastFixed[key] = v
                out.fixed64(v)
            case 5: out.fixed32(try column.fixed32())
            case 2:
                if WireColumnsEncoder.nested.contains(key) {
                    var inner = ByteWriter()
                    try build(&inner, path: key)
                    out.data(inner.bytes)
                } else {
                    out.data(try column.data())
                }
            default: throw ByteFormatError(description: "wire type \(tag & 7)")
            }
            columns[key] = column
        }
    }
}
