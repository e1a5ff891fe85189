/// Names a stretch of the critical path in the words an operator uses:
/// `212 ms queued on node-07 llama-405b/2 (KV cache full)`,
/// `1.4 s decode on node-03 llama-405b/1 (x3.2 the floor)`,
/// `80 ms between router and llm_request on node-05 (no span)`.
struct GapDescriber {
    let tree: RequestTree
    let trace: RequestTrace
    let rows: [RequestWaterfall.Row]
    let rowOf: [Int]
    let state: ClusterState
    let rules: HealthRules

    func describe(_ s: CriticalPath.Segment) -> RequestGap {
        let length = RequestText.duration(Double(s.durationNanos) / 1e9)
        guard let n = s.node else {
            let text = "\(length) \(between(s, parent: nil))"
            return gap(.uncovered, s, text: text + " (no span)")
        }
        let node = tree.nodes[n]
        let span = trace.spans[node.span]
        let place = RequestText.place(node: span.span.node, replica: span.replica)
        if s.isUncovered {
            let nodes = [s.before, s.after].compactMap { $0 }.compactMap { trace.spans[tree.nodes[$0].span].span.node }
            let reason = GapReasons.uncovered(
                nodes: [span.span.node].compactMap { $0 } + nodes, state: state, rules: rules, hardware: isRecent(s))
            return gap(
                .uncovered, s, text: "\(length) \(between(s, parent: n))\(place.isEmpty ? "" : place) (\(reason))")
        }
        switch node.kind {
        case .stage(let kind):
            let verb: String
            let reason: String?
            switch kind {
            case .queue:
                verb = "queued"
                reason = GapReasons.queue(replica: span.replica, node: span.span.node, state: state, rules: rules)
            case .prefill:
                verb = "prefill"
                reason = GapReasons.prefill(span.timings, node: span.span.node, state: state)
            case .decode:
                verb = "decode"
                reason = GapReasons.decode(span.timings, replica: span.replica, node: span.span.node, state: state)
            }
            let why = reasons(reason, s, node: span.span.node, replica: span.replica)
            return gap(.stage(kind), s, text: "\(length) \(verb)\(place)\(why)")
        case .span:
            let reason = GapReasons.span(span.span, replica: span.replica, state: state, rules: rules)
            let why = reasons(reason, s, node: span.span.node, replica: span.replica)
            return gap(.span, s, text: "\(length) in \(node.name)\(place)\(why)")
        }
    }

    /// ` (x3.2 the floor · gpu5 throttled)`: the stage's own reason, then a hardware fault on its
    /// node while the gap is recent (the state says what is active now, not an hour ago).
    private func reasons(_ own: String?, _ s: CriticalPath.Segment, node: NodeID?, replica: ReplicaID?) -> String {
        var words = own.map { [$0] } ?? []
        if isRecent(s), let fault = GapReasons.hardware(node: node, replica: replica, state: state, rules: rules) {
            words.append(fault)
        }
        return words.isEmpty ? "" : " (" + words.joined(separator: " · ") + ")"
    }

    /// Whether the gap ended within the last minute of the requests the dashboard holds.
    private func isRecent(_ s: CriticalPath.Segment) -> Bool {
        s.endNanos &+ GapReasons.recentNanos >= state.requests.latency.newestEndNanos
    }

    private func gap(_ kind: RequestGap.Kind, _ s: CriticalPath.Segment, text: String) -> RequestGap {
        let row = s.node.flatMap { rowOf[$0] >= 0 ? rowOf[$0] : nil }
        return RequestGap(kind: kind, row: row, startNanos: s.startNanos, endNanos: s.endNanos, text: text)
    }

    /// `between router and llm_request`, `between prefill and kv_transfer`, `between decode and the end of llm_request`.
    private func between(_ s: CriticalPath.Segment, parent: Int?) -> String {
        let parentName = parent.map { tree.nodes[$0].name }
        let from = s.before.map { tree.nodes[$0].name } ?? parentName.map { $0 } ?? "the start"
        let to = s.after.map { tree.nodes[$0].name } ?? parentName.map { "the end of \($0)" } ?? "the end"
        return "between \(from) and \(to)"
    }
}

/// Small text pieces shared by the request views and the gap description.
public enum RequestText {
    /// `212 ms`, `1.4 s`, `7.6 ms`: `Format.duration` with a space before the unit.
    public static func duration(_ seconds: Double) -> String {
        let text = Format.duration(seconds)
        guard let unit = text.firstIndex(where: { $0.isLetter }) else { return text }
        return text[..<unit] + " " + text[unit...]
    }

    /// ` on node-07 llama-405b/2`, or less when the node or the replica is unknown.
    public static func place(node: NodeID?, replica: ReplicaID?) -> String {
        let words = [node?.name, replica?.description].compactMap { $0 }
        return words.isEmpty ? "" : " on " + words.joined(separator: " ")
    }
}
