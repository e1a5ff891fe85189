/// One NVLink/xGMI island of one node: the GPUs a TP group may span.
struct Island {
    let node: Int
    let number: Int
    /// Flat GPU indexes, in GPU index order.
    let gpus: [Int]
}

/// Dense per-GPU memory and eligibility for one plan, with each island's GPUs ranked by room.
///
/// GPUs are numbered flat (node offset + GPU index) so the planner reads arrays, not hash maps.
/// "Room" is what a GPU can take in weights: capacity - used - reserved - KV headroom, negative when
/// even the headroom does not fit. Each island keeps its eligible GPUs sorted by room, re-sorted
/// only when a reservation lands on it, so choosing a TP group reads at most `tp` entries per island.
struct FleetLedger {
    let topology: Topology
    /// Flat index of each node's GPU 0.
    let offsets: [Int]
    let capacity: [UInt64]
    let headroom: [UInt64]
    /// Bytes in use before the plan.
    let initialUsed: [UInt64]
    /// Bytes in use plus what the plan has reserved so far.
    private(set) var used: [UInt64]
    /// Node takes placements and is reachable, GPU is healthy.
    let eligible: [Bool]
    /// Per node: at least one network port, so PP stages may span it and other fabric nodes.
    let onFabric: [Bool]
    let islands: [Island]
    /// Flat GPU -> island index.
    let islandOf: [Int]
    /// Per island: eligible flat GPUs, most room first, then lowest index.
    private(set) var ranked: [[Int]]

    init(_ input: RebalanceInput) {
        let topology = input.topology
        var offsets: [Int] = []
        var total = 0
        for node in topology.nodes {
            offsets.append(total)
            total += node.gpus.count
        }
        var weights = [UInt64](repeating: 0, count: total)
        for replica in input.replicas {
            for shard in replica.shards {
                guard let n = topology.nodeIndex(of: shard.gpu.node),
                    topology.nodes[n].gpus.indices.contains(shard.gpu.index)
                else { continue }
                weights[offsets[n] + shard.gpu.index] += shard.weightsBytes
            }
        }
        var capacity: [UInt64] = []
        var headroom: [UInt64] = []
        var used: [UInt64] = []
        var eligible: [Bool] = []
        var islands: [Island] = []
        var islandOf = [Int](repeating: 0, count: total)
        capacity.reserveCapacity(total)
        for (n, node) in topology.nodes.enumerated() {
            let state = input.nodeStates[node.id] ?? .active
            let nodeOK = state.acceptsPlacements && !input.unreachableNodes.contains(node.id)
            for gpu in node.gpus {
                let flat = offsets[n] + gpu.id.index
                capacity.append(gpu.model.memoryBytes)
                headroom.append(input.options.headroomBytes(for: gpu.model))
                used.append(input.usedBytes.isEmpty ? weights[flat] : input.usedBytes[gpu.id] ?? weights[flat])
                eligible.append(nodeOK && !input.unhealthyGPUs.contains(gpu.id))
            }
            var byIsland: [Int: [Int]] = [:]
            for gpu in node.gpus { byIsland[gpu.island, default: []].append(offsets[n] + gpu.id.index) }
            for number in byIsland.keys.sorted() {
                let members = (byIsland[number] ?? []).sorted()
                for flat in members { islandOf[flat] = islands.count }
                islands.append(Island(node: n, number: number, gpus: members))
            }
        }
        self.topology = topology
        self.offsets = offsets
        self.capacity = capacity
        self.headroom = headroom
        self.initialUsed = used
        self.used = used
        self.eligible = eligible
        self.onFabric = topology.nodes.map { !$0.ports.isEmpty }
        self.islands = islands
        self.islandOf = islandOf
        self.ranked = []
        self.ranked = islands.map { island in sortByRoom(island.gpus.filter { eligible[$0] }) }
    }

    /// Weight bytes the GPU can still take; negative when even the headroom does not fit.
    func room(_ flat: Int) -> Int64 {
        Int64(clamping: capacity[flat]) - Int64(clamping: used[flat]) - Int64(clamping: headroom[flat])
    }

    func gpuID(_ flat: Int) -> GPUID {
        let n = node(of: flat)
        return GPUID(node: topology.nodes[n].id, index: flat - offsets[n])
    }

    func flat(_ gpu: GPUID) -> Int? {
        guard let n = topology.nodeIndex(of: gpu.node), topology.nodes[n].gpus.indices.contains(gpu.index) else {
            return nil
        }
        return offsets[n] + gpu.index
    }

    func node(of flat: Int) -> Int { islands[islandOf[flat]].node }

    /// Adds `bytes` (weights + headroom) to the GPU and re-ranks its island.
    mutating func reserve(_ bytes: UInt64, on flat: Int) {
        used[flat] += bytes
        rerank(islandOf[flat])
    }

    /// Takes back a reservation made by this plan.
    mutating func release(_ bytes: UInt64, on flat: Int) {
        used[flat] -= min(bytes, used[flat])
        rerank(islandOf[flat])
    }

    private mutating func rerank(_ island: Int) { ranked[island] = sortByRoom(ranked[island]) }

    private func sortByRoom(_ gpus: [Int]) -> [Int] {
        gpus.sorted { a, b in
            let ra = room(a)
            let rb = room(b)
            return ra != rb ? ra > rb : a < b
        }
    }
}
