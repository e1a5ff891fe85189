import Foundation
import InfertopCollectors
import InfertopCore

// The fixture of the Prometheus benchmarks (PrometheusBenchmarks.swift), apart from the benchmark
// library so a plain timing loop can use it too.

/// Prometheus answers for `nodes` x 8 GPUs, one body per family, and the reports one refresh makes.
final class PrometheusRefreshFixture {
    let bodies: [(PrometheusFamily, [UInt8])]
    var mapping = PrometheusFleetMapping()
    /// The merger and the one state its updates are applied to, as the dashboard's model does.
    var merged = MergedCluster()
    let reports: [NodeReport]
    let gpus: Int
    private(set) var now = 1.0

    init(nodes: Int) {
        let time = 1_795_721_936.123
        let page = FleetAnswers(nodes: nodes, time: time)
        bodies = PrometheusFamily.allCases.map { ($0, page.body($0)) }
        var warm = PrometheusFleetMapping()
        reports = warm.map(Self.decode(bodies), evaluationTime: time, at: 0).reports
        gpus = nodes * 8
        // The merger holds the fleet already: a refresh of the same nodes is a delta, as in steady state.
        merged.fold { $0.receive(fleet: reports, from: "prometheus bench", version: nil, notes: [], now: 0) }
    }

    static func decode(_ bodies: [(PrometheusFamily, [UInt8])]) -> [PrometheusFamily: [PrometheusSeries]] {
        var out: [PrometheusFamily: [PrometheusSeries]] = [:]
        for (family, body) in bodies {
            guard let series = try? PrometheusResultDecoder.vector(body).series else {
                fatalError("\(family): bad body")
            }
            out[family] = series
        }
        return out
    }

    /// Decode + map + merge + apply: what one refresh costs the dashboard once the answers arrived.
    func refresh() -> ClusterUpdate {
        now += 2
        let answers = Self.decode(bodies)
        let (reports, notes) = mapping.map(answers, evaluationTime: 1_795_721_936 + now, at: now)
        let now = now
        return merged.fold {
            $0.receive(fleet: reports, from: "prometheus bench", version: nil, notes: notes, now: now)
        }
    }

    /// The merger folding one refresh's reports, and the update applied to the state.
    func merge() -> ClusterUpdate {
        now += 2
        let (reports, now) = (reports, now)
        return merged.fold { $0.receive(fleet: reports, from: "prometheus bench", version: nil, notes: [], now: now) }
    }
}

/// The instant-query answer a Prometheus scraping `nodes` H100 nodes (8 GPUs, 2 HCAs, one vLLM
/// engine each) gives for each family.
private struct FleetAnswers {
    let nodes: Int
    let time: Double

    /// dcgm-exporter's name for each per-GPU family.
    static let gpuNames: [PrometheusFamily: String] = [
        .memoryUsed: "DCGM_FI_DEV_FB_USED", .memoryFree: "DCGM_FI_DEV_FB_FREE",
        .memoryReserved: "DCGM_FI_DEV_FB_RESERVED", .utilization: "DCGM_FI_DEV_GPU_UTIL",
        .power: "DCGM_FI_DEV_POWER_USAGE", .temperature: "DCGM_FI_DEV_GPU_TEMP", .smClock: "DCGM_FI_DEV_SM_CLOCK",
        .throttle: "DCGM_FI_DEV_CLOCKS_EVENT_REASONS", .nvlink: "DCGM_FI_PROF_NVLINK_TX_BYTES"
    ]

    func body(_ family: PrometheusFamily) -> [UInt8] {
        let series = (1...nodes).flatMap { n in
            let node = String(format: "node-%03d", n)
            return family == .inventory || Self.gpuNames[family] != nil
                ? gpuSeries(family, node: node, n: n) : nodeSeries(family, node: node, n: n)
        }
        let text =
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + series.joined(separator: ",") + "]}}"
        return Array(text.utf8)
    }

    private func gpuSeries(_ family: PrometheusFamily, node: String, n: Int) -> [String] {
        (0..<8).map { g in
            var labels = [
                "gpu": "\(g)", "UUID": "GPU-\(n)-\(g)-6479-a76a-cde5c9fc4ed7", "pci_bus_id": "00000000:0\(g):00.0",
                "device": "nvidia\(g)", "modelName": "NVIDIA H100 80GB HBM3", "Hostname": node,
                "DCGM_FI_DRIVER_VERSION": "550.54.15", "instance": node, "job": "gpu-nodes"
            ]
            if let name = Self.gpuNames[family] { labels["__name__"] = name }
            return entry(labels, family == .inventory ? "\(time - 0.4)" : "\(40_000 + (n * 8 + g) % 30_000)")
        }
    }

    private func nodeSeries(_ family: PrometheusFamily, node: String, n: Int) -> [String] {
        switch family {
        case .infinibandTransmit, .infinibandReceive, .infinibandRate:
            return (0..<2).map { p in
                entry(["device": "mlx5_\(p)", "port": "1", "instance": node, "job": "gpu-nodes"], "1.25e10")
            }
        case .engineGauges:
            return ["vllm:num_requests_running", "vllm:num_requests_waiting", "vllm:kv_cache_usage_perc"].map { name in
                let labels = [
                    "__name__": name, "engine": "0", "model_name": "llama-70b", "instance": node, "job": "gpu-nodes"
                ]
                return entry(labels, name.hasSuffix("perc") ? "0.\(10 + n % 80)" : "\(n % 13)")
            }
        default:
            return [entry(["model_name": "llama-70b", "instance": node], "0.0\(1 + n % 9)")]
        }
    }

    private func entry(_ labels: [String: String], _ value: String) -> String {
        let metric = labels.keys.sorted().map { "\"\($0)\":\"\(labels[$0]!)\"" }.joined(separator: ",")
        return "{\"metric\":{\(metric)},\"value\":[\(time),\"\(value)\"]}"
    }
}
