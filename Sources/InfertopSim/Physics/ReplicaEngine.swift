import InfertopCore

/// A serving engine for one replica (continuous batching with chunked prefill, vLLM-style).
///
/// Each tick it admits waiting requests while the KV cache has room, runs decode steps whose
/// time never goes below the weights-over-bandwidth floor, spends a chunk of each step on
/// prefill, grows the KV cache with every generated token and preempts the newest sequence
/// when the cache is full. Latencies of finished work feed sliding percentile windows.
final class ReplicaEngine {
    let spec: ReplicaSpec
    /// KV bytes one live token takes on each GPU of the replica.
    let kvBytesPerTokenPerGPU: Double
    /// The decode floor: weights read per step over HBM bandwidth, stages in turn.
    let floorSeconds: Double
    /// Step time added per live token (its KV read), stages in turn.
    let kvSecondsPerToken: Double
    /// Compute time per token processed in a step (prefill or decode), stages in turn.
    let computeSecondsPerToken: Double
    /// All-reduce and pipeline-hop time per step on healthy links.
    let commSeconds: Double
    let maxRunning = 256
    let prefillChunkTokens = 512.0

    var waiting: [SimRequest] = []
    var running: [SimRequest] = []
    var down = false
    /// Tokens the KV cache can hold: the smallest usable pool among its GPUs.
    var kvCapacityTokens = 0.0
    /// Step-time multiplier from the slowest GPU (thermal throttling).
    var slowdown = 1.0
    /// Extra seconds per step from degraded links.
    var extraCommSeconds = 0.0
    /// Seconds one activation hop between pipeline stages takes on a healthy link (part of `commSeconds`).
    static let healthyHopSeconds = 40e-6
    /// Extra seconds per hop from a flapping port (part of `extraCommSeconds`).
    var extraHopSeconds = 0.0
    /// Whether finished requests are kept in `finished` for their spans.
    var recordsFinished = true
    /// Requests that finished, aborted or were lost since the cluster last collected them.
    var finished: [FinishedRequest] = []
    /// Steps run, and seconds one pipeline hop took over them, since the engine started (up to the current tick).
    private(set) var stepClock = 0.0
    private(set) var hopClock = 0.0

    // Per-interval counters, reset by `takeInterval`.
    private(set) var preemptions = 0
    private(set) var generatedTokens = 0.0
    private(set) var processedTokens = 0.0
    private(set) var completions = 0
    private(set) var stepSeconds = 0.0
    private(set) var steps = 0.0
    private(set) var busySeconds = 0.0
    private(set) var computeShare = 0.0

    private var ttft = SlidingPercentiles(seconds: 60)
    private var itl = SlidingPercentiles(seconds: 60)
    /// Preemptions per second, smoothed over about ten seconds as a Prometheus `rate()` would.
    private var preemptionRate = 0.0

    init(spec: ReplicaSpec, topology: Topology) {
        self.spec = spec
        let gpusPerReplica = Double(spec.tensorParallel * spec.pipelineParallel)
        kvBytesPerTokenPerGPU = spec.model.kvBytesPerToken / gpusPerReplica
        floorSeconds = spec.decodeFloorSeconds(in: topology)
        let stages = Double(spec.pipelineParallel)
        let gpu = topology.gpu(spec.shards[0].gpu)?.model ?? .h100
        kvSecondsPerToken = stages * kvBytesPerTokenPerGPU / gpu.memoryBandwidthBytesPerSecond
        let flops = gpu.fp8FlopsPerSecond * (spec.model.bytesPerParameter >= 2 ? 0.5 : 1) * 0.55
        computeSecondsPerToken = 2 * spec.model.parameterCount / Double(spec.tensorParallel) / flops
        let allReduces = spec.tensorParallel > 1 ? Double(spec.model.layers * 2) * 9e-6 : 0
        commSeconds = allReduces + (stages - 1) * Self.healthyHopSeconds + 0.0008
    }

    var liveTokens: Double { running.reduce(0) { $0 + $1.liveTokens } }
    var kvUsage: Double { kvCapacityTokens > 0 ? min(1, liveTokens / kvCapacityTokens) : 0 }

    func enqueue(_ request: SimRequest) { waiting.append(request) }

    /// Drops every request: the replica went down when `node` was lost at `time`.
    func fail(at time: Double, node: NodeID) -> Int {
        let lost = waiting.count + running.count
        if recordsFinished {
            for request in running {
                var request = request
                request.steps += stepClock - request.stepMark
                request.hopSeconds += hopClock - request.hopMark
                finished.append(FinishedRequest(request: request, finishedAt: time, outcome: .lost(node)))
            }
            for request in waiting {
                finished.append(FinishedRequest(request: request, finishedAt: time, outcome: .lost(node)))
            }
        }
        waiting.removeAll()
        running.removeAll()
        return lost
    }

    /// Advances the engine from `start` by `dt` virtual seconds.
    func tick(start: Double, dt: Double) {
        guard !down else { return }
        admit(at: start)
        guard !running.isEmpty else { return }

        let live = liveTokens
        let decoding = Double(running.filter { $0.prefillRemaining <= 0 }.count)
        let prefillDemand = running.reduce(0) { $0 + max(0, $1.prefillRemaining) }
        let chunk = min(prefillDemand, prefillChunkTokens)
        let memory = floorSeconds + live * kvSecondsPerToken
        let compute = (decoding + chunk) * computeSecondsPerToken
        let step = max(memory, compute) * slowdown + commSeconds + extraCommSeconds
        let stepCount = dt / step
        steps += stepCount
        stepSeconds += step * stepCount
        busySeconds += dt
        computeShare = compute / max(memory, compute)

        runPrefill(start: start, dt: dt, budget: stepCount * chunk, step: step)
        runDecode(start: start, dt: dt, stepCount: stepCount, step: step)
        stepClock += stepCount
        hopClock += stepCount * (Self.healthyHopSeconds + extraHopSeconds)
        preemptWhileFull()
    }

    /// Clients give up on requests that wait this long (the router aborts them).
    let queueTimeoutSeconds = 30.0
    private(set) var aborted = 0

    private func admit(at time: Double) {
        if let oldest = waiting.first, oldest.scheduledAt == nil, time - oldest.arrival > queueTimeoutSeconds {
            let before = waiting.count
            if recordsFinished {
                for request in waiting where request.scheduledAt == nil && time - request.arrival > queueTimeoutSeconds
                {
                    finished.append(FinishedRequest(request: request, finishedAt: time, outcome: .aborted))
                }
            }
            waiting.removeAll { $0.scheduledAt == nil && time - $0.arrival > queueTimeoutSeconds }
            aborted += before - waiting.count
        }
        var live = liveTokens
        while let next = waiting.first, running.count < maxRunning {
            let need = next.liveTokens + 16
            guard live + need <= kvCapacityTokens * 0.99 else { break }
            var request = waiting.removeFirst()
            if request.scheduledAt == nil { request.scheduledAt = max(time, request.arrival) }
            request.stepMark = stepClock
            request.hopMark = hopClock
            live += request.liveTokens
            running.append(request)
        }
    }

    private func runPrefill(start: Double, dt: Double, budget: Double, step: Double) {
        guard budget > 0 else { return }
        let rate = budget / dt
        var used = 0.0
        for i in running.indices where running[i].prefillRemaining > 0 {
            let take = min(running[i].prefillRemaining, budget - used)
            guard take > 0 else { break }
            used += take
            running[i].prefillRemaining -= take
            running[i].prefilled += take
            processedTokens += take
            if running[i].prefillRemaining <= 0.5 {
                running[i].prefillRemaining = 0
                if running[i].firstTokenAt == nil {
                    // Its own prefill cannot start before it arrived; the first token takes one more step.
                    let prefillDone = max(start + used / rate, running[i].arrival + take / rate)
                    let at = prefillDone + step
                    running[i].firstTokenAt = at
                    ttft.record(at - running[i].arrival, at: at)
                }
            }
        }
    }

    private func runDecode(start: Double, dt: Double, stepCount: Double, step: Double) {
        let end = start + dt
        var done: [Int] = []
        for i in running.indices where running[i].prefillRemaining <= 0 {
            guard let first = running[i].firstTokenAt, first < end else { continue }
            let share = first > start ? (end - first) / dt : 1
            let gained = stepCount * share
            let left = Double(running[i].outputTokens - 1) - running[i].generated
            if gained >= left {
                let at = end - dt * share * (1 - left / max(gained, 1e-9))
                running[i].generated += max(0, left)
                generatedTokens += max(0, left)
                processedTokens += max(0, left)
                let perToken = (at - first) / Double(max(1, running[i].outputTokens - 1))
                itl.record(perToken, at: at)
                completions += 1
                done.append(i)
                if recordsFinished { record(running[i], finishedAt: at, stepsIntoTick: (at - start) / step) }
            } else {
                running[i].generated += gained
                generatedTokens += gained
                processedTokens += gained
            }
        }
        for i in done.reversed() { running.remove(at: i) }
    }

    /// Keeps a completed request for its spans, with the steps and hop time it took part in.
    private func record(_ request: SimRequest, finishedAt at: Double, stepsIntoTick: Double) {
        var request = request
        request.steps += stepClock + stepsIntoTick - request.stepMark
        request.hopSeconds += hopClock + stepsIntoTick * (Self.healthyHopSeconds + extraHopSeconds) - request.hopMark
        finished.append(FinishedRequest(request: request, finishedAt: at, outcome: .completed))
    }

    private func preemptWhileFull() {
        var live = liveTokens
        while live > kvCapacityTokens, running.count > 1 {
            var victim = running.removeLast()
            live -= victim.liveTokens
            victim.prefillRemaining = victim.liveTokens
            victim.steps += stepClock - victim.stepMark
            victim.hopSeconds += hopClock - victim.hopMark
            preemptions += 1
            waiting.insert(victim, at: 0)
        }
    }

    /// The replica's reading over the interval since the last one, then resets the counters.
    func takeInterval(time: Double, seconds: Double) -> ReplicaSample {
        ttft.prune(before: time)
        itl.prune(before: time)
        let alpha = min(1, seconds / 10)
        preemptionRate += (Double(preemptions) / seconds - preemptionRate) * alpha
        if preemptionRate < 0.01 { preemptionRate = 0 }
        let sample = ReplicaSample(
            replica: spec.id, time: time, status: down ? .down : .serving,
            tokensPerSecond: generatedTokens / seconds, requestsPerSecond: Double(completions) / seconds,
            runningRequests: running.count, waitingRequests: waiting.count,
            preemptionsPerSecond: preemptionRate,
            ttftP50Seconds: ttft.percentile(0.5) ?? 0, ttftP99Seconds: ttft.percentile(0.99) ?? 0,
            itlP50Seconds: itl.percentile(0.5) ?? 0, itlP99Seconds: itl.percentile(0.99) ?? 0,
            stepSeconds: steps > 0 ? stepSeconds / steps : 0, floorSeconds: floorSeconds)
        lastBusyShare = min(1, busySeconds / seconds)
        lastTokensProcessedPerSecond = processedTokens / seconds
        lastComputeShare = computeShare
        preemptions = 0
        generatedTokens = 0
        processedTokens = 0
        completions = 0
        stepSeconds = 0
        steps = 0
        busySeconds = 0
        return sample
    }

    private(set) var lastBusyShare = 0.0
    private(set) var lastTokensProcessedPerSecond = 0.0
    private(set) var lastComputeShare = 0.0
}
