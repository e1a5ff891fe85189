import InfertopCore

/// Where a recording stops being readable: a file cut short (a crash, a full disk, a copy in
/// progress) or damaged in the middle. Everything before `byteOffset` replays.
public struct RecordingDamage: Sendable, Hashable {
    /// Where the unreadable part starts.
    public var byteOffset: Int
    public var fileSize: Int
    /// The last readable moment, in seconds from the start of the recording.
    public var readableSeconds: Double
    /// What is wrong there, in words (`the file ends inside a chunk`).
    public var reason: String

    /// `recording cut at 00:12:31 (byte 1,234,567 of 1,300,000): the rest is unreadable (...)`.
    public var sentence: String {
        "recording cut at \(Format.clock(readableSeconds)) (byte \(Format.grouped(byteOffset)) of \(Format.grouped(fileSize))): "
            + "the rest is unreadable (\(reason))"
    }
}
