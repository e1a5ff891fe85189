import InfertopCore

/// Words for an agent connection's state, as the overview and node detail show them.
enum SourceText {
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
