import Synchronization

/// A one-way switch that long-running handlers wait on: once a server begins to shut down it is
/// set, and every `wait()` (present and future) returns.
///
/// A gRPC server's graceful shutdown lets open RPCs run to their end; a `Subscribe` stream has
/// no end of its own, so its handler also waits on this latch and finishes when it is set.
public final class ShutdownLatch: Sendable {
    private struct State {
        var isSet = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether shutdown has begun.
    public var isSet: Bool { state.withLock { $0.isSet } }

    /// Sets the latch and wakes every waiter. Setting it again does nothing.
    public func set() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            guard !s.isSet else { return [] }
            s.isSet = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the latch is set, or when the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.isSet || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}
