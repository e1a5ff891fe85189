import Foundation
import InfertopCollectors
import InfertopCore
import InfertopWire
import Logging

extension NodeAgent {
    /// The control center `[control]` configures, with the coordinator's view for its snapshots;
    /// nil when no executor is configured.
    func makeControl(node: NodeID, replicas: [ReplicaSpec], view: CoordinatorView, logger: Logger) throws
        -> ControlCenter?
    {
        guard !config.control.executors.isEmpty else { return nil }
        let executor = try NodeExecutors.make(config, node: node, replicas: replicas)
        return try ControlCenter.configured(
            config.control, executor: executor, snapshot: { view.snapshot(operations: $0.records) },
            clock: { Date().timeIntervalSince1970 }, logger: logger)
    }

    /// Collects, assembles and publishes to `hub` every `config.intervalSeconds`, on a fixed
    /// cadence, until the task is cancelled.
    func publishEveryInterval(
        _ collectors: [any Collector], _ assembler: NodeAssembler, hub: SubscriptionHub, control: ControlCenter?,
        logger: Logger
    ) async throws {
        let clock = ContinuousClock()
        let interval = Duration.milliseconds(Int(config.intervalSeconds * 1000))
        var deadline = clock.now
        var lastProblems: [String] = []
        while !Task.isCancelled {
            let readings = await collect(collectors, logger: logger)
            let now = Date().timeIntervalSince1970
            let assembly = assembler.assemble(readings, at: now)
            metrics?.recordSamples(assembly.gpuSamples.count)
            var values = Self.values(assembler.node, assembly)
            // Problems travel only when they change, so a steady failure costs nothing.
            let problems = readings.flatMap(\.errors)
            if problems != lastProblems {
                values.problems = problems
                lastProblems = problems
            }
            if let control {
                values.lifecycle = NodeLifecycle.from(operations: control.journal.records, node: assembler.node)
            }
            hub.publish(values, time: now)
            deadline = deadline.advanced(by: interval)
            try await clock.sleep(until: deadline, tolerance: nil)
        }
    }

    /// One pass's samples as the hub takes them.
    static func values(_ node: NodeID, _ assembly: NodeAssembly) -> NodeValues {
        var values = NodeValues(node: node)
        for s in assembly.gpuSamples { values.gpus[s.gpu.index] = s }
        if !assembly.fabricLinks.isEmpty { values.fabricLinks = assembly.fabricLinks }
        if !assembly.ports.isEmpty { values.ports = assembly.ports }
        for r in assembly.replicaSamples { values.replicas[r.replica] = r }
        return values
    }
}
