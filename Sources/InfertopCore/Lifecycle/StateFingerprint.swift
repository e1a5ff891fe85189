/// A stable 64-bit digest of the placement and the nodes' lifecycle states.
///
/// Plans and previews carry the fingerprint of the state they were made from, and applying one
/// against a different fingerprint is refused. It is FNV-1a 64 over a canonical ordering (replicas
/// by id, shards by stage and rank, nodes by name), so the agent, the dashboard and a test compute the
/// same value in any process; Swift's `Hasher` is seeded per process and cannot serve.
public struct StateFingerprint: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    /// The fingerprint of `replicas` placed as given and nodes in `states` (absent nodes are ACTIVE).
    public init(replicas: [ReplicaSpec], states: [NodeID: NodeLifecycleState]) {
        var hash = FNV1a64()
        hash.add(string: "placement")
        for replica in replicas.sorted(by: { $0.id < $1.id }) {
            hash.add(string: replica.id.model)
            hash.add(int: replica.id.index)
            hash.add(string: replica.model.name)
            hash.add(int: replica.tensorParallel)
            hash.add(int: replica.pipelineParallel)
            let shards = replica.shards.sorted {
                ($0.ppStage, $0.tpRank, $0.gpu.node.name, $0.gpu.index)
                    < ($1.ppStage, $1.tpRank, $1.gpu.node.name, $1.gpu.index)
            }
            hash.add(int: shards.count)
            for shard in shards {
                hash.add(int: shard.ppStage)
                hash.add(int: shard.tpRank)
                hash.add(string: shard.gpu.node.name)
                hash.add(int: shard.gpu.index)
                hash.add(shard.weightsBytes)
            }
        }
        hash.add(string: "lifecycle")
        for (node, state) in states.sorted(by: { $0.key.name < $1.key.name }) where state != .active {
            hash.add(string: node.name)
            hash.add(string: state.phase.rawValue)
            if let deadline = state.deadline { hash.add(deadline.bitPattern) }
        }
        value = hash.value
    }

    /// 16 hex digits, zero-padded.
    public var description: String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The 64-bit Fowler-Noll-Vo 1a hash, fed bytes in a fixed order.
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    mutating func add(byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* Self.prime
    }

    /// Eight bytes, little end first.
    mutating func add(_ word: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(byte: UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
    }

    mutating func add(int: Int) { add(UInt64(bitPattern: Int64(int))) }

    /// The UTF-8 bytes, then a zero byte so `ab`+`c` and `a`+`bc` differ.
    mutating func add(string: String) {
        for byte in string.utf8 { add(byte: byte) }
        add(byte: 0)
    }
}
