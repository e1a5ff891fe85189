import Foundation
import InfertopCollectors
import Synchronization

/// Prometheus answers for a small made-up fleet, as JSON bodies the way Prometheus writes them,
/// and a transport that answers each query by the family it asks for.
struct FleetAnswers {
    var nodes = ["node-01", "node-02"]
    var gpus = 8
    /// Nodes labelled `hostname` (dcgm-exporter since d5e5f51) rather than `Hostname`.
    var lowercaseHostname: Set<String> = ["node-02"]
    /// Families answered with no series.
    var empty: Set<PrometheusFamily> = [.nvlink, .infinibandTransmit, .infinibandReceive, .infinibandRate]
    /// Nodes that are only in the inventory (their target died `silentFor` seconds ago).
    var silent: [String: Double] = [:]
    /// The engines are SGLang's (else vLLM's).
    var sglang = false
    var time = 1_795_721_936.0

    func used(_ node: Int, _ gpu: Int) -> Int { 60_000 + node * 100 + gpu }
    func kv(_ node: Int) -> Double { 0.25 + 0.1 * Double(node) }

    /// The body Prometheus would send for `family`.
    func body(_ family: PrometheusFamily) -> String {
        var series: [String] = []
        func gpuSeries(_ name: String?, _ value: (Int, Int) -> String, nodes list: [String] = nodes) {
            for (n, node) in list.enumerated() {
                for g in 0..<gpus {
                    let host = lowercaseHostname.contains(node) ? "hostname" : "Hostname"
                    var labels = [
                        "gpu": "\(g)", "UUID": "GPU-\(n)-\(g)", "modelName": "NVIDIA H100 80GB HBM3", host: node,
                        "instance": "\(node):9400", "job": "gpu"
                    ]
                    if let name { labels["__name__"] = name }
                    series.append(entry(labels, value(n, g)))
                }
            }
        }
        func engineSeries(_ name: String?, _ value: (Int) -> String) {
            for (n, node) in nodes.enumerated() {
                var labels = ["model_name": "llama-70b", "engine": "0", "instance": "\(node):8000", "job": "vllm"]
                if let name { labels["__name__"] = name }
                series.append(entry(labels, value(n)))
            }
        }
        if !empty.contains(family) {
            switch family {
            case .inventory:
                gpuSeries(nil, { _, _ in "\(time - 0.5)" })
                let dead = silent.keys.sorted()
                for (i, node) in dead.enumerated() {
                    for g in 0..<gpus {
                        series.append(
                            entry(
                                [
                                    "gpu": "\(g)", "Hostname": node, "modelName": "NVIDIA H100 80GB HBM3",
                                    "instance": "\(node):9400"
                                ],
                                "\(time - silent[dead[i]]!)"))
                    }
                }
            case .memoryUsed: gpuSeries("DCGM_FI_DEV_FB_USED", { n, g in "\(used(n, g))" })
            case .memoryFree: gpuSeries("DCGM_FI_DEV_FB_FREE", { n, g in "\(81_559 - used(n, g))" })
            case .memoryReserved: break
            case .utilization: gpuSeries("DCGM_FI_DEV_GPU_UTIL", { _, _ in "87" })
            case .power: gpuSeries("DCGM_FI_DEV_POWER_USAGE", { _, _ in "612.5" })
            case .temperature: gpuSeries("DCGM_FI_DEV_GPU_TEMP", { _, _ in "71" })
            case .smClock: gpuSeries("DCGM_FI_DEV_SM_CLOCK", { _, _ in "1980" })
            case .throttle: gpuSeries("DCGM_FI_DEV_CLOCKS_EVENT_REASONS", { _, _ in "4" })
            case .nvlink: gpuSeries("DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", { _, _ in "120000" })
            case .infinibandTransmit, .infinibandReceive, .infinibandRate:
                for node in nodes {
                    series.append(entry(["device": "mlx5_0", "port": "1", "instance": "\(node):9100"], "1.25e10"))
                }
            case .engineGauges where sglang:
                // SGLang: a token-granular pool, its share as `token_usage`.
                engineSeries("sglang:token_usage", { n in "\(kv(n))" })
                engineSeries("sglang:num_running_reqs", { _ in "12" })
                engineSeries("sglang:num_queue_reqs", { _ in "3" })
            case .engineGauges:
                engineSeries("vllm:kv_cache_usage_perc", { n in "\(kv(n))" })
                engineSeries("vllm:num_requests_running", { _ in "12" })
                engineSeries("vllm:num_requests_waiting", { _ in "3" })
            case .generationTokens: engineSeries(nil, { _ in "2500" })
            case .promptTokens: engineSeries(nil, { _ in "9000" })
            case .requests: engineSeries(nil, { _ in "4" })
            case .ttftP50: engineSeries(nil, { _ in "0.08" })
            case .ttftP99: engineSeries(nil, { _ in "NaN" })
            case .itlP50: engineSeries(nil, { _ in "0.02" })
            case .itlP99: engineSeries(nil, { _ in "0.05" })
            }
        }
        return #"{"status":"success","data":{"resultType":"vector","result":["# + series.joined(separator: ",") + "]}}"
    }

    private func entry(_ labels: [String: String], _ value: String) -> String {
        let metric = labels.keys.sorted().map { "\"\($0)\":\"\(labels[$0]!)\"" }.joined(separator: ",")
        return #"{"metric":{"# + metric + #"},"value":["# + "\(time),\"\(value)\"" + "]}"
    }

    /// Every family's series, decoded, as one refresh hands them to the mapping.
    func decoded() throws -> [PrometheusFamily: [PrometheusSeries]] {
        var out: [PrometheusFamily: [PrometheusSeries]] = [:]
        for family in PrometheusFamily.allCases {
            out[family] = try PrometheusResultDecoder.vector(Array(body(family).utf8)).series
        }
        return out
    }
}

/// Answers `/api/v1/query` by finding which family's PromQL the form carries; fails while `down`.
final class FleetTransport: HTTPTransport {
    let answers: FleetAnswers
    let match: PrometheusMatch
    private let state = Mutex<(down: Int, requests: [HTTPTransportRequest])>((0, []))

    init(_ answers: FleetAnswers, match: PrometheusMatch = .all, downFor calls: Int = 0) {
        self.answers = answers
        self.match = match
        state.withLock { $0.down = calls }
    }

    var requests: [HTTPTransportRequest] { state.withLock { $0.requests } }

    func send(_ request: HTTPTransportRequest, timeout: Double) async throws -> HTTPTransportResponse {
        let down = state.withLock { s -> Bool in
            s.requests.append(request)
            if s.down > 0 {
                s.down -= 1
                return true
            }
            return false
        }
        if down { throw HTTPTransportError.connectionRefused }
        let form = String(decoding: request.body ?? [], as: UTF8.self)
        guard request.url.hasSuffix("/api/v1/query"),
            let family = PrometheusFamily.allCases.first(where: { form == "query=" + FormText.escape($0.promql(match)) }
            )
        else {
            return HTTPTransportResponse(
                status: 400, body: Array(#"{"status":"error","errorType":"bad_data","error":"unexpected query"}"#.utf8))
        }
        return HTTPTransportResponse(
            status: 200, headers: ["content-type": "application/json"], body: Array(answers.body(family).utf8))
    }
}

/// Form escaping as the client does it, to recognise the query in a body.
enum FormText {
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(
                charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? text
    }
}
