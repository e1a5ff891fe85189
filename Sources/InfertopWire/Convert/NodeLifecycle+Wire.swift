import InfertopCore

extension NodeLifecycle {
    /// The wire enum; ACTIVE is sent explicitly, so "unspecified" always means "unchanged".
    public var wire: Infertop_V1_NodeLifecycle {
        switch self {
        case .active: .active
        case .cordoned: .cordoned
        case .draining: .draining
        case .drained: .drained
        case .stalled: .stalled
        }
    }

    /// The lifecycle a wire value names; nil for unspecified (no change) and unknown values.
    public init?(wire: Infertop_V1_NodeLifecycle) {
        switch wire {
        case .active: self = .active
        case .cordoned: self = .cordoned
        case .draining: self = .draining
        case .drained: self = .drained
        case .stalled: self = .stalled
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }
}
