import InfertopCollectors
import InfertopCore
import Testing

@Suite struct PrometheusFleetMappingTests {
    @Test func everyGPUOfEveryNode_withItsMemory_andTheEnginesKVCache() throws {
        let answers = FleetAnswers()
        var mapping = PrometheusFleetMapping()
        let (reports, notes) = mapping.map(try answers.decoded(), evaluationTime: answers.time, at: 10)
        #expect(reports.count == 2)
        for (n, report) in reports.enumerated() {
            guard case .full(let spec, let replicas, let values) = report.content else {
                Issue.record("a fleet report is a full report")
                continue
            }
            #expect(spec.id.name == answers.nodes[n], "Hostname and hostname both name nodes")
            #expect(spec.gpus.count == 8 && spec.gpus.allSatisfy { $0.model == .h100 })
            #expect(values.gpuSamples.count == 8)
            for s in values.gpuSamples {
                #expect(s.memory.usedBytes == UInt64(answers.used(n, s.gpu.index)) * 1_048_576)
                #expect(s.memory.capacityBytes == 81_559 * 1_048_576)
                #expect(abs(s.memory.kvUsage - answers.kv(n)) < 0.01, "the engine's KV cache on every GPU it serves")
                #expect(s.utilization == 0.87 && s.powerWatts == 612.5 && s.smClockMHz == 1980)
                #expect(s.throttle == ThrottleReasons(rawValue: 4))
            }
            #expect(replicas.count == 1 && replicas[0].gpus.count == 8 && replicas[0].id.model == "llama-70b")
            let replica = try #require(values.replicaSamples.first)
            #expect(replica.status == .serving && replica.tokensPerSecond == 2500 && replica.runningRequests == 12)
            #expect(
                replica.ttftP50Seconds == 0.08 && replica.ttftP99Seconds == 0,
                "NaN (no traffic) is no value, not a guess")
            #expect(report.age == 0 && report.reportedTime == answers.time)
        }
        #expect(Set(reports.compactMap(\.node).map(\.name)) == Set(answers.nodes))
        #expect(notes.contains("no NVLink series") && notes.contains("no InfiniBand series"))
        #expect(!notes.contains { $0.hasPrefix("no engine series") })
    }

    @Test func sglangEngines_areReadByTheirOwnNames() throws {
        var answers = FleetAnswers()
        answers.sglang = true
        var mapping = PrometheusFleetMapping()
        let (reports, notes) = mapping.map(try answers.decoded(), evaluationTime: answers.time, at: 10)
        #expect(!notes.contains { $0.hasPrefix("no engine series") })
        for (n, report) in reports.enumerated() {
            guard case .full(_, let replicas, let values) = report.content else { continue }
            #expect(replicas.count == 1 && replicas[0].id.model == "llama-70b")
            #expect(
                values.gpuSamples.allSatisfy { abs($0.memory.kvUsage - answers.kv(n)) < 0.01 },
                "SGLang's token_usage as KV use")
            #expect(
                values.replicaSamples.first?.runningRequests == 12
                    && values.replicaSamples.first?.tokensPerSecond == 2500)
        }
    }

    @Test func everyEnginesSeries_areAskedForInOneQueryPerFamily() {
        let match = PrometheusMatch.all
        let gauges = PrometheusFamily.engineGauges.promql(match)
        for name in [
            "vllm:kv_cache_usage_perc", "sglang:token_usage", "trtllm_kv_cache_utilization", "sglang:num_queue_reqs"
        ] {
            #expect(gauges.contains(name), "\(name) in \(gauges)")
        }
        let ttft = PrometheusFamily.ttftP99.promql(match)
        #expect(
            ttft.contains("vllm:time_to_first_token_seconds_bucket")
                && ttft.contains("sglang:time_to_first_token_seconds_bucket"))
        let tokens = PrometheusFamily.generationTokens.promql(match)
        #expect(
            tokens.contains("trtllm_generation_tokens_total") && !tokens.contains("vllm:generation_tokens|"),
            "\(tokens)")
    }

    @Test func aNodeOnlyInTheInventory_isReportedWithoutValues_agedBySilence() throws {
        var answers = FleetAnswers()
        answers.silent = ["node-03": 4.5]
        var mapping = PrometheusFleetMapping()
        let (reports, _) = mapping.map(try answers.decoded(), evaluationTime: answers.time, at: 10)
        let silent = try #require(reports.first { $0.node == "node-03" })
        #expect(silent.age == 4.5)
        guard case .full(let spec, _, let values) = silent.content else { return }
        #expect(spec.gpus.count == 8 && values.gpuSamples.isEmpty)
    }

    @Test func replicaNumbersStayPutAcrossRefreshes() throws {
        let answers = FleetAnswers()
        var mapping = PrometheusFleetMapping()
        let first = mapping.map(try answers.decoded(), evaluationTime: answers.time, at: 10).reports
        let second = mapping.map(try answers.decoded(), evaluationTime: answers.time + 2, at: 12).reports
        func ids(_ r: [NodeReport]) -> [ReplicaID] {
            r.flatMap { report -> [ReplicaID] in
                guard case .full(_, let replicas, _) = report.content else { return [] }
                return replicas.map(\.id)
            }
        }
        #expect(ids(first) == ids(second) && Set(ids(first)).count == 2)
    }
}
