extension GPUID {
    /// Reads `node-10:6` (the node before the last colon, the index after it), as an operator
    /// types a GPU in `:rebalance --relieve` and `infertop ctl plan --relieve`; nil otherwise.
    public init?(operatorWords text: String) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
            let index = Int(text[text.index(after: colon)...]), index >= 0
        else { return nil }
        self.init(node: NodeID(String(text[..<colon])), index: index)
    }
}

extension RebalanceGoal {
    /// The goal from a flag and its subject, as the dashboard's `:rebalance` and `infertop ctl
    /// plan` take them: `--relieve node-10:6`, `--evacuate node-07`, `--move llama-405b/5`.
    /// - Returns: the goal, or the sentence that says what to type instead.
    public static func parse(flag: String, subject: String) -> Result<RebalanceGoal, RebalanceGoalError> {
        switch flag {
        case "--relieve":
            guard let gpu = GPUID(operatorWords: subject) else {
                return .failure(
                    RebalanceGoalError("--relieve needs NODE:GPU, e.g. --relieve node-10:6, not '\(subject)'"))
            }
            return .success(.relieve(gpu))
        case "--evacuate":
            return subject.isEmpty
                ? .failure(RebalanceGoalError("--evacuate needs a node")) : .success(.evacuate(NodeID(subject)))
        case "--move":
            guard let replica = ReplicaResolver.parse(subject) else {
                return .failure(RebalanceGoalError("--move needs MODEL/N, e.g. --move llama-405b/5, not '\(subject)'"))
            }
            return .success(.move(replica))
        default:
            return .failure(
                RebalanceGoalError("rebalance takes --relieve NODE:GPU, --evacuate NODE or --move MODEL/N, not \(flag)")
            )
        }
    }
}

/// A rebalance goal that could not be read, in one sentence saying what to type.
public struct RebalanceGoalError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
