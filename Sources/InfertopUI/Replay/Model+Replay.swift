import InfertopCore

extension Model {
    /// Whether this dashboard is a replay of a recording (`infertop replay`).
    public var isReplay: Bool { replay != nil }

    /// Forgets everything the feed told: a replay that seeks back folds the recording again from
    /// the start (or a keyframe) into this model, its view, selection and filter kept.
    public mutating func clearFeedData() {
        live = nil
        frozen = nil
        culprits = []
        headline = CulpritHeadline(holdSeconds: headline.holdSeconds)
        culpritsRankedAt = nil
        lastSequence = 0
        pinnedTrace = nil
    }

    /// Takes what the feed told from `other` (a keyframe kept by a replay), keeping this model's
    /// view, selection and filter.
    public mutating func takeFeedData(from other: Model) {
        live = other.live
        frozen = nil
        culprits = other.culprits
        headline = other.headline
        culpritsRankedAt = other.culpritsRankedAt
        lastSequence = other.lastSequence
        refreshPinnedTrace(&self)
    }
}

/// Replay keys and commands: they ask the runner (an effect); outside a replay they say so.
func replayAction(_ model: inout Model, _ action: Action) -> [Effect] {
    guard model.isReplay else {
        model.status = StatusMessage("\(action.rawValue) works in a replay: infertop replay FILE", isError: true)
        return []
    }
    switch action {
    case .play: return [.replay(.togglePlay)]
    case .rewind: return [.replay(.step(by: -10))]
    case .forward: return [.replay(.step(by: 10))]
    case .slower: return [.replay(.speed(times: 0.5))]
    case .faster: return [.replay(.speed(times: 2))]
    default: return []
    }
}

/// Runs a `:goto`/`:speed` command: a replay request, or the reason there is none.
func replayCommand(_ model: inout Model, _ request: ReplayRequest) -> [Effect] {
    guard model.isReplay else {
        model.status = StatusMessage("that command works in a replay: infertop replay FILE", isError: true)
        return []
    }
    return [.replay(request)]
}
