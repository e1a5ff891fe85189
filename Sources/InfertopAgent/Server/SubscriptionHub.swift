import InfertopCore
import InfertopWire
import Synchronization

/// The agent's latest view of its node and the subscribers waiting for changes.
///
/// Sources `publish` readings; each subscriber has one pending slot that newer readings merge
/// into (latest value per GPU, link list, port list and replica), so a subscriber that reads
/// slowly gets coalesced values and a count of what was coalesced, and memory stays bounded
/// however long it stalls. Other subscribers are unaffected.
public final class SubscriptionHub: Sendable {
    public let node: NodeID

    private struct State {
        var topology: NodeSpec
        var replicas: [ReplicaSpec]
        var values: NodeValues
        var time: Double = 0
        var sequence: UInt64 = 0
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 1
        var published: UInt64 = 0
        /// Updates still pending for a subscriber when it left: never delivered.
        var droppedUpdates: UInt64 = 0
        /// Updates coalesced for subscribers that have left, so the total never falls.
        var departedCoalesced: UInt64 = 0
    }

    private let state: Mutex<State>
    /// The node's finished spans, bounded.
    public let spans: SpanStorage
    /// The most stored spans a new subscriber's snapshot carries.
    public static let snapshotSpanLimit = 2_048

    public init(topology: NodeSpec, replicas: [ReplicaSpec], spans: SpanStorage = SpanStorage()) {
        node = topology.id
        self.spans = spans
        state = Mutex(State(topology: topology, replicas: replicas, values: NodeValues(node: topology.id)))
    }

    /// Stores a decoded span batch and streams what was stored to every subscriber.
    public func ingest(_ batch: [Span], rejected: Int = 0) -> SpanStorage.Outcome {
        let listened = state.withLock { !$0.subscribers.isEmpty }
        let (outcome, stored) = spans.ingest(batch, rejected: rejected, node: node, delivered: listened)
        guard case .stored(let status) = outcome else { return outcome }
        var values = NodeValues(node: node)
        values.spans = stored
        values.spanStorage = status
        publish(values, time: state.withLock { $0.time })
        return outcome
    }

    /// Folds a reading into the node's values and hands it to every subscriber.
    public func publish(_ values: NodeValues, time: Double) {
        let targets: [Subscriber] = state.withLock { s in
            s.values.merge(values.withoutSpans)
            s.time = time
            s.sequence += 1
            s.published += 1
            return Array(s.subscribers.values)
        }
        for subscriber in targets { subscriber.offer(values, time: time) }
    }

    /// The replicas placed on this node changed (a replica moved here or away): every subscriber
    /// gets a new snapshot, which is how a dashboard learns a placement.
    public func replace(replicas: [ReplicaSpec]) {
        let targets: [Subscriber] = state.withLock { s in
            s.replicas = replicas
            return Array(s.subscribers.values)
        }
        for subscriber in targets { subscriber.requestSnapshot() }
    }

    /// Registers a subscriber; its first update is a snapshot of everything current.
    public func subscribe() -> Subscriber {
        state.withLock { s in
            let subscriber = Subscriber(id: s.nextID)
            s.nextID += 1
            s.subscribers[subscriber.id] = subscriber
            return subscriber
        }
    }

    public func unsubscribe(_ subscriber: Subscriber) {
        let unsent = subscriber.hasUnsentValues
        let coalesced = subscriber.coalesced
        state.withLock { s in
            guard s.subscribers.removeValue(forKey: subscriber.id) != nil else { return }
            if unsent { s.droppedUpdates += 1 }
            s.departedCoalesced += coalesced
        }
        subscriber.finish()
    }

    /// Everything current, as the first message of a subscription; without the stored spans for
    /// a later snapshot (the subscriber has them).
    public func snapshot(withSpans: Bool = true) -> (update: Infertop_V1_Update, sequence: UInt64) {
        state.withLock { s in
            var snapshot = Infertop_V1_Snapshot()
            snapshot.topology = s.topology.wire
            snapshot.replicas = s.replicas.map(\.wire)
            var values = s.values
            if withSpans { values.spans = spans.newest(Self.snapshotSpanLimit, delivering: true) }
            values.spanStorage = spans.status
            snapshot.values = values.wire
            var update = Infertop_V1_Update()
            update.sequence = s.sequence
            update.time = s.time
            update.snapshot = snapshot
            return (update, s.sequence)
        }
    }

    public var topology: NodeSpec { state.withLock { $0.topology } }
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
    public var publishedCount: UInt64 { state.withLock { $0.published } }

    /// Updates that never reached a subscriber: pending when its stream ended (since start).
    public var droppedUpdateCount: UInt64 { state.withLock { $0.droppedUpdates } }

    /// Updates coalesced for all subscribers since start, those that left included: it never falls.
    public var coalescedCount: UInt64 {
        state.withLock { s in s.subscribers.values.reduce(s.departedCoalesced) { $0 + $1.coalesced } }
    }
}

/// One subscriber's pending update and its wake-up signal.
public final class Subscriber: Sendable {
    public let id: UInt64

    private struct Pending {
        var values: NodeValues?
        var time: Double = 0
        var coalesced: UInt64 = 0
        /// Spans dropped from this subscriber's pending update (cumulative).
        var spansDropped: UInt64 = 0
        var heartbeat = false
        var lastOffer = ContinuousClock.now
        /// The node's replicas changed: send a snapshot before anything else.
        var snapshot = false
    }

    private let pending = Mutex(Pending())
    private let signal: AsyncStream<Void>.Continuation
    /// Wakes the writer when something is pending; holds at most one wake-up.
    public let wakes: AsyncStream<Void>

    init(id: UInt64) {
        self.id = id
        (wakes, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func offer(_ values: NodeValues, time: Double) {
        pending.withLock { p in
            if values.isEmpty {
                p.heartbeat = true
            } else if var existing = p.values {
                existing.merge(values)
                p.values = existing
                p.coalesced += 1
            } else {
                p.values = values
            }
            p.time = time
            p.lastOffer = ContinuousClock.now
        }
        signal.yield()
    }

    func requestSnapshot() {
        pending.withLock { $0.snapshot = true }
        signal.yield()
    }

    /// Whether a new snapshot is due (once: the flag is cleared).
    public func takeSnapshotRequest() -> Bool {
        pending.withLock { p in
            defer { p.snapshot = false }
            return p.snapshot
        }
    }

    /// Asks for a heartbeat when nothing was offered for `quiet`: a node that reports every
    /// second never gets one, an idle one gets one a second.
    public func poke(time: Double, quiet: Duration) {
        let due = pending.withLock { p in
            guard ContinuousClock.now - p.lastOffer >= quiet else { return false }
            p.heartbeat = true
            p.time = max(p.time, time)
            return true
        }
        if due { signal.yield() }
    }

    /// Takes what is pending: the merged values (nil for a heartbeat), their time and the
    /// running count of coalesced updates.
    public func take() -> (values: NodeValues?, time: Double, coalesced: UInt64, spansDropped: UInt64)? {
        let (taken, more) = pending.withLock { p -> ((NodeValues?, Double, UInt64, UInt64)?, Bool) in
            guard p.values != nil || p.heartbeat else { return (nil, false) }
            var out = p.values
            var rest: NodeValues?
            // Spans go at most `maxSpansPerUpdate` to a message, so a burst (an engine's backlog,
            // the warm-up) never makes one message too large to send; the rest stay pending.
            if var values = out, values.spans.count > Self.maxSpansPerUpdate {
                var remainder = NodeValues(node: values.node)
                remainder.spans = Array(values.spans[Self.maxSpansPerUpdate...])
                values.spans.removeLast(values.spans.count - Self.maxSpansPerUpdate)
                out = values
                rest = remainder
            }
            p.values = rest
            p.heartbeat = false
            p.spansDropped += out?.spansDropped ?? 0
            return ((out, p.time, p.coalesced, p.spansDropped), rest != nil)
        }
        if more { signal.yield() }
        return taken
    }

    /// The most spans one update carries.
    public static let maxSpansPerUpdate = 1_024

    var coalesced: UInt64 { pending.withLock { $0.coalesced } }

    /// Whether values were offered that the writer has not taken yet (heartbeats do not count).
    var hasUnsentValues: Bool { pending.withLock { $0.values != nil } }

    func finish() { signal.finish() }
}
