/// The process was asked to stop by a signal (SIGINT, SIGTERM, SIGHUP) and did so cleanly:
/// it exits with 128 + the signal's number, the status a shell shows for a process the signal
/// ended, so scripts and systemd see why it stopped.
public struct StoppedBySignal: Error, Sendable, Equatable {
    public let signal: Int32

    public init(signal: Int32) { self.signal = signal }

    /// 128 + the signal's number.
    public var exitStatus: Int32 { 128 + signal }
}
