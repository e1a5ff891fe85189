/// A span's attributes, kept compact: one array of key-value pairs sorted by key, its keys
/// interned.
///
/// A `[String: AttributeValue]` per span cost about 1.1 KB for a dozen attributes (a hash table
/// at most three-quarters full, of 16-byte keys and 24-byte values), and every key longer than 15
/// UTF-8 bytes (`gen_ai.latency.time_in_queue`) was its own heap string in every span. Here the
/// pairs sit in one exactly sized array (40 bytes a pair), and the keys infertop and the common
/// OpenTelemetry conventions use are the program's own constant strings (`SpanStrings`), which
/// take no heap at all. A span has at most `OTLPLimits.maxAttributes` attributes, so a lookup is
/// a binary search over a few dozen keys. Equality and hashing do not depend on insertion order.
public struct SpanAttributes: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One attribute, as a dictionary's element reads.
    public typealias Element = (key: String, value: AttributeValue)

    /// One stored pair.
    struct Entry: Sendable, Hashable {
        var key: String
        var value: AttributeValue
    }

    /// Sorted by key, keys distinct.
    private(set) var entries: [Entry] = []

    public init() {}

    public init(_ attributes: [String: AttributeValue]) {
        entries = attributes.map { Entry(key: SpanStrings.interned($0.key), value: $0.value) }
        entries.sort { $0.key < $1.key }
    }

    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        for (key, value) in elements { self[key] = value }
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// The keys, in sorted order.
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> AttributeValue? {
        get {
            let i = index(of: key)
            return i < entries.count && entries[i].key == key ? entries[i].value : nil
        }
        set {
            let i = index(of: key)
            let present = i < entries.count && entries[i].key == key
            switch (newValue, present) {
            case (let value?, true): entries[i].value = value
            case (let value?, false): entries.insert(Entry(key: SpanStrings.interned(key), value: value), at: i)
            case (nil, true): entries.remove(at: i)
            case (nil, false): break
            }
        }
    }

    /// Trims the array to its count, so a finished span holds no spare room.
    public mutating func compact() {
        guard entries.capacity > entries.count else { return }
        var exact: [Entry] = []
        exact.reserveCapacity(entries.count)
        exact.append(contentsOf: entries)
        entries = exact
    }

    public func makeIterator() -> some IteratorProtocol<Element> {
        entries.lazy.map { (key: $0.key, value: $0.value) }.makeIterator()
    }

    /// Heap bytes this value holds: its array (header and room for every pair) and the key and
    /// value strings that are not stored inline or interned.
    public var heapBytes: Int {
        guard entries.capacity > 0 else { return 0 }
        var bytes = SpanStrings.arrayHeaderBytes + entries.capacity * MemoryLayout<Entry>.stride
        for entry in entries {
            bytes += SpanStrings.heapBytes(entry.key)
            if case .string(let s) = entry.value { bytes += SpanStrings.heapBytes(s) }
        }
        return bytes
    }

    public var description: String {
        "[" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
    }

    /// The first index whose key is not below `key`.
    private func index(of key: String) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].key < key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
