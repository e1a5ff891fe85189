/// How bad something is, in three calm steps.
public enum Severity: Int, Sendable, Hashable, Comparable {
    case ok = 0
    case warn = 1
    case crit = 2

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The thresholds that turn readings into severities and culprits.
public struct HealthRules: Sendable, Hashable {
    /// KV-cache usage at which a GPU is out of room (preemptions follow).
    public var kvCritical = 0.95
    public var kvWarning = 0.85
    /// Preemptions per second that count as pressure.
    public var preemptionsPerSecond = 0.5
    /// A clock this far under its maximum while throttled makes a straggler.
    public var clockDropFraction = 0.15
    public var temperatureWarningCelsius = 87.0
    /// Fabric errors per second that count as a degraded link.
    public var fabricErrorsPerSecond = 1.0
    /// Port errors (symbol, link-downed, receive) per second that count as a bad port.
    public var portErrorsPerSecond = 1.0
    /// A replica this many times slower than its peers is an outlier.
    public var latencyRatio = 3.0
    /// A p99 under this is never called an outlier, however it compares.
    public var latencyFloorSeconds = 1.5
    /// Failed requests in the trace window that make a replica a culprit on their own.
    public var failedRequestsForCulprit = 3
    /// Seconds without samples before a node counts as stale.
    public var staleAfterSeconds = 2.5
    /// Seconds without samples before a node counts as lost (its replicas down).
    public var lostAfterSeconds = 10.0

    public init() {}

    /// The severity of one GPU reading, for colouring it.
    public func severity(of sample: GPUSample, model: GPUModel) -> Severity {
        if sample.memory.kvUsage >= kvCritical || sample.memory.usedFraction >= 0.995 { return .crit }
        if isStraggler(sample, model: model) { return .crit }
        if sample.memory.kvUsage >= kvWarning || sample.preemptionsPerSecond >= preemptionsPerSecond { return .warn }
        if sample.temperatureCelsius >= temperatureWarningCelsius
            || !sample.throttle.intersection(.slowing).isEmpty
        {
            return .warn
        }
        return .ok
    }

    /// A GPU held well under its maximum clock for a slowing reason.
    public func isStraggler(_ sample: GPUSample, model: GPUModel) -> Bool {
        !sample.throttle.intersection(.slowing).isEmpty
            && Double(sample.smClockMHz) < Double(model.maxSMClockMHz) * (1 - clockDropFraction)
    }

    /// Whether a link sample shows a degraded fabric.
    public func isDegraded(_ link: FabricLinkSample) -> Bool {
        link.linksUp < link.linksTotal || link.errorsPerSecond >= fabricErrorsPerSecond
    }
}
