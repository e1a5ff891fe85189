import InfertopCore

/// Words for an agent connection's state, as the overview and node detail show them.
enum SourceText {
    /// The overview's line for a source without a node: an agent that never answered, or a
    /// fleet source (`prometheus URL: retrying in 2s: prometheus unreachable: ...`, or what it lacks).
    static func line(_ source: SourceStatus) -> (String, StyleRole) {
        switch source.kind {
        case .agent:
            return ("agent \(source.address): \(describe(source.state))", .crit)
        case .fleet:
            guard source.state.isLive else { return ("\(source.address): \(describe(source.state))", .crit) }
            return ("\(source.address): " + source.notes.joined(separator: ", "), .warn)
        }
    }

    static func describe(_ state: SourceState) -> String {
        switch state {
        case .connecting: "connecting"
        case .live: "live"
        case .retrying(let reason, let seconds): "retrying in \(Format.duration(seconds)): \(reason)"
        case .authFailed(let reason): "auth failed: \(reason)"
        case .unresolvable(let reason): "unresolvable: \(reason)"
        }
    }
}
