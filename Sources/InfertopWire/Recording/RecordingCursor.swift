import InfertopCore

/// Plays a recording's inputs through a fresh `ClusterMerger`, in order, making the same
/// `ClusterUpdate`s the live feed made.
///
/// A value: copy it to keep a place (a replay's keyframe) and carry on from the copy later.
public struct RecordingCursor: Sendable {
    public let recording: Recording
    private var merged = MergedCluster()
    private var chunk = 0
    private var entries: [RecordedEntry] = []
    private var index = 0
    /// The feed time of the last input folded; before the first, one less than its time.
    public private(set) var micros: Int64
    /// A sound chunk that would not decode: replay stops before it (the file's own damage, if
    /// any, lies later and is in `recording.damage`).
    public private(set) var decodeDamage: RecordingDamage?

    public init(_ recording: Recording) {
        self.recording = recording
        micros = (recording.chunks.first?.firstMicros ?? 0) - 1
    }

    /// Where the readable part ends, for this cursor: a chunk it could not decode, else the file's damage.
    public var damage: RecordingDamage? { decodeDamage ?? recording.damage }

    /// Whether every readable input has been folded.
    public var isAtEnd: Bool { mutating get { nextEntry == nil } }

    /// The merged cluster as of the last input folded.
    public var state: ClusterState { merged.state }

    /// Folds every input received at or before `limit` (feed time), at most `maxUpdates` of them;
    /// returns the updates, oldest first.
    public mutating func advance(through limit: Int64, maxUpdates: Int = .max) -> [ClusterUpdate] {
        var updates: [ClusterUpdate] = []
        while updates.count < maxUpdates, let entry = nextEntry, entry.micros <= limit {
            updates.append(merged.fold { $0.fold(entry.input, now: FeedClock.seconds(entry.micros)) })
            micros = entry.micros
            index += 1
        }
        return updates
    }

    /// The time of the next input, if any is readable.
    public var nextMicros: Int64? { mutating get { nextEntry?.micros } }

    private var nextEntry: RecordedEntry? {
        mutating get {
            while index >= entries.count {
                guard decodeDamage == nil, chunk < recording.chunkCount else { return nil }
                do {
                    entries = try recording.entries(ofChunk: chunk)
                    index = 0
                    chunk += 1
                } catch {
                    decodeDamage = RecordingDamage(
                        byteOffset: recording.offset(ofChunk: chunk), fileSize: recording.fileSize,
                        readableSeconds: max(0, recording.position(of: micros)),
                        reason: "a chunk does not decode: \(error)")
                    entries = []
                    index = 0
                    return nil
                }
            }
            return entries[index]
        }
    }
}
