import Foundation
import InfertopCore
import InfertopUI

/// The consumer: a thread of its own, like the dashboard's drawing loop. It drains the mailbox,
/// applies each batch as the dashboard does (`update(&model, .clusterBatch)`), renders
/// (`view` + `diff`) and records sample-to-screen latency for every publish it has drawn.
final class Consumer: @unchecked Sendable {
    private let mailbox: Mailbox
    private let report: ConsumerReport
    private let renderEach: Bool
    private let agentCount: Int
    private let done = DispatchSemaphore(value: 0)

    // Touched only by the consumer thread.
    private var model = Model(
        size: Size(columns: 200, rows: 50), glyphs: .unicode, depth: .full, source: "latency harness")
    private var previous: Screen?
    private var stamps: [Double] = []
    private var local: [Double] = []
    private var frames = 0
    private var applied = 0
    private var batches: [Int] = []
    private var updateTime = 0.0
    private var renderTime = 0.0
    private var updatesSinceFlush = 0
    private var framesSinceFlush = 0

    init(mailbox: Mailbox, report: ConsumerReport, renderEach: Bool, agentCount: Int) {
        self.mailbox = mailbox
        self.report = report
        self.renderEach = renderEach
        self.agentCount = agentCount
    }

    func start() {
        let thread = Thread { [self] in
            while flush() { consume(mailbox.drain(timeout: 0.05)) }
            done.signal()
        }
        thread.name = "harness-ui"
        thread.start()
    }

    /// Waits for the thread to see `report.stop`.
    func wait() { done.wait() }

    /// Hands what the thread measured since the last flush to the report; false once asked to stop.
    private func flush() -> Bool {
        report.lock.lock()
        defer { report.lock.unlock() }
        if report.measuring {
            report.figures.latencies.append(contentsOf: local)
            report.figures.batchSizes.append(contentsOf: batches)
            report.figures.updateSeconds += updateTime
            report.figures.renderSeconds += renderTime
            report.figures.measuredUpdates += updatesSinceFlush
            report.figures.measuredFrames += framesSinceFlush
        }
        report.nodesKnown = model.live?.topology.nodes.count ?? 0
        if report.nodesKnown < agentCount { report.sources = model.live?.sources ?? [:] }
        report.figures.frames = frames
        report.figures.updatesApplied = applied
        local.removeAll(keepingCapacity: true)
        batches.removeAll(keepingCapacity: true)
        (updatesSinceFlush, framesSinceFlush, updateTime, renderTime) = (0, 0, 0, 0)
        return !report.stop
    }

    /// As the dashboard's loop: the batch at once (culprits ranked on feed time, every half
    /// second, not on every update), or update by update with --render-each.
    private func consume(_ batch: [ClusterUpdate]) {
        guard !batch.isEmpty else { return }
        batches.append(batch.count)
        stamps.append(contentsOf: batch.compactMap(publishInstant))
        for slice in renderEach ? batch.map({ [$0] }) : [batch] {
            let updateStart = secondsSinceEpoch()
            _ = update(&model, .clusterBatch(slice))
            updateTime += secondsSinceEpoch() - updateStart
            updatesSinceFlush += slice.count
            applied += slice.count
            render()
        }
    }

    private func render() {
        let renderStart = secondsSinceEpoch()
        let screen = view(model)
        let runs = screen.diff(from: previous)
        withExtendedLifetime(runs) {}
        previous = screen
        frames += 1
        let finished = secondsSinceEpoch()
        renderTime += finished - renderStart
        framesSinceFlush += 1
        local.append(contentsOf: stamps.map { finished - $0 })
        stamps.removeAll(keepingCapacity: true)
    }
}
