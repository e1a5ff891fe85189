/// Where and how the agent receives OpenTelemetry traces (`[otlp]` in the config file).
public struct OTLPSettings: Sendable, Hashable {
    /// OTLP/gRPC listen address `HOST:PORT`; nil turns it off.
    public var grpcListen: String? = "127.0.0.1:4317"
    /// OTLP/HTTP listen address `HOST:PORT`; nil turns it off.
    public var httpListen: String? = "127.0.0.1:4318"
    /// The largest request body, before and after gunzip.
    public var maxBodyBytes = 4 << 20
    /// Spans kept for new subscribers (the oldest go first, counted).
    public var spanCapacity = 20_000
    /// The most bytes the kept spans may hold (`Span.footprintBytes`); whichever bound is reached first applies.
    public var spanCapacityBytes = SpanStorage.defaultCapacityBytes
    /// Spans accepted per second; above it senders are told to retry later (HTTP 429, gRPC UNAVAILABLE).
    public var maxSpansPerSecond = 200_000

    public init() {}

    /// An address from a flag or the file: `off` turns the receiver off.
    public static func address(_ text: String) -> String?? {
        if text == "off" { return .some(nil) }
        return AgentConfig.splitHostPort(text) == nil ? nil : .some(text)
    }
}
