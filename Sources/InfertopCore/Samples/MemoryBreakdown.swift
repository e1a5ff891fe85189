/// What fills one GPU's memory, as a serving engine really uses it.
///
/// A vLLM GPU shows about 90% "used" from start to finish because the engine reserves its
/// KV-cache pool up front; the pressure is in how much of that pool is in use, which
/// `nvidia-smi` cannot show. The parts always sum to `usedBytes`, which never exceeds capacity.
public struct MemoryBreakdown: Hashable, Sendable {
    public var capacityBytes: UInt64
    /// The model shard's weights.
    public var weightsBytes: UInt64
    /// KV-cache blocks holding live sequences.
    public var kvUsedBytes: UInt64
    /// KV-cache blocks reserved by the engine but free.
    public var kvFreeBytes: UInt64
    /// Activations, CUDA graphs and workspace.
    public var activationBytes: UInt64
    /// Runtime context, communication buffers and other processes.
    public var otherBytes: UInt64

    public init(
        capacityBytes: UInt64, weightsBytes: UInt64, kvUsedBytes: UInt64, kvFreeBytes: UInt64,
        activationBytes: UInt64, otherBytes: UInt64
    ) {
        self.capacityBytes = capacityBytes
        self.weightsBytes = weightsBytes
        self.kvUsedBytes = kvUsedBytes
        self.kvFreeBytes = kvFreeBytes
        self.activationBytes = activationBytes
        self.otherBytes = otherBytes
    }

    /// An idle GPU with nothing on it.
    public static func empty(capacityBytes: UInt64) -> MemoryBreakdown {
        MemoryBreakdown(
            capacityBytes: capacityBytes, weightsBytes: 0, kvUsedBytes: 0, kvFreeBytes: 0,
            activationBytes: 0, otherBytes: 0)
    }

    public var usedBytes: UInt64 { weightsBytes + kvUsedBytes + kvFreeBytes + activationBytes + otherBytes }
    public var unallocatedBytes: UInt64 { capacityBytes > usedBytes ? capacityBytes - usedBytes : 0 }
    public var kvReservedBytes: UInt64 { kvUsedBytes + kvFreeBytes }

    /// Share of the KV-cache pool in use, 0...1 (0 with no pool).
    public var kvUsage: Double {
        kvReservedBytes == 0 ? 0 : Double(kvUsedBytes) / Double(kvReservedBytes)
    }

    /// Share of capacity in use by anything, 0...1.
    public var usedFraction: Double {
        capacityBytes == 0 ? 0 : Double(usedBytes) / Double(capacityBytes)
    }

    /// The parts in display order, each with the bytes it holds.
    public var segments: [(MemorySegment, UInt64)] {
        [
            (.weights, weightsBytes), (.kvUsed, kvUsedBytes), (.kvFree, kvFreeBytes),
            (.activations, activationBytes), (.other, otherBytes), (.unallocated, unallocatedBytes)
        ]
    }
}

/// One part of a GPU's memory, in the order bars draw them.
public enum MemorySegment: String, Sendable, CaseIterable {
    case weights, kvUsed, kvFree, activations, other, unallocated

    public var label: String {
        switch self {
        case .weights: "weights"
        case .kvUsed: "KV used"
        case .kvFree: "KV free"
        case .activations: "activations"
        case .other: "other"
        case .unallocated: "unallocated"
        }
    }
}
