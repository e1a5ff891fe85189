/// A first-in first-out queue bounded both in values and in bytes: appending past either bound
/// pushes the oldest values out.
///
/// Counts alone do not bound memory when values vary in size (a span with a long attribute holds
/// more than one with none), so each value comes with its cost in bytes, as the caller measures
/// it (`Span.footprintBytes`), and `bytes` is the sum over what the queue holds. The newest value
/// always stays, even when it alone is over the byte bound.
public struct ByteBoundedQueue<Element: Sendable>: Sendable {
    public let capacity: Int
    public let capacityBytes: Int
    private var storage: [(value: Element, bytes: Int)] = []
    /// Index of the oldest value in `storage`; the slots before it are spent.
    private var head = 0
    public private(set) var bytes = 0

    public init(capacity: Int, capacityBytes: Int) {
        self.capacity = max(1, capacity)
        self.capacityBytes = max(1, capacityBytes)
    }

    public var count: Int { storage.count - head }
    public var isEmpty: Bool { count == 0 }

    /// Appends `value` costing `bytes`; returns the values it pushed out, oldest first.
    @discardableResult
    public mutating func append(_ value: Element, bytes cost: Int) -> [Element] {
        storage.append((value, max(0, cost)))
        bytes += max(0, cost)
        var evicted: [Element] = []
        while count > 1, count > capacity || bytes > capacityBytes {
            let oldest = storage[head]
            bytes -= oldest.bytes
            evicted.append(oldest.value)
            head += 1
        }
        // Spent slots are reclaimed once they are half the array, so appends stay amortised O(1).
        if head > 0, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return evicted
    }

    /// Changes the newest `count` values in place (all of them when fewer are held).
    public mutating func updateNewest(_ n: Int, _ change: (inout Element) -> Void) {
        let first = max(head, storage.count - max(0, n))
        for i in first..<storage.count { change(&storage[i].value) }
    }

    /// The newest `n` values, oldest first.
    public func newest(_ n: Int) -> [Element] {
        storage[max(head, storage.count - max(0, n))...].map(\.value)
    }

    /// The values from oldest to newest.
    public var values: [Element] { storage[head...].map(\.value) }
}
