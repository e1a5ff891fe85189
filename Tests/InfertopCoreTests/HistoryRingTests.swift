import Testing

@testable import InfertopCore

@Suite struct HistoryRingTests {
    @Test func ring_keepsNewestInOrder() {
        var ring = HistoryRing<Int>(capacity: 3)
        for i in 1...5 { ring.append(i) }
        #expect(ring.values == [3, 4, 5])
        #expect(ring.last == 5)
        #expect(ring.count == 3)
    }

    @Test func ring_belowCapacityKeepsAll() {
        var ring = HistoryRing<Int>(capacity: 4)
        ring.append(1)
        ring.append(2)
        #expect(ring.values == [1, 2])
        #expect(ring.last == 2)
    }

    @Test(arguments: [1, 2, 7, 64])
    func ring_neverGrowsPastCapacity(capacity: Int) {
        var ring = HistoryRing<Int>(capacity: capacity)
        for i in 0..<(capacity * 3 + 1) { ring.append(i) }
        #expect(ring.count == capacity)
        #expect(ring.values == Array((capacity * 2 + 1)...(capacity * 3)))
    }
}
