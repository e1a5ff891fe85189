import InfertopCore

/// What one engine holds on one GPU, as far as config and metrics tell.
public struct EngineMemoryShare: Sendable, Hashable {
    public var weightsBytes: UInt64
    public var activationBytes: UInt64
    /// The exact KV pool (blocks × block size × bytes per token), when known.
    public var kvPoolBytes: UInt64?
    /// KV-cache use 0...1 from the engine; nil when the engine has not reported, in which case
    /// no pool is estimated for it.
    public var kvUsage: Double?

    public init(
        weightsBytes: UInt64 = 0, activationBytes: UInt64 = 0, kvPoolBytes: UInt64? = nil, kvUsage: Double? = nil
    ) {
        self.weightsBytes = weightsBytes
        self.activationBytes = activationBytes
        self.kvPoolBytes = kvPoolBytes
        self.kvUsage = kvUsage
    }
}

/// Splits one GPU's used memory into the parts of a `MemoryBreakdown`.
///
/// Exact KV pools are used as given. An engine that reported but whose pool is not known gets
/// an estimate: what the GPU uses beyond all weights, activations and exact pools, shared evenly
/// among such engines (an engine reserves its pool up front, so this is close for vLLM/SGLang
/// when activations are configured, and an upper bound when not). The parts are then fitted into
/// the used bytes in the order weights, KV used, KV free, activations; whatever is left is
/// `other`. So the parts always sum to used, and used never exceeds capacity.
public enum MemoryEstimate {
    public static func breakdown(capacityBytes: UInt64?, usedBytes: UInt64?, engines: [EngineMemoryShare])
        -> MemoryBreakdown
    {
        let weights = engines.reduce(UInt64(0)) { $0.addingSaturated($1.weightsBytes) }
        let activations = engines.reduce(UInt64(0)) { $0.addingSaturated($1.activationBytes) }
        let exact = engines.reduce(UInt64(0)) { $0.addingSaturated($1.kvPoolBytes ?? 0) }
        let estimated = engines.filter { $0.kvPoolBytes == nil && $0.kvUsage != nil }.count
        var estimatePerEngine: UInt64 = 0
        if estimated > 0, let usedBytes {
            estimatePerEngine =
                usedBytes.subtractingSaturated(weights.addingSaturated(activations).addingSaturated(exact))
                / UInt64(estimated)
        }
        var kvUsed: UInt64 = 0
        var kvFree: UInt64 = 0
        for engine in engines {
            guard let pool = engine.kvPoolBytes ?? (engine.kvUsage != nil ? estimatePerEngine : nil) else { continue }
            let share = min(1, max(0, engine.kvUsage.flatMap { $0.isFinite ? $0 : nil } ?? 0))
            let inUse = share >= 1 ? pool : min(pool, UInt64((Double(pool) * share).rounded()))
            kvUsed = kvUsed.addingSaturated(inUse)
            kvFree = kvFree.addingSaturated(pool - inUse)
        }
        let claimed = weights.addingSaturated(kvUsed).addingSaturated(kvFree).addingSaturated(activations)
        let capacity = capacityBytes ?? usedBytes ?? claimed
        var left = min(usedBytes ?? claimed, capacity)
        func take(_ bytes: UInt64) -> UInt64 {
            let taken = min(bytes, left)
            left -= taken
            return taken
        }
        let w = take(weights)
        let ku = take(kvUsed)
        let kf = take(kvFree)
        let a = take(activations)
        return MemoryBreakdown(
            capacityBytes: capacity, weightsBytes: w, kvUsedBytes: ku, kvFreeBytes: kf, activationBytes: a,
            otherBytes: left)
    }
}

extension UInt64 {
    func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }

    func subtractingSaturated(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
