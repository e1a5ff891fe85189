import Foundation
import InfertopCore

/// A rebalance plan as `infertop ctl plan` prints it: the moves with their steps, what cannot
/// be placed and why, and the impact (memory per GPU before and after, bytes to load and the
/// time at the source's bandwidth, the least capacity per model during the moves).
enum PlanText {
    static func lines(_ plan: RebalancePlan) -> String {
        let impact = plan.impact
        var out = ["rebalance \(plan.goal)  (made from state \(plan.madeFrom); nothing changes until it is applied)"]
        out.append(
            plan.moves.isEmpty
                ? "moves: none"
                : "moves: \(plan.moves.count), \(Format.gib(impact.bytesToLoad)) GiB of weights to load, about \(Format.duration(impact.estimatedSeconds))"
        )
        for move in plan.moves {
            out.append(
                "  \(move.replica): \(GPURanges.words(move.fromGPUs)) -> \(GPURanges.words(move.toGPUs)), "
                    + "\(Format.gib(move.weightsBytes)) GiB from \(move.loadSource), about \(Format.duration(move.estimatedSeconds))"
            )
            for (n, step) in move.steps.enumerated() { out.append("    \(n + 1). \(step)") }
        }
        if !plan.unplaced.isEmpty {
            out.append("cannot place:")
            for item in plan.unplaced { out.append("  \(item.reason)") }
        }
        if !impact.capacity.isEmpty {
            out.append("capacity (serving now -> at the worst step):")
            for model in impact.capacity {
                out.append("  \(model.model): \(model.servingNow) -> \(model.servingAtWorst)")
            }
        }
        if !impact.memory.isEmpty {
            out.append("memory per GPU (GiB used / capacity, before -> after):")
            for change in impact.memory {
                out.append(
                    "  \(change.gpu): \(Format.gib(change.beforeBytes)) -> \(Format.gib(change.afterBytes)) of \(Format.gib(change.capacityBytes))"
                )
            }
        }
        return out.joined(separator: "\n")
    }

    static func json(_ plan: RebalancePlan) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(PlanJSON(plan))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// The plan's JSON shape for scripts: names as operators write them, bytes and seconds as numbers.
private struct PlanJSON: Encodable {
    struct Move: Encodable {
        let replica: String
        let from: [String]
        let to: [String]
        let weightsBytes: UInt64
        let loadSource: String
        let estimatedSeconds: Double
        let steps: [String]
    }
    struct Unplaced: Encodable {
        let replica: String
        let reason: String
    }
    struct Capacity: Encodable {
        let model: String
        let servingNow: Int
        let servingAtWorst: Int
    }
    struct Memory: Encodable {
        let gpu: String
        let capacityBytes: UInt64
        let beforeBytes: UInt64
        let afterBytes: UInt64
    }
    let goal: String
    let madeFrom: String
    let complete: Bool
    let moves: [Move]
    let unplaced: [Unplaced]
    let bytesToLoad: UInt64
    let estimatedSeconds: Double
    let capacity: [Capacity]
    let memory: [Memory]

    init(_ plan: RebalancePlan) {
        goal = plan.goal.description
        madeFrom = plan.madeFrom.description
        complete = plan.isComplete
        moves = plan.moves.map { move in
            Move(
                replica: move.replica.description, from: move.fromGPUs.map(\.description),
                to: move.toGPUs.map(\.description),
                weightsBytes: move.weightsBytes, loadSource: move.loadSource.description,
                estimatedSeconds: move.estimatedSeconds, steps: move.steps.map(\.description))
        }
        unplaced = plan.unplaced.map { Unplaced(replica: $0.replica.description, reason: $0.reason) }
        bytesToLoad = plan.impact.bytesToLoad
        estimatedSeconds = plan.impact.estimatedSeconds
        capacity = plan.impact.capacity.map {
            Capacity(model: $0.model, servingNow: $0.servingNow, servingAtWorst: $0.servingAtWorst)
        }
        memory = plan.impact.memory.map {
            Memory(
                gpu: $0.gpu.description, capacityBytes: $0.capacityBytes, beforeBytes: $0.beforeBytes,
                afterBytes: $0.afterBytes)
        }
    }
}
