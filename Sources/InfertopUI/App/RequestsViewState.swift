import InfertopCore

/// What view 4 remembers between frames: the selected request and the open waterfall, both by
/// trace id so they stay put as new requests arrive and the list reorders, and scroll offsets.
public struct RequestsViewState: Sendable, Hashable {
    /// The request the list's selection is on.
    public var selected: TraceID?
    /// The request whose waterfall is open; it stays open while new data arrives, and the
    /// waterfall says so if the store evicts it.
    public var open: TraceID?
    /// The first list row shown.
    public var listScroll = 0
    /// The first waterfall row shown.
    public var waterfallScroll = 0

    public init() {}
}
