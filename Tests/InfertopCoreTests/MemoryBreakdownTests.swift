import Testing

@testable import InfertopCore

@Suite struct MemoryBreakdownTests {
    @Test func parts_sumToUsed_andUnallocatedFillsCapacity() {
        let m = MemoryBreakdown(
            capacityBytes: 80 * gigabyte, weightsBytes: 50 * gigabyte, kvUsedBytes: 10 * gigabyte,
            kvFreeBytes: 8 * gigabyte, activationBytes: 2 * gigabyte, otherBytes: 1 * gigabyte)
        #expect(m.usedBytes == 71 * gigabyte)
        #expect(m.unallocatedBytes == 9 * gigabyte)
        #expect(m.segments.reduce(0) { $0 + $1.1 } == m.capacityBytes)
        #expect(abs(m.kvUsage - 10.0 / 18.0) < 1e-9)
    }

    @Test func kvUsage_isZeroWithoutAPool() {
        #expect(MemoryBreakdown.empty(capacityBytes: 10).kvUsage == 0)
        #expect(MemoryBreakdown.empty(capacityBytes: 0).usedFraction == 0)
    }

    @Test func unallocated_neverNegative() {
        var m = MemoryBreakdown.empty(capacityBytes: 10)
        m.otherBytes = 20
        #expect(m.unallocatedBytes == 0)
    }
}
