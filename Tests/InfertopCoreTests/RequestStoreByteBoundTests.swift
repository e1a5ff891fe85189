import InfertopTestSupport
import Testing

@testable import InfertopCore

/// The dashboard's request store stays within its byte bound however much is offered, and the
/// bytes it counts are those its spans really hold.
@Suite struct RequestStoreByteBoundTests {
    typealias F = RequestFixtures

    /// Trace `n`: an engine span whose request id is `padding` bytes long (a heap string), and
    /// a router span.
    func trace(_ n: UInt64, padding: Int) -> [Span] {
        let t = F.traceID(n)
        let at = Double(n) / 100
        var engine = F.llmRequest(
            t, 2, parent: 1, start: at, queue: 0.01, prefill: 0.02, decode: 0.3, node: "node-02",
            model: "llama-405b")
        engine.attributes[SpanAttributeKey.requestID] = .string(String(repeating: "r", count: padding) + "-\(n)")
        let router = F.span(t, 1, "router", kind: .server, start: at, end: at + 0.4, node: "node-01", service: "router")
        return [router, engine]
    }

    /// The UTF-8 bytes of the strings a span keeps on the heap (longer than the 15 stored inline
    /// and not interned), read from the span itself rather than through the store's accounting.
    func heapStringBytes(_ span: Span) -> Int {
        var strings = [span.name, span.service, span.status.message, span.node?.name ?? ""]
        for (_, value) in span.attributes { if let text = value.text { strings.append(text) } }
        return strings.filter { $0.utf8.count > 15 }.reduce(0) { $0 + $1.utf8.count }
    }

    @Test func farPastItsByteBound_theStoreStaysWithinIt_andCountsWhatItHolds() {
        let bound = 128 << 10
        // Counts far above what the bytes allow, so only the byte bound can hold the store.
        var store = RequestStore(limits: .init(traces: 1_000_000, spans: 1_000_000, bytes: bound))
        let state = CoreFixtures.state(nodes: 2, gpus: 8)
        var offered = 0
        for n in 1...1_500 {
            let spans = trace(UInt64(n), padding: n % 7 == 0 ? 2_000 : 40)
            offered += spans.count
            store.insert(spans.map { ReplicaResolver.resolve($0, in: state) })
            #expect(store.byteCount <= bound, "after trace \(n): \(store.byteCount) bytes")
        }
        let held = Array(store.traces.values)
        #expect(store.evictedTraces > 1_000, "the byte bound evicted most traces")
        #expect(UInt64(store.spanCount) + store.evictedSpans + store.refusedSpans == UInt64(offered))
        // The running sum is each trace's footprint, summed afresh.
        #expect(store.byteCount == held.reduce(0) { $0 + $1.footprintBytes })
        // And each footprint covers at least the span strings the trace really holds on the heap,
        // with no more than a fixed overhead per span beside them.
        for trace in held {
            let strings = trace.spans.reduce(0) { $0 + heapStringBytes($1.span) }
            #expect(trace.footprintBytes >= strings)
            #expect(
                trace.footprintBytes - strings <= 2_048 * trace.spans.count, "\(trace.footprintBytes) for \(strings)")
        }
    }

    @Test func aLongerAttributeCostsItsBytes() {
        let short = trace(1, padding: 10)[1]
        let long = trace(1, padding: 10_010)[1]
        #expect(long.footprintBytes - short.footprintBytes >= 10_000)
    }

    @Test func theNewestTraceStaysEvenWhenAloneOverTheBound() {
        var store = RequestStore(limits: .init(bytes: 1_000))
        let state = CoreFixtures.state(nodes: 2, gpus: 8)
        store.insert(trace(1, padding: 5_000).map { ReplicaResolver.resolve($0, in: state) })
        store.insert(trace(2, padding: 5_000).map { ReplicaResolver.resolve($0, in: state) })
        #expect(store.count == 1)
        #expect(store[F.traceID(2)] != nil)
        #expect(store.byteCount == store.traces.values.reduce(0) { $0 + $1.footprintBytes })
    }
}
