import InfertopCore
import Logging

extension ControlCenter {
    /// A call's log metadata: `op` (the operation id a dashboard and `infertop ctl ops` show),
    /// `kind`, `nodes`, who asked (`by`), and `extra` on top.
    static func metadata(_ call: ControlCall, by caller: ControlCaller, _ extra: Logger.Metadata = [:])
        -> Logger.Metadata
    {
        var metadata: Logger.Metadata = [
            "op": "\(call.id)", "kind": "\(call.kind)", "by": "\(caller.name)"
        ]
        if !call.nodes.isEmpty { metadata["nodes"] = .array(call.nodes.map { .string($0.name) }) }
        return metadata.merging(extra) { _, extra in extra }
    }

    /// An operation's log metadata once it is journaled.
    static func metadata(_ record: OperationRecord) -> Logger.Metadata {
        [
            "op": "\(record.id)", "kind": "\(record.kind)",
            "nodes": .array(record.targets.map { .string($0.name) })
        ]
    }

    /// Logs how an operation ended: `info` when it succeeded, `warning` otherwise.
    func logFinished(_ record: OperationRecord) {
        var metadata = Self.metadata(record)
        metadata["status"] = "\(record.status)"
        if record.status == .succeeded {
            logger.info("operation finished", metadata: metadata)
        } else if record.status.isFinished {
            logger.warning("operation finished", metadata: metadata)
        } else {
            logger.info("operation stopped; the next agent resumes it", metadata: metadata)
        }
    }
}
