/// GPU lists in the words operators use: `node-03 gpu0-7`, `node-03 gpu1,4 + node-04 gpu0-7`.
///
/// One writer for the planner's steps, the journal and the dashboard's dialogs and views.
public enum GPURanges {
    /// GPUs grouped by node (in the order first seen), index runs collapsed.
    public static func words(_ gpus: [GPUID]) -> String {
        var order: [NodeID] = []
        var byNode: [NodeID: [Int]] = [:]
        for gpu in gpus {
            if byNode[gpu.node] == nil { order.append(gpu.node) }
            byNode[gpu.node, default: []].append(gpu.index)
        }
        return order.map { node in "\(node) gpu" + runs((byNode[node] ?? []).sorted()) }.joined(separator: " + ")
    }

    /// `0-7`, `1,4`, `0-3,6` from sorted indexes.
    public static func runs(_ indexes: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < indexes.count {
            var j = i
            while j + 1 < indexes.count && indexes[j + 1] == indexes[j] + 1 { j += 1 }
            parts.append(j > i ? "\(indexes[i])-\(indexes[j])" : "\(indexes[i])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
