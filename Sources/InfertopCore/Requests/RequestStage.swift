/// A phase of one request inside the engine.
public enum RequestStageKind: String, Sendable, Hashable, CaseIterable {
    case queue, prefill, decode
}

/// A synthetic child of an engine span: one phase, placed on the time axis.
public struct RequestStage: Sendable, Hashable {
    public let kind: RequestStageKind
    public let startNanos: UInt64
    public let endNanos: UInt64

    public var durationNanos: UInt64 { endNanos - startNanos }
}

/// Splits an engine's request span into its phases.
///
/// vLLM sends one SERVER span named `llm_request` per finished request, starting at arrival,
/// with the phases only as attributes (`gen_ai.latency.time_in_queue`,
/// `time_in_model_prefill`, `time_in_model_decode`, float seconds). They follow one another
/// from the span's start: queued, then prefill up to the first token, then decode up to the last.
/// A phase that would run past the span's end is cut there; phases of zero length are left out.
public enum EngineStages {
    /// vLLM's request span name.
    public static let requestSpanName = "llm_request"

    /// Whether the span is an engine's request span whose phases can be read.
    public static func isEngineRequest(_ span: Span) -> Bool {
        span.name == requestSpanName && (span.kind == .server || span.kind == .unspecified)
    }

    /// The phases of an engine request span, in order; empty for any other span.
    public static func stages(of span: Span) -> [RequestStage] {
        guard isEngineRequest(span) else { return [] }
        let keys: [(RequestStageKind, String)] = [
            (.queue, SpanAttributeKey.timeInQueue), (.prefill, SpanAttributeKey.prefill),
            (.decode, SpanAttributeKey.decode)
        ]
        var out: [RequestStage] = []
        var cursor = span.startNanos
        for (kind, key) in keys {
            guard let seconds = span.attributes[key]?.number, seconds.isFinite, seconds > 0 else { continue }
            guard cursor < span.endNanos else { break }
            let length = UInt64(min((seconds * 1e9).rounded(), Double(span.endNanos - cursor)))
            guard length > 0 else { continue }
            out.append(RequestStage(kind: kind, startNanos: cursor, endNanos: cursor + length))
            cursor += length
        }
        return out
    }
}
