import InfertopCore

/// GPU lists in the words operators use, as the planner's steps write them.
enum GPUText {
    /// `node-03 gpu0-7`, `node-03 gpu1,4 + node-04 gpu0-7`: GPUs grouped by node, runs collapsed.
    static func words(_ gpus: [GPUID]) -> String { GPURanges.words(gpus) }

    /// `node-10 gpu0-5,7 118→44.8/131`: memory changes, GPUs of a node with the same figures as one item.
    static func memoryChanges(_ changes: [GPUMemoryChange], arrow: String, capacity: Bool) -> [String] {
        var order: [String] = []
        var gpus: [String: [GPUID]] = [:]
        for change in changes {
            var figures = "\(Format.gib(change.beforeBytes))\(arrow)\(Format.gib(change.afterBytes))"
            if capacity { figures += "/\(Format.gib(change.capacityBytes))" }
            let key = "\(change.gpu.node.name)\u{0}\(figures)"
            if gpus[key] == nil { order.append(key) }
            gpus[key, default: []].append(change.gpu)
        }
        return order.map { key in
            let figures = key.split(separator: "\u{0}").last.map(String.init) ?? ""
            return "\(words(gpus[key] ?? [])) \(figures)"
        }
    }

    /// `0-7`, `1,4`, `0-3,6`.
    static func runs(_ indexes: [Int]) -> String { GPURanges.runs(indexes) }
}
