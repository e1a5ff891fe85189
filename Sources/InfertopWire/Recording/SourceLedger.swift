import InfertopCore

/// What a recorder knows of each source, kept so that a new file of a rotated recording can start
/// with a full snapshot and replay alone.
///
/// For each agent: its last connection state, and its node as one wire snapshot with every delta
/// since folded in (samples by key, as the agent itself merges them; the newest spans, up to
/// `spanLimit`). For each fleet source: its last connection state and its last refresh (each
/// refresh is whole). Replayed, these give the cluster as it stood, less its history.
struct SourceLedger {
    /// Spans kept per source for the snapshot: as many as an agent's own snapshot carries.
    static let spanLimit = 2_048

    private struct Source {
        var status: SourceStatus?
        /// The node's snapshot with every later delta folded in; nil before the first snapshot.
        var snapshot: Infertop_V1_Update?
        var version = ""
        var lastMessageMicros: Int64 = 0
        var statusMicros: Int64 = 0
    }

    private var order: [String] = []
    private var sources: [String: Source] = [:]
    /// Fleet sources, in the order first heard: their last status and refresh, with their times.
    private var fleetOrder: [String] = []
    private var fleets: [String: [FleetEntryKind: RecordedEntry]] = [:]

    /// What is kept of a fleet source.
    private enum FleetEntryKind { case status, refresh }

    mutating func fold(_ entry: RecordedEntry) {
        switch entry.input {
        case .start(let addresses):
            order = addresses
            sources = [:]
        case .status(let status):
            remember(status.address)
            sources[status.address, default: Source()].status = status
            sources[status.address, default: Source()].statusMicros = entry.micros
        case .message(let message, let address, let version):
            remember(address)
            var source = sources[address, default: Source()]
            source.version = version
            source.lastMessageMicros = entry.micros
            switch message.body {
            case .snapshot:
                source.snapshot = message
                trimSpans(&source.snapshot)
            case .delta(let values):
                if var folded = source.snapshot {
                    Self.fold(values, into: &folded.snapshot.values)
                    folded.time = message.time
                    folded.sequence = message.sequence
                    folded.coalescedUpdates = message.coalescedUpdates
                    folded.spansDroppedInTransit = message.spansDroppedInTransit
                    source.snapshot = folded
                    trimSpans(&source.snapshot)
                }
            case .heartbeat, .none:
                break
            }
            sources[address] = source
        case .fleet(let event, let address):
            if fleets[address] == nil { fleetOrder.append(address) }
            switch event {
            case .status: fleets[address, default: [:]][.status] = entry
            case .refresh: fleets[address, default: [:]][.refresh] = entry
            case .history: break
            }
        case .tick:
            break
        }
    }

    /// The inputs that rebuild the cluster as it stands, to start a new file at `micros`: the
    /// sources, then for each its last connection state and its node's snapshot, each at the time
    /// it arrived (a message after a state change makes the source live again, as it did live).
    /// Times never go backwards and none is after `micros`.
    func keyframe(at micros: Int64) -> [RecordedEntry] {
        var entries: [RecordedEntry] = []
        for address in order {
            guard let s = sources[address] else { continue }
            if let status = s.status {
                entries.append(RecordedEntry(micros: min(s.statusMicros, micros), input: .status(status)))
            }
            if var snapshot = s.snapshot {
                let spans = snapshot.snapshot.values.spans.count
                if spans > Self.spanLimit { snapshot.snapshot.values.spans.removeFirst(spans - Self.spanLimit) }
                entries.append(
                    RecordedEntry(
                        micros: min(s.lastMessageMicros, micros),
                        input: .message(snapshot, from: address, version: s.version)))
            }
        }
        for address in fleetOrder {
            for kind in [FleetEntryKind.status, .refresh] {
                guard let kept = fleets[address]?[kind] else { continue }
                entries.append(RecordedEntry(micros: min(kept.micros, micros), input: kept.input))
            }
        }
        // Stable: a source's state and message at one time keep their order.
        entries = entries.enumerated().sorted { ($0.element.micros, $0.offset) < ($1.element.micros, $1.offset) }.map(
            \.element)
        let first = entries.first?.micros ?? micros
        return [RecordedEntry(micros: first, input: .start(sources: order))] + entries
    }

    private mutating func remember(_ address: String) {
        if sources[address] == nil && !order.contains(address) { order.append(address) }
    }

    /// Keeps about `spanLimit` spans (trimmed every 512, not on every delta).
    private func trimSpans(_ update: inout Infertop_V1_Update?) {
        guard let count = update?.snapshot.values.spans.count, count > Self.spanLimit + 512 else { return }
        update?.snapshot.values.spans.removeFirst(count - Self.spanLimit)
    }

    /// Folds a delta into a snapshot's values as the merger reads them: GPU and replica samples
    /// by key, link and port lists replaced when sent, the rest when set; spans appended.
    static func fold(_ delta: Infertop_V1_Delta, into values: inout Infertop_V1_Delta) {
        for gpu in delta.gpus {
            if let i = values.gpus.firstIndex(where: { $0.index == gpu.index }) {
                values.gpus[i] = gpu
            } else {
                values.gpus.append(gpu)
            }
        }
        if !delta.fabricLinks.isEmpty { values.fabricLinks = delta.fabricLinks }
        if !delta.ports.isEmpty { values.ports = delta.ports }
        for replica in delta.replicas {
            if let i = values.replicas.firstIndex(where: { $0.model == replica.model && $0.index == replica.index }) {
                values.replicas[i] = replica
            } else {
                values.replicas.append(replica)
            }
        }
        if delta.lifecycle != .unspecified { values.lifecycle = delta.lifecycle }
        if delta.problemsChanged {
            values.problems = delta.problems
            values.problemsChanged = true
        }
        if delta.hasSpanStorage { values.spanStorage = delta.spanStorage }
        values.spans.append(contentsOf: delta.spans)
    }
}
