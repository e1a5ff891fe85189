import Foundation
import InfertopCollectors
import InfertopCore
import TOMLKit

/// A problem in an agent config file: the file, the line, the key, and what to do.
public struct AgentConfigFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let key: String?
    public let problem: String

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { location += ": key '\(key)'" }
        return "\(location): \(problem)"
    }
}

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
    public static func parse(_ text: String, file: String) throws -> AgentConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw AgentConfigFileError(
                file: file, line: Int(error.source.begin.line), key: nil,
                problem: "not valid TOML: \(error.description)")
        }
        var config = AgentConfig()
        let locator = TOMLKeyLocator(text)
        /// `key` may be dotted (`otlp.http_listen`); `section` and `occurrence` name the
        /// `[[tokens]]` or `[[scrape]]` table a key of one is in, so the line is that table's.
        func fail(_ key: String, _ problem: String, in section: String = "", occurrence: Int = 0)
            -> AgentConfigFileError
        {
            var (table, leaf) = (section, key)
            if section.isEmpty, let dot = key.lastIndex(of: ".") {
                (table, leaf) = (String(key[..<dot]), String(key[key.index(after: dot)...]))
            }
            let line = locator.line(of: leaf, in: table, occurrence: occurrence) ?? locator.line(ofSection: key)
            return AgentConfigFileError(file: file, line: line, key: key, problem: problem)
        }
        let known: Set<String> = [
            "node", "listen", "interval_seconds", "metrics_listen", "sysfs_root", "nvml_library", "tls", "tokens",
            "scrape", "otlp", "control"
        ]
        for key in table.keys where !known.contains(key) {
            throw fail(key, "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
        if let v = table["node"] {
            guard let s = v.string else { throw fail("node", "must be a string, e.g. node = \"node-07\"") }
            config.node = s
        }
        if let v = table["listen"] {
            guard let s = v.string else {
                throw fail("listen", "must be \"HOST:PORT\", e.g. listen = \"127.0.0.1:50051\"")
            }
            switch HostPort.parse(s, for: .listen) {
            case .success(let address):
                config.listen.host = address.host
                config.listen.port = address.port
            case .failure(let error):
                throw fail("listen", "must be \"HOST:PORT\", e.g. listen = \"127.0.0.1:50051\" (\(error.reason))")
            }
        }
        if let v = table["interval_seconds"] {
            guard let d = v.double ?? v.int.map(Double.init), d >= 0.1, d <= 3600 else {
                throw fail("interval_seconds", "must be a number of seconds from 0.1 to 3600")
            }
            config.intervalSeconds = d
        }
        if let v = table["metrics_listen"] {
            guard let s = v.string else { throw fail("metrics_listen", "must be \"HOST:PORT\"") }
            switch HostPort.parse(s, for: .listen) {
            case .success(let address): config.metricsListen = address
            case .failure(let error): throw fail("metrics_listen", "must be \"HOST:PORT\" (\(error.reason))")
            }
        }
        if let v = table["sysfs_root"] {
            guard let s = v.string else { throw fail("sysfs_root", "must be a path") }
            config.sysfsRoot = s
        }
        if let v = table["nvml_library"] {
            guard let s = v.string else { throw fail("nvml_library", "must be a path or library name") }
            config.nvmlLibrary = s
        }
        if let v = table["tls"] {
            guard let tls = v.table else {
                throw fail("tls", "must be a table: [tls] certificate = \"...\" key = \"...\"")
            }
            config.listen.tlsCertificatePath = tls["certificate"]?.string
            config.listen.tlsKeyPath = tls["key"]?.string
            if (config.listen.tlsCertificatePath == nil) != (config.listen.tlsKeyPath == nil) {
                throw fail("tls", "needs both certificate and key (PEM files)")
            }
        }
        if let v = table["tokens"] {
            guard let array = v.array else { throw fail("tokens", "must be an array of tables: [[tokens]]") }
            for (n, item) in array.enumerated() {
                guard let t = item.table, let token = t["token"]?.string, token.count >= 16 else {
                    throw fail(
                        "token", "each [[tokens]] needs token = \"...\" of at least 16 characters", in: "tokens",
                        occurrence: n)
                }
                let roleName = t["role"]?.string ?? "viewer"
                guard let role = Role(rawValue: roleName) else {
                    throw fail("role", "must be viewer or operator, got '\(roleName)'", in: "tokens", occurrence: n)
                }
                config.listen.tokens[token] = role
                // The operator the journal and audit log name for calls with this token.
                config.listen.tokenNames[token] = t["name"]?.string ?? "\(roleName)-\(token.prefix(4))"
            }
        }
        if let v = table["control"] {
            guard let control = v.table else {
                throw fail("control", "must be a table: [control] executor = \"slurm\"")
            }
            try parseControl(control, into: &config, fail: { fail($0, $1) })
        }
        if let v = table["otlp"] {
            guard let otlp = v.table else {
                throw fail("otlp", "must be a table: [otlp] http_listen = \"127.0.0.1:4318\"")
            }
            let knownOTLP: Set<String> = [
                "grpc_listen", "http_listen", "max_body_bytes", "span_capacity", "span_capacity_bytes",
                "max_spans_per_second"
            ]
            for key in otlp.keys where !knownOTLP.contains(key) {
                throw fail("otlp.\(key)", "unknown key (known: \(knownOTLP.sorted().joined(separator: ", ")))")
            }
            for key in ["grpc_listen", "http_listen"] {
                guard let item = otlp[key] else { continue }
                guard let text = item.string else { throw fail("otlp.\(key)", "must be \"HOST:PORT\" or \"off\"") }
                switch ListenSetting.parse(text) {
                case .success(let setting):
                    if key == "grpc_listen" {
                        config.otlp.grpcListen = setting.address
                    } else {
                        config.otlp.httpListen = setting.address
                    }
                case .failure(let error):
                    throw fail("otlp.\(key)", "must be \"HOST:PORT\" or \"off\" (\(error.reason))")
                }
            }
            func positive(_ key: String, _ limit: Int) throws -> Int? {
                guard let item = otlp[key] else { return nil }
                guard let n = item.int, n >= 1, n <= limit else {
                    throw fail("otlp.\(key)", "must be a whole number from 1 to \(limit)")
                }
                return n
            }
            if let n = try positive("max_body_bytes", 256 << 20) { config.otlp.maxBodyBytes = n }
            if let n = try positive("span_capacity", 10_000_000) { config.otlp.spanCapacity = n }
            if let n = try positive("span_capacity_bytes", 1 << 40) { config.otlp.spanCapacityBytes = n }
            if let n = try positive("max_spans_per_second", 100_000_000) { config.otlp.maxSpansPerSecond = n }
        }
        if let v = table["scrape"] {
            guard let array = v.array else { throw fail("scrape", "must be an array of tables: [[scrape]]") }
            for (n, item) in array.enumerated() {
                guard let t = item.table, let kindName = t["kind"]?.string, ScrapeTarget.kinds.contains(kindName) else {
                    throw fail(
                        "kind", "each [[scrape]] needs kind = one of \(ScrapeTarget.kinds.joined(separator: ", "))",
                        in: "scrape", occurrence: n)
                }
                guard let url = t["url"]?.string, url.hasPrefix("http://") else {
                    throw fail(
                        "url", "each [[scrape]] needs url = \"http://HOST:PORT/metrics\"", in: "scrape", occurrence: n)
                }
                var target = ScrapeTarget(url: url)
                if let timeout = t["timeout_seconds"]?.double ?? t["timeout_seconds"]?.int.map(Double.init) {
                    target.timeoutSeconds = timeout
                }
                func bytes(_ key: String) throws -> UInt64? {
                    guard let v = t[key] else { return nil }
                    guard let bytes = v.int, bytes >= 0 else {
                        throw fail(key, "must be a whole number of bytes", in: "scrape", occurrence: n)
                    }
                    return UInt64(bytes)
                }
                if let kind = EngineKind(configName: kindName) {
                    let parts = (t["replica"]?.string ?? "engine/0").split(separator: "/")
                    target.engine = EngineBinding(
                        model: parts.first.map(String.init) ?? "engine",
                        replica: parts.count > 1 ? Int(parts[1]) ?? 0 : 0,
                        kind: kind, metricsURL: url, gpus: t["gpus"]?.array?.compactMap { $0.int } ?? [],
                        servedModelName: t["served_model_name"]?.string,
                        weightsBytesPerGPU: try bytes("weights_bytes_per_gpu"),
                        kvBytesPerTokenPerGPU: try bytes("kv_bytes_per_token_per_gpu"),
                        kvBlockSizeTokens: t["kv_block_size_tokens"]?.int,
                        activationBytesPerGPU: try bytes("activation_bytes_per_gpu"),
                        decodeFloorSeconds: t["decode_floor_seconds"]?.double)
                }
                config.scrapes.append(target)
            }
        }
        return config
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
