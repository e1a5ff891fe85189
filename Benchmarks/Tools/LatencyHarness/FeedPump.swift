import InfertopCore
import InfertopWire
import Synchronization

/// Moves updates from the `AgentsFeed` to the consumer's mailbox, recording on the way the
/// arrival latency (publish to out of the feed, before the UI: splits transport from UI) and
/// how often updates were handed over out of order.
///
/// AgentsFeed yields each update after releasing the merger's lock, so two connections can
/// hand over their updates in the opposite order of their sequence numbers. For deltas that is
/// mostly harmless, but an older snapshot arriving after a newer one would replace the model's
/// state with a topology that lacks the newer node, which then stays off the screen. Counted
/// here; a snapshot older than one already passed on is dropped (it is superseded), so the run
/// is not stuck waiting for the missing node.
final class FeedPump: Sendable {
    /// Out-of-order hand-overs seen so far.
    struct Ordering {
        var lastSequence: UInt64 = 0
        var lastSnapshot: UInt64 = 0
        var reordered = 0
        var staleSnapshots = 0
    }

    let arrivals = Mutex<(measuring: Bool, seconds: [Double])>((false, []))
    let order = Mutex(Ordering())

    /// Runs until the feed ends or the task is cancelled.
    func start(_ feed: AgentsFeed, into mailbox: Mailbox) -> Task<Void, Never> {
        Task.detached { [self] in
            for await update in feed where !isStale(update) {
                if let reported = publishInstant(update) {
                    let arrived = secondsSinceEpoch() - reported
                    arrivals.withLock { if $0.measuring { $0.seconds.append(arrived) } }
                }
                mailbox.post(update)
            }
        }
    }

    private func isStale(_ update: ClusterUpdate) -> Bool {
        order.withLock { o in
            if update.sequence < o.lastSequence { o.reordered += 1 }
            o.lastSequence = max(o.lastSequence, update.sequence)
            guard case .snapshot(_, let sequence) = update else { return false }
            if sequence < o.lastSnapshot {
                o.staleSnapshots += 1
                return true
            }
            o.lastSnapshot = sequence
            return false
        }
    }
}

/// The harness's publish instant (seconds since `epoch`) of a delta that carries GPU samples
/// it published; nil for the fleet's start-up publish and for anything else.
func publishInstant(_ update: ClusterUpdate) -> Double? {
    guard case .delta(let delta) = update, let reported = delta.reportedTime, reported >= timeOffset,
        !delta.gpuSamples.isEmpty
    else { return nil }
    return reported - timeOffset
}
