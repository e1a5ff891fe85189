import InfertopCore
import Synchronization

/// The agent's bounded store of finished spans: new subscribers get the newest of them in their
/// snapshot. Bounded in spans and in bytes (`Span.footprintBytes`, attributes kept compact and
/// their keys interned); when either bound is reached the oldest go; those no subscriber ever received (none was connected,
/// and no snapshot carried them since) are counted as dropped. An ingest rate over the limit is
/// refused, so the sender backs off (OTLP 429/503) instead of the agent falling behind.
public final class SpanStorage: Sendable {
    /// What happened to one batch offered to the store.
    public enum Outcome: Sendable, Equatable {
        case stored(SpanStorageStatus)
        /// Over the ingest rate: nothing was stored; retry after the given seconds.
        case overloaded(retryAfterSeconds: Int)
    }

    /// A stored span and whether some subscriber has received it.
    private struct Held: Sendable, Hashable {
        var span: Span
        var delivered: Bool
    }

    private struct State {
        var ring: ByteBoundedQueue<Held>
        var status: SpanStorageStatus
        var windowStart: ContinuousClock.Instant
        var windowSpans = 0
    }

    public let capacity: Int
    /// The most bytes the stored spans may hold (`Span.footprintBytes` summed).
    public let capacityBytes: Int
    /// Spans accepted per second at most (a one-second window).
    public let maxSpansPerSecond: Int
    private let state: Mutex<State>

    /// The default byte bound: about 14,000 of the simulator's engine spans, so that an agent whose
    /// storage is full stays under 40 MB of memory in all.
    public static let defaultCapacityBytes = 8 << 20

    public init(
        capacity: Int = 20_000, capacityBytes: Int = SpanStorage.defaultCapacityBytes, maxSpansPerSecond: Int = 200_000
    ) {
        self.capacity = max(1, capacity)
        self.capacityBytes = max(1, capacityBytes)
        self.maxSpansPerSecond = max(1, maxSpansPerSecond)
        state = Mutex(
            State(
                ring: ByteBoundedQueue(capacity: max(1, capacity), capacityBytes: max(1, capacityBytes)),
                status: SpanStorageStatus(capacity: max(1, capacity)), windowStart: .now))
    }

    /// Stores a decoded batch (spans with no node get `node`) and counts what the decoder rejected.
    /// `delivered`: the batch is being streamed to at least one subscriber.
    public func ingest(
        _ spans: [Span], rejected: Int, node: NodeID, delivered: Bool = false, now: ContinuousClock.Instant = .now
    ) -> (Outcome, [Span]) {
        state.withLock { s in
            if now - s.windowStart >= .seconds(1) {
                s.windowStart = now
                s.windowSpans = 0
            }
            if s.windowSpans > 0, s.windowSpans + spans.count > maxSpansPerSecond {
                return (.overloaded(retryAfterSeconds: 1), [])
            }
            s.windowSpans += spans.count
            var stored = spans
            for i in stored.indices {
                if stored[i].node == nil { stored[i].node = node }
                stored[i].attributes.compact()
            }
            for span in stored {
                let gone = s.ring.append(Held(span: span, delivered: delivered), bytes: span.footprintBytes)
                for held in gone where !held.delivered { s.status.dropped += 1 }
            }
            s.status.accepted += UInt64(stored.count)
            s.status.rejected += UInt64(max(0, rejected))
            s.status.stored = s.ring.count
            return (.stored(s.status), stored)
        }
    }

    /// The newest spans held, oldest first, at most `limit`; `delivering`: they are about to go
    /// to a subscriber (a snapshot), so their later eviction loses nothing.
    public func newest(_ limit: Int, delivering: Bool = false) -> [Span] {
        state.withLock { s in
            if delivering { s.ring.updateNewest(limit) { $0.delivered = true } }
            return s.ring.newest(limit).map(\.span)
        }
    }

    public var status: SpanStorageStatus { state.withLock { $0.status } }

    /// The bytes the stored spans hold, as the byte bound counts them.
    public var storedBytes: Int { state.withLock { $0.ring.bytes } }
}
