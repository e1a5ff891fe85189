import InfertopCore
import Synchronization

/// Where feed tasks leave updates for the drawing loop, which takes them all at once.
///
/// The loop never waits on a feed: it drains whatever arrived between frames.
final class UpdateMailbox: Sendable {
    private let pending = Mutex<[ClusterUpdate]>([])

    func post(_ update: ClusterUpdate) {
        pending.withLock { queue in
            // A snapshot supersedes everything before it.
            if case .snapshot = update { queue.removeAll() }
            queue.append(update)
        }
    }

    func drain() -> [ClusterUpdate] {
        pending.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}
