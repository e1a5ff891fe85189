import Foundation
import InfertopAgent
import InfertopCore
import InfertopSim
import InfertopUI
import InfertopWire
import Synchronization

// MARK: - Latency mode

/// Where the feed task leaves updates for the consumer thread, which takes them all at once,
/// as `UpdateMailbox` does in the dashboard; here the consumer sleeps on a condition instead
/// of polling, so no frame pacing is added to what is measured.
final class Mailbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [ClusterUpdate] = []

    func post(_ update: ClusterUpdate) {
        condition.lock()
        if case .snapshot = update { queue.removeAll() }
        queue.append(update)
        condition.signal()
        condition.unlock()
    }

    /// Everything queued; waits up to `timeout` seconds for something to arrive.
    func drain(timeout: Double) -> [ClusterUpdate] {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while queue.isEmpty {
            if !condition.wait(until: deadline) { break }
        }
        defer { queue.removeAll(keepingCapacity: true) }
        return queue
    }
}

/// What the consumer thread reports back.
final class ConsumerReport: @unchecked Sendable {
    let lock = NSLock()
    var nodesKnown = 0
    var sources: [String: SourceStatus] = [:]
    var figures = Figures()
    var measuring = false
    var stop = false

    /// What the consumer measured.
    struct Figures {
        var latencies: [Double] = []
        var frames = 0
        var updatesApplied = 0
        var batchSizes: [Int] = []
        /// Wall time the consumer spent in `update` and in `view` + `diff` while measuring.
        var updateSeconds = 0.0
        var renderSeconds = 0.0
        var measuredUpdates = 0
        var measuredFrames = 0
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(sorted.count - 1, max(0, rank))]
}

/// User + system CPU of the whole process, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
