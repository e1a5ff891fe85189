/// Turns cumulative counters into per-second rates between two passes.
///
/// Hardware counters only grow, except when a driver reloads or someone clears them: a value
/// below the previous one is taken as a reset, and the new value as what was counted since.
/// Shared by the NVML and InfiniBand collectors.
struct HardwareCounterRates<Key: Hashable & Sendable>: Sendable {
    private struct Last: Sendable {
        var value: UInt64
        var time: Double
    }

    private var last: [Key: Last] = [:]

    init() {}

    /// The rate of `key` since its last value, or nil the first time it is seen (or when the
    /// clock did not move forward, which also restarts the baseline).
    mutating func rate(_ key: Key, _ value: UInt64, at time: Double) -> Double? {
        defer { last[key] = Last(value: value, time: time) }
        guard let previous = last[key], time > previous.time, time.isFinite else { return nil }
        let delta = value >= previous.value ? value - previous.value : value
        return Double(delta) / (time - previous.time)
    }

    /// Forgets keys not in `keys` (ports or GPUs that went away), so the table cannot grow.
    mutating func keep(only keys: Set<Key>) {
        last = last.filter { keys.contains($0.key) }
    }
}
