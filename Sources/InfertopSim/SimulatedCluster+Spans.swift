import InfertopCore

extension SimulatedCluster {
    /// The spans of every request that finished (completed, aborted after its queue timeout, or
    /// lost with a node) since the last call, oldest first, each trace root first.
    ///
    /// Between calls at most `config.spanBufferCapacity` spans are held; older ones are dropped
    /// and counted in `droppedSpanCount`. Deterministic for a seed, whenever it is called.
    public func takeFinishedSpans() -> [Span] { spanBuffer.take() }

    /// Spans waiting for `takeFinishedSpans()`.
    public var bufferedSpanCount: Int { spanBuffer.buffered }

    /// Spans dropped because more than `config.spanBufferCapacity` waited between two takes, since the start.
    public var droppedSpanCount: UInt64 { spanBuffer.dropped }
}
