import InfertopCore
import InfertopUI
import InfertopWire

/// A recording folded into a dashboard model at any position: forward by folding the next
/// inputs, back from the nearest keyframe it kept on the way (or from the start).
///
/// The frame at position T is the model after every input received at or before T, folded with
/// `Msg.clusterBatch`; the batches it uses do not change the result (`CulpritCadence`), so a
/// keyframe, a snapshot and a live dashboard all agree.
public struct ReplayTimeline: Sendable {
    public let recording: Recording
    private var cursor: RecordingCursor
    /// Copies of the cursor and the model at feed times `spacing` apart, oldest first.
    private var keyframes: [(micros: Int64, cursor: RecordingCursor, model: Model)] = []
    private let spacing: Int64

    /// - Parameter keyframeSeconds: how far apart keyframes are kept; by default at least a
    ///   minute, and at most about fifty of them.
    public init(recording: Recording, keyframeSeconds: Double? = nil) {
        self.recording = recording
        cursor = RecordingCursor(recording)
        spacing = FeedClock.micros(keyframeSeconds ?? max(60, recording.length / 50))
    }

    /// How many keyframes it keeps so far.
    public var keyframeCount: Int { keyframes.count }

    /// Where the readable part of the recording ends, if it does before the end of the file.
    public var damage: RecordingDamage? { cursor.damage }

    /// Brings `model` to the frame at `position` (seconds from the start of the recording).
    public mutating func move(_ model: inout Model, to position: Double) {
        let target = recording.micros(at: position)
        if target < cursor.micros {
            if let k = keyframes.last(where: { $0.micros <= target }) {
                cursor = k.cursor
                model.takeFeedData(from: k.model)
            } else {
                cursor = RecordingCursor(recording)
                model.clearFeedData()
            }
        }
        while true {
            let nextKeyframe = (keyframes.last?.micros ?? recording.header.startMicros) + spacing
            let limit = min(target, nextKeyframe)
            fold(&model, through: limit)
            // Every input up to `limit` is folded: keep a keyframe there if it is one.
            if limit == nextKeyframe && keyframes.last.map({ $0.micros < limit }) ?? true {
                keyframes.append((limit, cursor, model))
            }
            if limit >= target || cursor.isAtEnd { return }
        }
    }

    /// Folds every input up to `limit` into the cursor's merger, and hands its state to the model
    /// where a live dashboard would rank culprits, and at the end: the same model as
    /// `Msg.clusterBatch` of the updates, without applying each update a second time.
    private mutating func fold(_ model: inout Model, through limit: Int64) {
        var pending: UInt64?
        while let update = cursor.advance(through: limit, maxUpdates: 1).first {
            if model.ranksCulprits(after: update) {
                _ = InfertopUI.update(
                    &model, .clusterState(cursor.state, sequence: update.sequence, rankCulprits: true))
                pending = nil
            } else {
                pending = update.sequence
            }
        }
        if let pending {
            _ = InfertopUI.update(&model, .clusterState(cursor.state, sequence: pending, rankCulprits: false))
        }
    }
}
