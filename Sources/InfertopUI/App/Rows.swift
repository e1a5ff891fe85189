import InfertopCore

/// The ordered, filtered rows that views draw and that navigation moves through.
///
/// Kept apart from the views so that `update` and `view` agree on what row N is.
public enum Rows {
    /// Node indexes for the overview: the culprit's node first, then by severity, then by name.
    public static func nodes(_ model: Model) -> [Int] {
        guard let state = model.shown else { return [] }
        let culpritNode = model.culprits.first?.subject.node
        var keyed: [(Int, Int, Int)] = []
        keyed.reserveCapacity(state.topology.nodes.count)
        for (n, node) in state.topology.nodes.enumerated() {
            if !model.filter.isEmpty, !model.filter.matches(Filter.words(for: node, in: state)) { continue }
            let first = node.id == culpritNode ? 0 : 1
            keyed.append((n, first, -severity(ofNode: n, in: state, rules: model.rules).rawValue))
        }
        keyed.sort { a, b in
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2 != b.2 { return a.2 < b.2 }
            return a.0 < b.0
        }
        return keyed.map(\.0)
    }

    /// The worst severity among a node's GPUs; a node not heard from is critical.
    public static func severity(ofNode n: Int, in state: ClusterState, rules: HealthRules) -> Severity {
        if state.nodeStatus[n].reachability != .live { return .crit }
        var worst = Severity.ok
        for (g, spec) in state.topology.nodes[n].gpus.enumerated() {
            guard let sample = state.gpuSamples[n][g] else { continue }
            worst = max(worst, rules.severity(of: sample, model: spec.model))
            if worst == .crit { break }
        }
        return worst
    }

    /// GPU rows of the memory table, sorted by the model's sort key.
    public static func gpus(_ model: Model) -> [GPUID] {
        guard let state = model.shown else { return [] }
        var rows: [(GPUID, Double, Int)] = []
        rows.reserveCapacity(state.topology.gpuCount)
        var order = 0
        for (n, node) in state.topology.nodes.enumerated() {
            if !model.filter.isEmpty, !model.filter.matches(Filter.words(for: node, in: state)) { continue }
            for (g, spec) in node.gpus.enumerated() {
                let sample = state.gpuSamples[n][g]
                let key: Double
                switch model.memorySort {
                case .kv: key = -(sample?.memory.kvUsage ?? -1)
                case .used: key = -(sample?.memory.usedFraction ?? -1)
                case .other: key = -Double(sample?.memory.otherBytes ?? 0)
                case .name: key = 0
                }
                rows.append((spec.id, key, order))
                order += 1
            }
        }
        rows.sort { a, b in
            // Two-digit rounding keeps rows from trading places on noise.
            let ka = (a.1 * 100).rounded()
            let kb = (b.1 * 100).rounded()
            return ka != kb ? ka < kb : a.2 < b.2
        }
        return rows.map(\.0)
    }
}
