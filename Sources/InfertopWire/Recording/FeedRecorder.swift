import Foundation
import Synchronization

/// Records what a feed receives, for `infertop replay`: give one to `AgentsFeed.recorder` and
/// every input the merger folds (agent messages with their spans, connection states, ticks) is
/// written with its receive time, so a replay makes the very same `ClusterUpdate`s.
///
/// Safe to call from any thread; a write error stops the recording (the feed goes on) and is kept
/// in `failure` for the command to report. Call `close()` when the feed ends: it writes the last
/// chunk (a crash loses at most the few seconds of that chunk; the rest replays).
public final class FeedRecorder: Sendable {
    private struct State {
        var writer: RecordingWriter?
        var failure: RecordingWriteError?
        var rotations = 0
    }

    private let state: Mutex<State>

    /// Creates (or truncates) `path` now, so a bad path fails before the dashboard starts.
    ///
    /// - Parameters:
    ///   - source: what is recorded, as the dashboard's header names it (`demo seed 7`).
    ///   - maxBytes: rotate past about this size (`FILE` moves to `FILE.1`); nil never rotates.
    public init(path: String, source: String, maxBytes: Int? = nil) throws(RecordingWriteError) {
        state = Mutex(State(writer: try RecordingWriter(path: path, source: source, maxBytes: maxBytes)))
    }

    /// Test seam: chunk length and size.
    init(path: String, source: String, maxBytes: Int?, chunkSeconds: Double, chunkBytes: Int)
        throws(RecordingWriteError)
    {
        var w = try RecordingWriter(path: path, source: source, maxBytes: maxBytes)
        w.chunkSeconds = chunkSeconds
        w.chunkBytes = chunkBytes
        state = Mutex(State(writer: w))
    }

    /// Writes one input received at `micros` on the feed's clock.
    public func record(_ input: FeedInput, at micros: Int64) {
        state.withLock { s in
            guard s.writer != nil else { return }
            do throws(RecordingWriteError) {
                try s.writer?.append(
                    RecordedEntry(micros: micros, input: input), wallClock: Date().timeIntervalSince1970)
                s.rotations = s.writer?.rotations ?? s.rotations
            } catch {
                Self.stop(&s, error)
            }
        }
    }

    /// Writes what is pending and closes the file; later inputs are not recorded.
    public func close() {
        state.withLock { s in
            do throws(RecordingWriteError) { try s.writer?.finish() } catch { Self.stop(&s, error) }
            s.writer?.close()
            s.writer = nil
        }
    }

    /// Why recording stopped early, if it did.
    public var failure: RecordingWriteError? { state.withLock { $0.failure } }

    /// How many times the file was rotated.
    public var rotations: Int { state.withLock { $0.rotations } }

    private static func stop(_ s: inout State, _ error: RecordingWriteError) {
        s.failure = error
        s.writer?.close()
        s.writer = nil
    }
}
