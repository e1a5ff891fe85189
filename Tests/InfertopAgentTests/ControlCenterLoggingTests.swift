import InfertopCore
import Logging
import Synchronization
import Testing

@testable import InfertopAgent

/// The coordinator's log: each operation's events carry its id as `op`, with its kind and
/// nodes, so one `grep op=...` finds an operation's whole story.
@Suite(.serialized) struct ControlCenterLoggingTests {
    /// A log handler that keeps every event, with the logger's and the call's metadata merged.
    struct Recorder: LogHandler {
        final class Events: Sendable {
            private let storage = Mutex<[(Logger.Level, String, Logger.Metadata)]>([])
            var all: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { storage.withLock { $0 } }
            func append(_ event: (Logger.Level, String, Logger.Metadata)) { storage.withLock { $0.append(event) } }
        }

        let events: Events
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            events.append((event.level, event.message.description, metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }

    @Test(.timeLimit(.minutes(5))) func anOperation_logsAcceptedStepsAndFinished_underItsID() async throws {
        let events = Recorder.Events()
        let rig = try ControlCenterTests.Rig()
        try await rig.ready()
        let center = try rig.center(logger: Logger(label: "test") { _ in Recorder(events: events) })
        let call = ControlCall(id: OperationID("op-7"), kind: .cordon, nodes: ["node-03"], reason: "ib port flapping")
        _ = try await center.submit(call, by: ControlCenterTests.alice).get()
        _ = try #require(await center.wait(for: "op-7"))
        let messages = events.all.map(\.message)
        #expect(messages == ["operation accepted", "step done", "operation finished"], "\(events.all)")
        #expect(events.all.allSatisfy { $0.metadata["op"]?.description == "op-7" }, "\(events.all)")
        let accepted = try #require(events.all.first)
        #expect(accepted.level == .info)
        #expect(accepted.metadata["kind"]?.description == "cordon")
        #expect(accepted.metadata["by"]?.description == "alice")
        #expect(accepted.metadata["nodes"] == .array([.string("node-03")]))
        let finished = try #require(events.all.last)
        #expect(finished.level == .info && finished.metadata["status"]?.description == "done", "\(finished)")
        await rig.stop()
    }

    @Test(.timeLimit(.minutes(5))) func aRefusal_isANotice_withItsReason() async throws {
        let events = Recorder.Events()
        let rig = try ControlCenterTests.Rig()
        try await rig.ready()
        let center = try rig.center(logger: Logger(label: "test") { _ in Recorder(events: events) })
        let viewer = ControlCaller(name: "bob", role: .viewer)
        _ = await center.submit(ControlCenterTests.drain("op-8", ["node-03"]), by: viewer)
        let refused = try #require(events.all.first)
        #expect(events.all.count == 1)
        #expect(refused.level == .notice && refused.message == "operation refused")
        #expect(refused.metadata["op"]?.description == "op-8")
        #expect(refused.metadata["result"]?.description.hasPrefix("denied:") == true, "\(refused)")
        await rig.stop()
    }
}
