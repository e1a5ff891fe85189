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

    /// Appends `value`; returns the oldest value it pushed out, if the ring was full.
    @discardableResult
    public mutating func append(_ value: Element) -> Element? {
        if storage.count < capacity {
            storage.append(value)
            return nil
        }
        let evicted = storage[head]
        storage[head] = value
        head = (head + 1) % capacity
        return evicted
    }

    /// Changes the newest `count` values in place (all of them when fewer are held).
    public mutating func updateNewest(_ count: Int, _ change: (inout Element) -> Void) {
        let n = min(max(0, count), storage.count)
        for k in 0..<n {
            let index = storage.count < capacity ? storage.count - 1 - k : (head - 1 - k + 2 * capacity) % capacity
            change(&storage[index])
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
