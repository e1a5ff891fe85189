/// Trace ids in arrival order, oldest first: a first-in first-out queue with amortised
/// constant-time push and pop, so evicting the oldest trace never costs more as the store grows.
struct TraceQueue: Sendable {
    private var items: [TraceID] = []
    private var head = 0

    var count: Int { items.count - head }
    var isEmpty: Bool { count == 0 }

    mutating func push(_ id: TraceID) { items.append(id) }

    mutating func pop() -> TraceID? {
        guard head < items.count else { return nil }
        let id = items[head]
        head += 1
        // Drop the consumed front once it is most of the array, so memory stays bounded.
        if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return id
    }
}

/// The traces with the longest durations, longest first, at most `capacity` of them.
///
/// Kept sorted by (duration descending, id ascending), so a trace is found by binary search
/// from its previous duration and moved in O(capacity) when it grows: no full re-sort per span.
struct RankedTraces: Sendable {
    struct Entry: Sendable, Hashable {
        let nanos: UInt64
        let id: TraceID
    }

    let capacity: Int
    private(set) var entries: [Entry] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Where an entry sits or would sit.
    private func position(_ e: Entry) -> Int {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let m = entries[mid]
            if m.nanos > e.nanos || (m.nanos == e.nanos && m.id < e.id) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Moves a trace from its old duration (nil when it was not ranked before) to its new one.
    mutating func update(_ id: TraceID, from old: UInt64?, to new: UInt64) {
        if let old { remove(id, nanos: old) }
        let e = Entry(nanos: new, id: id)
        let at = position(e)
        guard at < capacity else { return }
        entries.insert(e, at: at)
        if entries.count > capacity { entries.removeLast() }
    }

    mutating func remove(_ id: TraceID, nanos: UInt64) {
        let at = position(Entry(nanos: nanos, id: id))
        if at < entries.count, entries[at].id == id { entries.remove(at: at) }
    }
}
