import InfertopCore

/// Where and how the agent receives OpenTelemetry traces (`[otlp]` in the config file).
public struct OTLPSettings: Sendable, Hashable {
    /// OTLP/gRPC listen address; nil turns it off.
    public var grpcListen: HostPort? = HostPort(host: "127.0.0.1", port: 4317)
    /// OTLP/HTTP listen address; nil turns it off.
    public var httpListen: HostPort? = HostPort(host: "127.0.0.1", port: 4318)
    /// The largest request body, before and after gunzip.
    public var maxBodyBytes = 4 << 20
    /// Spans kept for new subscribers (the oldest go first, counted).
    public var spanCapacity = 20_000
    /// The most bytes the kept spans may hold (`Span.footprintBytes`); whichever bound is reached first applies.
    public var spanCapacityBytes = SpanStorage.defaultCapacityBytes
    /// Spans accepted per second; above it senders are told to retry later (HTTP 429, gRPC UNAVAILABLE).
    public var maxSpansPerSecond = 200_000

    public init() {}
}
