/// How one agent's bounded span storage stands: what it holds and what it had to drop or refuse.
public struct SpanStorageStatus: Sendable, Hashable {
    /// Spans held now.
    public var stored: Int
    /// The most spans the agent keeps.
    public var capacity: Int
    /// Spans accepted since the agent started.
    public var accepted: UInt64
    /// Spans that left the store to make room before any subscriber received them (streamed
    /// live or in a snapshot), since the agent started: what no dashboard can ever see. Spans
    /// pushed out after delivery are not counted; the ring lets them go by design.
    public var dropped: UInt64
    /// Spans refused as invalid (partial success), since the agent started.
    public var rejected: UInt64

    public init(stored: Int = 0, capacity: Int = 0, accepted: UInt64 = 0, dropped: UInt64 = 0, rejected: UInt64 = 0) {
        self.stored = stored
        self.capacity = capacity
        self.accepted = accepted
        self.dropped = dropped
        self.rejected = rejected
    }
}
