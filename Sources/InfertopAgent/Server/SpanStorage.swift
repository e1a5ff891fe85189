import InfertopCore
import Synchronization

/// The agent's bounded store of finished spans: new subscribers get the newest of them in their
/// snapshot. When full the oldest go, counted; an ingest rate over the limit is refused, so
/// the sender backs off (OTLP 429/503) instead of the agent falling behind.
public final class SpanStorage: Sendable {
    /// What happened to one batch offered to the store.
    public enum Outcome: Sendable, Equatable {
        case stored(SpanStorageStatus)
        /// Over the ingest rate: nothing was stored; retry after the given seconds.
        case overloaded(retryAfterSeconds: Int)
    }

    private struct State {
        var ring: HistoryRing<Span>
        var status: SpanStorageStatus
        var windowStart: ContinuousClock.Instant
        var windowSpans = 0
    }

    public let capacity: Int
    /// Spans accepted per second at most (a one-second window).
    public let maxSpansPerSecond: Int
    private let state: Mutex<State>

    public init(capacity: Int = 20_000, maxSpansPerSecond: Int = 200_000) {
        self.capacity = max(1, capacity)
        self.maxSpansPerSecond = max(1, maxSpansPerSecond)
        state = Mutex(
            State(
                ring: HistoryRing(capacity: max(1, capacity)), status: SpanStorageStatus(capacity: max(1, capacity)),
                windowStart: .now))
    }

    /// Stores a decoded batch (spans with no node get `node`) and counts what the decoder rejected.
    public func ingest(_ spans: [Span], rejected: Int, node: NodeID, now: ContinuousClock.Instant = .now)
        -> (Outcome, [Span])
    {
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
            for i in stored.indices where stored[i].node == nil { stored[i].node = node }
            let before = s.ring.count
            for span in stored { s.ring.append(span) }
            s.status.dropped += UInt64(before + stored.count - s.ring.count)
            s.status.accepted += UInt64(stored.count)
            s.status.rejected += UInt64(max(0, rejected))
            s.status.stored = s.ring.count
            return (.stored(s.status), stored)
        }
    }

    /// The newest spans held, oldest first, at most `limit`.
    public func newest(_ limit: Int) -> [Span] {
        state.withLock { Array($0.ring.values.suffix(limit)) }
    }

    public var status: SpanStorageStatus { state.withLock { $0.status } }
}
