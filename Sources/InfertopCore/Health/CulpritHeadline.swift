/// Keeps the culprit line steady and remembers when each culprit began.
///
/// A challenger takes the headline only after leading the ranking for `holdSeconds` of cluster
/// time, so a passing KV burst on another replica never flips the line for one refresh and back;
/// the headline changes at once only when its culprit is gone from the ranking. Each ranked
/// culprit's onset is the first moment it was seen in an unbroken run, on the cluster's clock
/// and on the spans' clock, so "the request it hurt since it began" can be asked.
public struct CulpritHeadline: Sendable, Hashable {
    /// When a culprit was first seen in its current run.
    public struct Onset: Sendable, Hashable {
        /// Cluster time (`ClusterState.time`).
        public var time: Double
        /// The newest span end the dashboard held then (the spans' clock).
        public var spanNanos: UInt64
        /// It was already there in the first state seen: it began at some unknown earlier time.
        public var predatesFirstState: Bool
    }

    /// How long a challenger must lead before it takes the line.
    public var holdSeconds: Double
    public private(set) var subject: CulpritSubject?
    public private(set) var onsets: [CulpritSubject: Onset] = [:]
    private var challenger: CulpritSubject?
    private var challengerSince = 0.0
    private var seenAnyState = false

    public init(holdSeconds: Double = 5) { self.holdSeconds = holdSeconds }

    /// Takes the latest ranking (worst first) at cluster time `time`; returns it with the
    /// headline's culprit first.
    public mutating func update(_ ranked: [Culprit], time: Double, spanNanos: UInt64) -> [Culprit] {
        let first = !seenAnyState
        seenAnyState = true
        let present = Set(ranked.map(\.subject))
        onsets = onsets.filter { present.contains($0.key) }
        for culprit in ranked where onsets[culprit.subject] == nil {
            onsets[culprit.subject] = Onset(time: time, spanNanos: spanNanos, predatesFirstState: first)
        }
        guard let top = ranked.first?.subject else {
            subject = nil
            challenger = nil
            return ranked
        }
        if subject == nil || !present.contains(subject!) || top == subject {
            if subject == nil || !present.contains(subject!) { subject = top }
            challenger = nil
        } else if challenger == top {
            if time - challengerSince >= holdSeconds {
                subject = top
                challenger = nil
            }
        } else {
            challenger = top
            challengerSince = time
        }
        guard let keep = ranked.firstIndex(where: { $0.subject == subject }), keep > 0 else { return ranked }
        var out = ranked
        out.insert(out.remove(at: keep), at: 0)
        return out
    }
}
