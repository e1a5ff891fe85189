import Foundation
import InfertopCore
import InfertopUI
import InfertopWire
import Synchronization

/// Carries the dashboard's control effects to the coordinating agent and brings the answers back
/// as messages: each confirmed action one `Control` call, and the coordinator's journal and audit
/// log polled every second for views 5 and 6.
///
/// Calls run in tasks of their own; the drawing loop only reads the mailbox, so a slow or dead
/// coordinator never blocks a key.
final class ControlBridge: Sendable {
    let client: ControlClient?
    /// Why there is no client (`--readonly`, no coordinator): the refusal shown for any call.
    let unavailable: String
    private let messages = Mutex<[Msg]>([])
    private let poller = Mutex<Task<Void, Never>?>(nil)
    private let lastSeen = Mutex<([OperationRecord], [AuditRecord])?>(nil)

    init(
        client: ControlClient?,
        unavailable: String = "this dashboard has no coordinating agent to send control calls to"
    ) {
        self.client = client
        self.unavailable = unavailable
    }

    /// Sends one confirmed action; its answer arrives as `Msg.controlFinished`.
    func perform(_ request: ControlRequest) {
        guard let client else {
            post(.controlFinished(request.id, .failure(ControlFailure(unavailable))))
            return
        }
        // A globally unique id, so a retry from this dashboard (or another) never collides.
        let id = OperationID("\(request.id)-\(UUID().uuidString.prefix(8).lowercased())")
        Task {
            do {
                let record = try await client.send(
                    id: id, kind: request.kind, nodes: request.targets, reason: request.reason,
                    madeFrom: request.plan?.madeFrom ?? request.madeFrom, goal: request.plan?.goal)
                post(.controlFinished(request.id, .success(record)))
                await refresh()
            } catch {
                post(.controlFinished(request.id, .failure(ControlFailure("\(error)"))))
            }
        }
    }

    /// Polls the coordinator's journal and audit log every second until `stop()`.
    func startPolling() {
        guard client != nil else { return }
        let task = Task {
            while !Task.isCancelled {
                await refresh()
                try? await Task.sleep(for: .seconds(1))
            }
        }
        poller.withLock { $0 = task }
    }

    func stop() { poller.withLock { $0?.cancel() } }

    /// Messages that arrived since the last call, oldest first.
    func drain() -> [Msg] {
        messages.withLock { queue in
            defer { queue.removeAll() }
            return queue
        }
    }

    private func refresh() async {
        guard let client, let (operations, audit) = try? await client.journal() else { return }
        // Only changes wake the screen: an idle dashboard draws nothing.
        let changed = lastSeen.withLock { last in
            defer { last = (operations, audit) }
            return last.map { $0.0 != operations || $0.1 != audit } ?? true
        }
        guard changed else { return }
        post(.operationsUpdated(operations))
        post(.auditUpdated(audit))
    }

    private func post(_ msg: Msg) { messages.withLock { $0.append(msg) } }
}
