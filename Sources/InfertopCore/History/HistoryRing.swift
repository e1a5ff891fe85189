/// A fixed-capacity ring of the most recent values; the oldest drop off as new ones arrive.
public struct HistoryRing<Element: Sendable & Hashable>: Sendable, Hashable {
    public let capacity: Int
    private var storage: [Element] = []
    private var head = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a history ring needs room for at least one value")
        self.capacity = capacity
        storage.reserveCapacity(capacity)
    }

    public mutating func append(_ value: Element) {
        if storage.count < capacity {
            storage.append(value)
        } else {
            storage[head] = value
            head = (head + 1) % capacity
        }
    }

    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// The values from oldest to newest.
    public var values: [Element] {
        storage.count < capacity ? storage : Array(storage[head...] + storage[..<head])
    }

    public var last: Element? {
        guard !storage.isEmpty else { return nil }
        return storage.count < capacity ? storage.last : storage[(head + capacity - 1) % capacity]
    }
}
