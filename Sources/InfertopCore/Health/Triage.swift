/// Names the most likely culprit of the cluster's trouble right now, worst first.
///
/// Pure: reads a `ClusterState`, returns ranked `Culprit`s with reasons in operator words.
/// Scores put a lost node above memory pressure that preempts, above a degraded fabric,
/// above a throttled straggler, above a replica that is merely slow; each is raised by how
/// much the replica it hurts is slower than its peers.
public enum Triage {
    public static func rank(_ state: ClusterState, rules: HealthRules = HealthRules()) -> [Culprit] {
        let ratios = LatencyRatios(state)
        // Replicas an operator already took out of rotation (their node draining or drained) are
        // handled: their latency and KV cache no longer hurt anyone, so they name no culprit.
        let handled = state.replicasOutOfRotation
        var found = Findings(explained: handled)
        for n in state.topology.nodes.indices { hardwareCulprits(state, node: n, ratios, rules, into: &found) }
        found.culprits += sourceProblemCulprits(state)
        for replica in state.replicas where !handled.contains(replica.id) {
            guard let c = kvCulprit(state, replica: replica, ratios: ratios, rules: rules) else { continue }
            found.add(c, explains: c.severity == .crit ? replica.id : nil)
        }
        found.culprits += latencyOutliers(state, ratios, rules, explained: found.explained)
        for culprit in found.culprits { if let r = culprit.replica { found.explained.insert(r) } }
        found.culprits += requestCulprits(state, explained: found.explained, rules: rules)
        return found.culprits.sorted { a, b in
            a.score != b.score ? a.score > b.score : describe(a.subject) < describe(b.subject)
        }
    }

    /// Culprits so far, and the replicas whose slowness one of them already explains.
    private struct Findings {
        var culprits: [Culprit] = []
        var explained: Set<ReplicaID>

        mutating func add(_ culprit: Culprit, explains replica: ReplicaID?) {
            culprits.append(culprit)
            if let replica { explained.insert(replica) }
        }
    }

    /// A node that is not live, or its straggling GPUs, degraded fabric and bad ports.
    private static func hardwareCulprits(
        _ state: ClusterState, node n: Int, _ ratios: LatencyRatios, _ rules: HealthRules, into found: inout Findings
    ) {
        let node = state.topology.nodes[n]
        let status = state.nodeStatus[n]
        if status.reachability != .live {
            found.culprits.append(nodeCulprit(state, node: node, status: status))
            for r in state.replicas where r.nodes.contains(node.id) { found.explained.insert(r.id) }
            return
        }
        for (g, spec) in node.gpus.enumerated() {
            guard let sample = state.gpuSamples[n][g] else { continue }
            let replica = state.placement.replicasOnGPU[n][g].first.map { state.replicas[$0].id }
            if let c = stragglerCulprit(sample, model: spec.model, replica: replica, ratios: ratios, rules: rules) {
                found.add(c, explains: replica)
            }
        }
        if let c = fabricCulprit(state, nodeIndex: n, ratios: ratios, rules: rules) {
            found.add(c, explains: c.replica)
        }
        for port in state.ports[n] where port.state != .active || port.errorsPerSecond >= rules.portErrorsPerSecond {
            found.culprits.append(portCulprit(state, node: node, port: port))
        }
    }

    /// What the agent cannot read makes its figures doubtful, not the cluster slow: low rank.
    private static func sourceProblemCulprits(_ state: ClusterState) -> [Culprit] {
        state.problems.filter { !$0.value.isEmpty }.map { node, problems in
            let more = problems.count > 1 ? " (+\(problems.count - 1) more)" : ""
            return Culprit(
                subject: .node(node), kind: .sourceProblem, severity: .warn, score: 12,
                reason: "\(node): agent cannot read \(problems[0])\(more)", replica: nil)
        }
    }

    /// Serving replicas whose p99 TTFT is far above their peers' with nothing else to explain it.
    private static func latencyOutliers(
        _ state: ClusterState, _ ratios: LatencyRatios, _ rules: HealthRules, explained: Set<ReplicaID>
    ) -> [Culprit] {
        state.replicas.filter { !explained.contains($0.id) }.compactMap { replica in
            guard let ttft = ratios.ttft[replica.id], ttft >= rules.latencyRatio,
                let sample = state.replicaSamples[replica.id], sample.status == .serving,
                sample.ttftP99Seconds >= rules.latencyFloorSeconds
            else { return nil }
            let nodes = replica.nodes.map(\.name).joined(separator: ",")
            return Culprit(
                subject: .replica(replica.id), kind: .latencyOutlier, severity: .warn, score: 15 + min(ttft, 10),
                reason:
                    "replica \(replica.id) p99 TTFT \(Format.ratio(ttft)) of peers · \(sample.waitingRequests) waiting · on \(nodes)",
                replica: replica.id)
        }
    }

    /// Keeps the previous culprit on top while it is still nearly as bad, so the headline
    /// does not flicker between two close candidates.
    public static func stabilized(_ ranked: [Culprit], previous: Culprit?) -> [Culprit] {
        guard let previous, let top = ranked.first, top.subject != previous.subject,
            let keep = ranked.firstIndex(where: { $0.subject == previous.subject }),
            ranked[keep].score >= top.score * 0.85
        else { return ranked }
        var out = ranked
        out.insert(out.remove(at: keep), at: 0)
        return out
    }

    // MARK: - Rules

    private static func nodeCulprit(_ state: ClusterState, node: NodeSpec, status: NodeStatus) -> Culprit {
        let down = state.replicas.filter { $0.nodes.contains(node.id) }.map(\.id.description)
        let age = max(0, state.time - status.lastSampleTime)
        var reason =
            "\(node.id) \(status.reachability == .lost ? "lost" : "stale") · no samples for \(Format.duration(age)) · \(node.gpus.count) GPUs"
        if !down.isEmpty {
            reason += " · " + (down.count == 1 ? "replica " : "replicas ") + down.joined(separator: ", ")
            reason += status.reachability == .lost ? " down" : " at risk"
        }
        let lost = status.reachability == .lost
        return Culprit(
            subject: .node(node.id), kind: lost ? .nodeLost : .nodeStale, severity: .crit, score: lost ? 100 : 70,
            reason: reason, replica: nil)
    }

    /// The GPU of a replica with the least KV-cache room, when the replica runs out of it.
    ///
    /// Every GPU of a replica holds the same KV blocks, so the one whose pool is smallest (its
    /// memory squeezed by something else) fills first and sets the limit for all of them.
    private static func kvCulprit(
        _ state: ClusterState, replica: ReplicaSpec, ratios: LatencyRatios, rules: HealthRules
    ) -> Culprit? {
        var samples: [GPUSample] = []
        for gpu in replica.gpus {
            if let s = state.sample(gpu), state.status(gpu.node)?.reachability == .live { samples.append(s) }
        }
        guard let worst = samples.max(by: { ($0.memory.kvUsage, $1.gpu) < ($1.memory.kvUsage, $0.gpu) }) else {
            return nil
        }
        let kv = worst.memory.kvUsage
        let others = samples.filter { $0.gpu != worst.gpu }.map(\.memory.kvUsage).sorted()
        let peerKV = others.isEmpty ? nil : others[others.count / 2]
        let lopsided = peerKV.map { kv >= 0.6 && kv >= $0 * 1.5 } ?? false
        let preempting = worst.preemptionsPerSecond >= rules.preemptionsPerSecond
        // Out of KV cache: the engine preempts, or keeps requests waiting while the cache is
        // nearly full (or full on one squeezed GPU).
        let starved = preempting || (worst.waitingRequests > 0 && (kv >= rules.kvWarning || lopsided))
        guard kv >= rules.kvCritical || starved else { return nil }
        var parts = ["KV cache \(Format.percent(kv))"]
        if lopsided, let peerKV { parts[0] += " (peers \(Format.percent(peerKV)))" }
        if preempting { parts.append("\(Format.fixed(worst.preemptionsPerSecond, 1)) preemptions/s") }
        if worst.waitingRequests > 0 { parts.append("\(worst.waitingRequests) waiting") }
        let other = worst.memory.otherBytes
        if other >= 4 * gibibyte { parts.append("\(Format.gib(other)) GiB other") }
        var score =
            starved
            ? 60 + max(0, kv - rules.kvWarning) * 100 + min(worst.preemptionsPerSecond, 40)
                + Double(min(worst.waitingRequests, 20)) / 2
            : 25 + (kv - rules.kvWarning) * 50
        var text = "replica \(replica.id)"
        if let r = ratios.ttft[replica.id], r >= 1.3 {
            text += " p99 TTFT \(Format.ratio(r))"
            score += min(r, 10) * 2
        }
        parts.append(text)
        return Culprit(
            subject: .gpu(worst.gpu), kind: .kvPressure, severity: starved ? .crit : .warn,
            score: score, reason: "\(worst.gpu): " + parts.joined(separator: " · "), replica: replica.id)
    }

    /// A port that is down or erroring, and the replicas whose pipeline hops cross it.
    private static func portCulprit(_ state: ClusterState, node: NodeSpec, port: PortSample) -> Culprit {
        var parts = [port.state == .active ? "port erroring" : "port \(port.state.rawValue.lowercased())"]
        if port.errorsPerSecond > 0 { parts.append("\(Format.fixed(port.errorsPerSecond, 0)) link errors/s") }
        let crossing = state.replicas.filter { $0.pipelineParallel > 1 && $0.nodes.contains(node.id) }.map(\.id)
        if !crossing.isEmpty {
            parts.append("pipeline of " + crossing.map(\.description).joined(separator: ", ") + " crosses it")
        }
        let flapping = port.errorsPerSecond >= 10
        return Culprit(
            subject: .port(node.id, port: port.port), kind: .portDown, severity: flapping ? .crit : .warn,
            score: flapping ? 48 : 35, reason: "\(node.id) \(port.port): " + parts.joined(separator: " · "),
            replica: crossing.first)
    }

    private static func stragglerCulprit(
        _ sample: GPUSample, model: GPUModel, replica: ReplicaID?, ratios: LatencyRatios, rules: HealthRules
    ) -> Culprit? {
        guard rules.isStraggler(sample, model: model) else { return nil }
        let drop = 1 - Double(sample.smClockMHz) / Double(model.maxSMClockMHz)
        let why = sample.throttle.words.first ?? "clock"
        var parts = [
            "\(why) throttle", "SM \(sample.smClockMHz) MHz (-\(Format.percent(drop)))",
            "\(Int(sample.temperatureCelsius.rounded()))°C"
        ]
        var score = 40 + drop * 40
        if let replica { parts.append(ratios.itlImpact(on: replica, lead: "slows replica", score: &score)) }
        return Culprit(
            subject: .gpu(sample.gpu), kind: .straggler, severity: .crit, score: score,
            reason: "\(sample.gpu): " + parts.joined(separator: " · "), replica: replica)
    }

    private static func fabricCulprit(
        _ state: ClusterState, nodeIndex n: Int, ratios: LatencyRatios, rules: HealthRules
    ) -> Culprit? {
        let degraded = state.fabricLinks[n].filter { rules.isDegraded($0) }
        guard
            let worst = degraded.max(by: {
                ($0.linksTotal - $0.linksUp, $0.errorsPerSecond) < ($1.linksTotal - $1.linksUp, $1.errorsPerSecond)
            })
        else { return nil }
        let node = state.topology.nodes[n]
        let gpu = GPUID(node: node.id, index: worst.gpu)
        let fabric = node.gpus.first?.model.vendor.fabricName ?? "fabric"
        var parts = ["\(fabric) to gpu\(worst.peer) \(worst.linksUp)/\(worst.linksTotal) links up"]
        if worst.errorsPerSecond >= rules.fabricErrorsPerSecond {
            parts.append("\(Format.fixed(worst.errorsPerSecond, 0)) errors/s")
        }
        let replica =
            state.placement.replicasOnGPU[n].indices.contains(worst.gpu)
            ? state.placement.replicasOnGPU[n][worst.gpu].first.map { state.replicas[$0].id } : nil
        let downShare = Double(worst.linksTotal - worst.linksUp) / Double(max(worst.linksTotal, 1))
        var score = 45 + downShare * 30 + min(worst.errorsPerSecond, 500) / 50
        if let replica { parts.append(ratios.itlImpact(on: replica, lead: "replica", score: &score)) }
        return Culprit(
            subject: .link(gpu, peer: worst.peer), kind: .fabricDegraded, severity: .crit, score: score,
            reason: "\(gpu): " + parts.joined(separator: " · "), replica: replica)
    }

    private static func describe(_ subject: CulpritSubject) -> String {
        switch subject {
        case .gpu(let g): g.description
        case .link(let g, let p): "\(g)-\(p)"
        case .node(let n): n.name
        case .port(let n, let p): "\(n) \(p)"
        case .replica(let r): r.description
        }
    }
}

/// How much slower each replica is than its peers (same model, layout and GPU model).
struct LatencyRatios {
    var ttft: [ReplicaID: Double] = [:]
    var itl: [ReplicaID: Double] = [:]

    init(_ state: ClusterState) {
        var groups: [String: [ReplicaSample]] = [:]
        for replica in state.replicas {
            guard let sample = state.replicaSamples[replica.id], sample.status == .serving else { continue }
            let gpuModel = replica.shards.first.flatMap { state.topology.gpu($0.gpu)?.model.shortName } ?? "?"
            groups["\(replica.model.name) \(replica.layout) \(gpuModel)", default: []].append(sample)
        }
        for samples in groups.values where samples.count >= 2 {
            let ttfts = samples.map(\.ttftP99Seconds).sorted()
            let itls = samples.map(\.itlP99Seconds).sorted()
            for sample in samples {
                let ttftPeer = Self.medianWithout(sample.ttftP99Seconds, in: ttfts)
                let itlPeer = Self.medianWithout(sample.itlP99Seconds, in: itls)
                if ttftPeer > 0 { ttft[sample.replica] = sample.ttftP99Seconds / ttftPeer }
                if itlPeer > 0 { itl[sample.replica] = sample.itlP99Seconds / itlPeer }
            }
        }
    }

    /// `replica llama-405b/3 ITL x1.6`: the replica a hardware fault slows, with how much slower
    /// its inter-token latency is than its peers'; a clear slowdown raises the culprit's score.
    func itlImpact(on replica: ReplicaID, lead: String, score: inout Double) -> String {
        guard let r = itl[replica], r >= 1.2 else { return "\(lead) \(replica)" }
        score += min(r, 10) * 2
        return "\(lead) \(replica) ITL \(Format.ratio(r))"
    }

    /// The median of `sorted` with one copy of `value` left out, without copying: a group of
    /// a thousand replicas costs one sort, not a thousand.
    static func medianWithout(_ value: Double, in sorted: [Double]) -> Double {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        let skip = lo
        let m = sorted.count - 1
        guard m > 0 else { return 0 }
        func at(_ k: Int) -> Double { sorted[k < skip ? k : k + 1] }
        return m % 2 == 1 ? at(m / 2) : (at(m / 2 - 1) + at(m / 2)) / 2
    }
}
