import Foundation

/// A node as `scontrol show node -o` describes it: the base state, its flags and the reason.
public struct SlurmNodeState: Sendable, Hashable {
    /// `IDLE`, `ALLOCATED`, `MIXED`, `DOWN`...
    public let base: String
    /// `DRAIN`, `NOT_RESPONDING`...
    public let flags: [String]
    /// The reason without the ` [user@time]` scontrol appends; nil when the node has none.
    public let reason: String?

    /// Parses the one-line form. `Reason=` is the last field and holds spaces, like `OS=`, so the
    /// line is read field by field from known names, never split on spaces.
    public init?(oneLine text: String) {
        guard let stateRange = text.range(of: " State=") ?? text.range(of: "State=") else { return nil }
        let state = text[stateRange.upperBound...].prefix { $0 != " " && $0 != "\n" }
        let parts = state.split(separator: "+").map(String.init)
        guard let base = parts.first else { return nil }
        self.base = base
        flags = Array(parts.dropFirst())
        if let reasonRange = text.range(of: " Reason=") {
            var reason = String(text[reasonRange.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
            if let stamp = reason.range(of: " [", options: .backwards), reason.hasSuffix("]") {
                reason = String(reason[..<stamp.lowerBound])
            }
            self.reason = reason
        } else {
            reason = nil
        }
    }

    /// DRAIN set and nothing running: Slurm's DRAINED.
    public var isDrained: Bool { flags.contains("DRAIN") && ["IDLE", "DOWN"].contains(base) }
    /// DRAIN set with jobs still running: Slurm's DRAINING.
    public var isDraining: Bool { flags.contains("DRAIN") && !isDrained }
    /// Whether infertop set the drain (its reason carries the `infertop:` prefix).
    public var drainedByInfertop: Bool { reason?.hasPrefix("infertop: ") == true }
}
