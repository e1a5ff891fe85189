/// Works out which replica and which GPUs a span ran on.
///
/// In order: the span's `infertop.replica` attribute (`llama-405b/2`); else a `service.name`
/// equal to a replica of the placement; else its model (`gen_ai.response.model` or
/// `gen_ai.request.model`) on its node (`host.name`): the replica of that model with a shard on
/// that node. Several such replicas on one node are told apart by `infertop.gpus`; when they
/// cannot be, the span stays unresolved rather than be pinned on the wrong replica.
public enum ReplicaResolver {
    /// The span with its replica and GPU group resolved against the cluster's placement.
    public static func resolve(_ span: Span, in state: ClusterState) -> RequestSpan {
        let replica = replica(for: span, in: state)
        return RequestSpan(span: span, replica: replica, gpus: gpuGroup(for: span, replica: replica, in: state))
    }

    /// The replica a span ran on, or nil when nothing names one.
    public static func replica(for span: Span, in state: ClusterState) -> ReplicaID? {
        if let text = span.attributes[SpanAttributeKey.replica]?.text, let id = parse(text) { return id }
        if let id = parse(span.service), state.replica(id) != nil { return id }
        guard let model = span.modelName?.lowercased(), let node = span.node,
            let n = state.topology.nodeIndex(of: node)
        else { return nil }
        var candidates: [Int] = []
        for list in state.placement.replicasOnGPU[n] {
            for r in list where !candidates.contains(r) {
                let spec = state.replicas[r]
                if spec.id.model.lowercased() == model || spec.model.name.lowercased() == model { candidates.append(r) }
            }
        }
        if candidates.count > 1, let gpus = gpuIndexes(span.attributes[SpanAttributeKey.gpus]?.description) {
            candidates = candidates.filter { r in
                state.replicas[r].shards.contains { $0.gpu.node == node && gpus.contains($0.gpu.index) }
            }
        }
        return candidates.count == 1 ? state.replicas[candidates[0]].id : nil
    }

    /// The GPU group label (`gpu0-7`): the span's `infertop.gpus`, else the replica's GPUs on the span's node.
    public static func gpuGroup(for span: Span, replica: ReplicaID?, in state: ClusterState) -> String? {
        if let indexes = gpuIndexes(span.attributes[SpanAttributeKey.gpus]?.description) { return label(indexes) }
        guard let replica, let spec = state.replica(replica) else { return nil }
        let node = span.node ?? spec.nodes.first
        let indexes = spec.shards.filter { $0.gpu.node == node }.map(\.gpu.index)
        return indexes.isEmpty ? nil : label(indexes)
    }

    /// Reads `llama-405b/2`: the model before the last slash, the index after it.
    public static func parse(_ text: String) -> ReplicaID? {
        guard let slash = text.lastIndex(of: "/"), let index = Int(text[text.index(after: slash)...]), index >= 0
        else { return nil }
        let model = String(text[..<slash])
        return model.isEmpty ? nil : ReplicaID(model: model, index: index)
    }

    /// Reads `0-7`, `gpu0-7`, `0,2,4` or `4`; nil when it is none of those.
    public static func gpuIndexes(_ text: String?) -> [Int]? {
        guard var text, !text.isEmpty else { return nil }
        if text.lowercased().hasPrefix("gpu") { text = String(text.dropFirst(3)) }
        var out: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            if bounds.count == 1, let v = Int(bounds[0].trimmingSpaces) {
                out.append(v)
            } else if bounds.count == 2, let lo = Int(bounds[0].trimmingSpaces), let hi = Int(bounds[1].trimmingSpaces),
                lo <= hi, hi - lo < 4096
            {
                out.append(contentsOf: lo...hi)
            } else {
                return nil
            }
        }
        return out.isEmpty ? nil : out
    }

    /// `gpu0-7` for a run, `gpu0,2,4` otherwise, `gpu3` for one.
    public static func label(_ indexes: [Int]) -> String {
        let sorted = Array(Set(indexes)).sorted()
        guard let first = sorted.first, let last = sorted.last else { return "" }
        if sorted.count == 1 { return "gpu\(first)" }
        if last - first + 1 == sorted.count { return "gpu\(first)-\(last)" }
        return "gpu" + sorted.map(String.init).joined(separator: ",")
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
