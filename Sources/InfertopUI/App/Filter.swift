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

    /// The test for requests: a trace id starting with the text (hex digits), or a model,
    /// replica or node containing it. Built once per list, so each request costs a few compares.
    public func requestMatcher() -> @Sendable (RequestTrace) -> Bool {
        let n = needle
        guard !n.isEmpty else { return { _ in true } }
        let prefix = TracePrefix(n)
        let negated = isNegated
        let bytes = Array(n.utf8)
        return { trace in
            let hit = prefix?.matches(trace.id) == true || trace.searchWords.contains { Self.contains($0, bytes) }
            return negated ? !hit : hit
        }
    }

    /// Substring search on UTF-8 bytes: the words are already lowercased, so no Unicode
    /// comparison is needed, and a list of hundreds of requests filters in microseconds.
    private static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
        var text = text
        return text.withUTF8 { hay in
            guard needle.count <= hay.count else { return false }
            if needle.isEmpty { return true }
            for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
                var i = 1
                while i < needle.count, hay[start + i] == needle[i] { i += 1 }
                if i == needle.count { return true }
            }
            return false
        }
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
