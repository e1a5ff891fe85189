import Testing

@testable import InfertopCore

/// The compact attribute form reads like the dictionary it replaced, and its known keys cost no heap.
@Suite struct SpanAttributesTests {
    @Test func readsAndWritesLikeADictionary_inAnyOrder() {
        var a: SpanAttributes = ["b": .int(2), "a": .string("one")]
        let b = SpanAttributes(["a": .string("one"), "b": .int(2)])
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a["a"] == .string("one") && a["c"] == nil)
        a["c"] = .bool(true)
        a["a"] = .double(1.5)
        a["b"] = nil
        #expect(a.keys == ["a", "c"])
        #expect(a.count == 2)
        #expect(Dictionary(uniqueKeysWithValues: a.map { ($0.key, $0.value) }) == ["a": .double(1.5), "c": .bool(true)])
    }

    @Test func knownKeysAreInterned_soTheyCostNoHeap() {
        let key = String(SpanAttributeKey.timeInQueue.reversed().reversed())  // a fresh heap copy
        #expect(SpanStrings.heapBytes(key) == 0)
        let unknown = "custom.attribute.with.a.long.name"
        #expect(SpanStrings.heapBytes(unknown) == SpanStrings.stringHeaderBytes + unknown.utf8.count + 1)
        #expect(SpanStrings.heapBytes("short") == 0, "stored inline")
        var a = SpanAttributes()
        a[key] = .double(0.5)
        var b = SpanAttributes()
        b[unknown] = .double(0.5)
        #expect(b.heapBytes - a.heapBytes == SpanStrings.heapBytes(unknown))
    }

    @Test func compactLeavesNoSpareRoom() {
        var a = SpanAttributes()
        for i in 0..<9 { a["key.\(i)"] = .int(Int64(i)) }
        a.compact()
        let pairs = a.heapBytes - SpanStrings.arrayHeaderBytes
        #expect(pairs >= 9 * MemoryLayout<SpanAttributes.Entry>.stride)
        #expect(pairs < 10 * MemoryLayout<SpanAttributes.Entry>.stride + 16)
    }
}
