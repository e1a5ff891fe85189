import InfertopCore

/// The `/` filter: a case-insensitive substring, negated by a leading `!`.
public struct Filter: Sendable, Hashable {
    public private(set) var text: String = ""

    public init(_ text: String = "") { self.text = text }

    public var isEmpty: Bool { needle.isEmpty }
    public var isNegated: Bool { text.hasPrefix("!") }
    private var needle: String { (isNegated ? String(text.dropFirst()) : text).lowercased() }

    /// Whether a subject described by these words passes the filter.
    public func matches(_ words: [String]) -> Bool {
        let n = needle
        guard !n.isEmpty else { return true }
        let hit = words.contains { $0.lowercased().contains(n) }
        return isNegated ? !hit : hit
    }

    /// Whether a request passes: its trace id (hex) starts with the text, or one of its words
    /// (model, replica, nodes) contains it.
    public func matches(traceID hex: String, words: [String]) -> Bool {
        let n = needle
        guard !n.isEmpty else { return true }
        let hit = hex.hasPrefix(n) || words.contains { $0.lowercased().contains(n) }
        return isNegated ? !hit : hit
    }

    /// The words a node is known by: its name, GPU model, replicas and their models.
    public static func words(for node: NodeSpec, in state: ClusterState) -> [String] {
        var words = [node.id.name, node.gpuModel?.shortName ?? "", node.gpuModel?.vendor.rawValue ?? ""]
        if let n = state.topology.nodeIndex(of: node.id) {
            for list in state.placement.replicasOnGPU[n] {
                for r in list where !words.contains(state.replicas[r].id.description) {
                    words.append(state.replicas[r].id.description)
                }
            }
        }
        return words
    }
}
