import Foundation
import InfertopCore

/// Bursty request arrivals for one model: a two-state (quiet/busy) Markov process with
/// occasional short surges and a slow daily-like swell, never a flat rate.
struct TrafficModel {
    /// Requests per second at the calibrated load for the whole model.
    let baseRate: Double
    private var busy = false
    private var surgeUntil = -1.0

    init(baseRate: Double) { self.baseRate = baseRate }

    /// Steps the process one tick and returns the arrival rate for it.
    mutating func rate(at time: Double, dt: Double, rng: inout Xoshiro256StarStar) -> Double {
        let switchRate = busy ? 1.0 / 25 : 1.0 / 45
        if rng.unit() < switchRate * dt { busy.toggle() }
        if time >= surgeUntil, rng.unit() < dt / 90 { surgeUntil = time + 4 + rng.unit() * 6 }
        let swell = 1 + 0.12 * sin(2 * Double.pi * time / 1800)
        let state = busy ? 1.3 : 0.8
        let surge = time < surgeUntil ? 1.6 : 1
        return baseRate * swell * state * surge
    }
}

/// What requests to a model look like: prompt, prefix-cache hit and output lengths.
struct RequestShape {
    var medianPrompt: Double
    var longShare: Double
    var medianLongPrompt: Double
    var medianOutput: Double
    var cacheHit: ClosedRange<Double>
    /// Long contexts are multi-turn sessions: most of their prefix is cached.
    var longCacheHit: ClosedRange<Double>

    /// Chat and agent traffic: short prompts, and long multi-turn contexts with high prefix-cache hits.
    static let chat = RequestShape(
        medianPrompt: 900, longShare: 0.3, medianLongPrompt: 14000, medianOutput: 280, cacheHit: 0.3...0.7,
        longCacheHit: 0.85...0.97)

    func make(id: UInt64, at time: Double, rng: inout Xoshiro256StarStar, maxContext: Int = 131_072) -> SimRequest {
        let long = rng.unit() < longShare
        let prompt = min(
            maxContext / 2, max(16, Int(rng.logNormal(median: long ? medianLongPrompt : medianPrompt, sigma: 0.7))))
        let range = long ? longCacheHit : cacheHit
        let hit = range.lowerBound + (range.upperBound - range.lowerBound) * rng.unit()
        let output = min(4096, max(2, Int(rng.logNormal(median: medianOutput, sigma: 0.6))))
        return SimRequest(
            id: id, arrival: time, promptTokens: prompt, cachedTokens: Int(Double(prompt) * hit), outputTokens: output)
    }
}
