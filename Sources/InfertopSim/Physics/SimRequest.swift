/// One request inside a simulated serving engine.
struct SimRequest {
    var id: UInt64
    var arrival: Double
    var promptTokens: Int
    var cachedTokens: Int
    var outputTokens: Int
    var generated: Double = 0
    /// Prefill work (tokens) still to do: the uncached prompt, or everything after a preemption.
    var prefillRemaining: Double
    var scheduledAt: Double?
    var firstTokenAt: Double?
    /// Prefill tokens computed so far, recomputation after a preemption included.
    var prefilled: Double = 0
    /// Engine steps this request took part in, and the seconds one pipeline hop took over them,
    /// counted up to its last preemption; `stepMark`/`hopMark` are the engine's clocks at its last admission.
    var steps: Double = 0
    var hopSeconds: Double = 0
    var stepMark: Double = 0
    var hopMark: Double = 0

    init(id: UInt64, arrival: Double, promptTokens: Int, cachedTokens: Int, outputTokens: Int) {
        self.id = id
        self.arrival = arrival
        self.promptTokens = promptTokens
        self.cachedTokens = cachedTokens
        self.outputTokens = outputTokens
        self.prefillRemaining = Double(promptTokens - cachedTokens)
    }

    /// Tokens whose KV the request holds while running.
    var liveTokens: Double { Double(promptTokens) + generated }
}
