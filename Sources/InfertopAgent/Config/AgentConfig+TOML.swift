import Foundation
import InfertopTOML

extension AgentConfig {
    /// Reads a config file; a missing default file means the defaults.
    public static func load(path: String, required: Bool) throws -> AgentConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            if required { throw AgentConfigFileError(file: path, line: nil, key: nil, problem: "cannot read the file") }
            return AgentConfig()
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses the TOML text of a config file.
    ///
    /// The first mistake is thrown: TOML syntax; else the first unknown key in the file; else a
    /// value of the wrong type or a required key left out; else a wrong value.
    /// - Throws: `AgentConfigFileError` naming the file, line and key.
    public static func parse(_ text: String, file: String) throws -> AgentConfig {
        let (shape, document) = try TOMLDocument.decode(AgentConfigFile.self, from: text) {
            AgentConfigFileError($0, file: file)
        }
        return try AgentConfigReader(document: document, file: file).config(shape)
    }

    /// The commented default config, as `infertop-agent config --print-default` prints it.
    public static let defaultText = """
        # infertop-agent configuration (TOML). Command-line flags override these values.

        # The node's name as dashboards show it. Empty: the host name.
        node = ""

        # Where the gRPC service listens. Loopback unless you add a token below:
        # a non-loopback address without a token is refused at start.
        listen = "127.0.0.1:50051"

        # Seconds between collections.
        interval_seconds = 1

        # The agent's own Prometheus metrics (samples, latency, subscribers, drops, scrape errors).
        # metrics_listen = "127.0.0.1:9464"

        # NVML library (loaded with dlopen; absent: the NVIDIA collector is skipped with one log line).
        nvml_library = "libnvidia-ml.so.1"

        # Root of sysfs (AMD GPUs, InfiniBand/RoCE ports). Change only in containers and tests.
        sysfs_root = "/"

        # OpenTelemetry traces from the serving engines (vLLM --otlp-traces-endpoint) and routers.
        # "off" turns a receiver off. Spans are kept in bounded storage for the dashboards.
        # [otlp]
        # grpc_listen = "127.0.0.1:4317"
        # http_listen = "127.0.0.1:4318"     # POST /v1/traces, protobuf or JSON, gzip allowed
        # max_body_bytes = 4194304
        # span_capacity = 20000              # the oldest spans go first, counted
        # span_capacity_bytes = 8388608      # also at most this many bytes of spans (8 MiB)
        # max_spans_per_second = 200000      # above it: HTTP 429 / gRPC UNAVAILABLE, retry later

        # Tokens: viewers may subscribe; operators may also cordon, drain and rebalance.
        # [[tokens]]
        # name = "alice"                     # who the journal and audit log name for its calls
        # token = "a-long-random-string-of-at-least-16-characters"
        # role = "viewer"

        # Operations (cordon, drain) coordinated by this agent, carried out by an executor,
        # journaled on disk (resumed after a restart) and written to an audit log.
        # [control]
        # executor = "slurm"                 # or "router", "command", a list ["router", "slurm"];
        #                                    # "simulator" with --simulate
        # journal = "/var/lib/infertop/journal.jsonl"
        # audit = "/var/lib/infertop/audit.jsonl"
        # scontrol = "scontrol"
        # max_unavailable = 1                # nodes out of service at once
        # cluster = "/etc/infertop/cluster.toml"   # every agent: the safety rules see the whole cluster
        # [control.min_available]            # replicas each model keeps serving (default 1)
        # "llama-405b" = 2
        # [control.router]                   # executor "router": sglang-router's /workers API
        # url = "http://10.0.0.2:30000"
        # admin_key_file = "/etc/infertop/router.key"
        # [[control.router.workers]]         # default: each [[scrape]] engine's URL without its path
        # replica = "llama-70b/0"
        # url = "http://10.0.0.7:30001"
        # [control.command]                  # executor "command": shell templates, values quoted
        # cordon = "kubectl cordon {node}"
        # uncordon = "kubectl uncordon {node}"
        # drain = "systemctl stop vllm@{replica}"
        # drained = "! systemctl is-active --quiet vllm@{replica}"
        # cancel_drain = "systemctl start vllm@{replica}"
        # timeout_seconds = 60

        # TLS for the gRPC service (PEM files). Both or neither.
        # [tls]
        # certificate = "/etc/infertop/agent.crt"
        # key = "/etc/infertop/agent.key"

        # Prometheus endpoints to read: dcgm-exporter, and each serving engine with the replica it
        # serves and the GPUs it runs on.
        # [[scrape]]
        # kind = "dcgm-exporter"
        # url = "http://127.0.0.1:9400/metrics"
        #
        # [[scrape]]
        # kind = "vllm"            # or sglang, tensorrt-llm
        # url = "http://127.0.0.1:8000/metrics"
        # replica = "llama-405b/2"
        # gpus = [0, 1, 2, 3, 4, 5, 6, 7]
        # timeout_seconds = 2
        # weights_bytes_per_gpu = 50625000000      # model bytes / (TP x PP): tells weights from KV
        # kv_bytes_per_token_per_gpu = 64512       # layers x KV heads x head dim x 2 x bytes / GPUs
        # kv_block_size_tokens = 16                # TensorRT-LLM: blocks to bytes
        # decode_floor_seconds = 0.0105            # weights per GPU / HBM bandwidth

        """
}
