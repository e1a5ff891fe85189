import InfertopCore

@testable import InfertopSim

/// Runs a cluster to `seconds`, taking its finished spans every simulated second.
func spans(of cluster: SimulatedCluster, to seconds: Int) -> [Span] {
    var out: [Span] = []
    for t in 1...seconds {
        cluster.advance(to: Double(t))
        out += cluster.takeFinishedSpans()
    }
    return out
}

/// One simulated request as its spans tell it: vLLM's `llm_request` and, on a pipeline replica, its `pp send`.
struct SpannedRequest {
    let engine: Span
    let send: Span?

    var replica: String? { engine.attributes[SpanAttributeKey.replica]?.text }
    /// Virtual seconds of arrival and finish.
    var arrival: Double { Double(engine.startNanos - SimulationConfig.defaultSpanEpochNanos) / 1e9 }
    var finish: Double { Double(engine.endNanos - SimulationConfig.defaultSpanEpochNanos) / 1e9 }
    func seconds(_ key: String) -> Double? { engine.attributes[key]?.number }
    var finishReason: String? { engine.attributes[SpanAttributeKey.finishReasons]?.text }

    /// Decode seconds per token after the first, for requests that completed with at least two tokens.
    var timePerOutputToken: Double? {
        guard finishReason == "stop", let decode = seconds(SpanAttributeKey.decode),
            let tokens = seconds(SpanAttributeKey.completionTokens), tokens >= 2
        else { return nil }
        return decode / (tokens - 1)
    }

    /// Seconds one activation hop to the next stage took, averaged over the request's steps.
    var secondsPerHop: Double? {
        guard let send, let hops = send.attributes["infertop.pp.hops"]?.number, hops >= 1 else { return nil }
        return send.durationSeconds / hops
    }

    static func all(in spans: [Span]) -> [SpannedRequest] {
        var sends: [TraceID: Span] = [:]
        for span in spans where span.name == "pp send" { sends[span.traceID] = span }
        return spans.filter { $0.name == "llm_request" }.map { SpannedRequest(engine: $0, send: sends[$0.traceID]) }
    }
}

extension Array where Element == Double {
    /// The nearest-rank quantile (`q` in 0...1); nan when empty.
    func quantile(_ q: Double) -> Double {
        let sorted = self.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted[Swift.min(sorted.count - 1, Swift.max(0, Int((q * Double(sorted.count)).rounded(.up)) - 1))]
    }

    var mean: Double { isEmpty ? .nan : reduce(0, +) / Double(count) }
}
