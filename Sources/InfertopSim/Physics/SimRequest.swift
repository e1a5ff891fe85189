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
