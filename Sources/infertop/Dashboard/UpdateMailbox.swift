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

    /// Posts every update of `feed` here from a task of its own, until the feed ends or the
    /// returned task is cancelled.
    func follow<Feed: ClusterFeed>(_ feed: Feed) -> Task<Void, Never> {
        Task.detached {
            do {
                for try await update in feed { self.post(update) }
            } catch {}
        }
    }

    func drain() -> [ClusterUpdate] {
        pending.withLock { queue in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }
}
