/// Trace ids by end time, the longest finished first: a binary min-heap, so evicting costs
/// O(log n) however full the store is. A bulk of old spans arriving late (an agent's snapshot)
/// goes before newer requests instead of pushing them out, and a long request that just ended
/// stays, however early it started. The key is the end known when pushed; the store re-pushes
/// a trace that has ended later since (a lazy update).
struct TraceQueue: Sendable {
    private struct Entry: Sendable {
        let key: UInt64
        let id: TraceID
        func precedes(_ other: Entry) -> Bool {
            key != other.key ? key < other.key : id < other.id
        }
    }

    private var heap: [Entry] = []

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ id: TraceID, endNanos: UInt64) {
        heap.append(Entry(key: endNanos, id: id))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// The trace that ended first (by its end when it was pushed), with that end.
    mutating func pop() -> (id: TraceID, endNanos: UInt64)? {
        guard !heap.isEmpty else { return nil }
        let top = (heap[0].id, heap[0].key)
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var first = parent
            if left < heap.count, heap[left].precedes(heap[first]) { first = left }
            if right < heap.count, heap[right].precedes(heap[first]) { first = right }
            guard first != parent else { break }
            heap.swapAt(parent, first)
            parent = first
        }
        return top
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
