import InfertopCollectors
import InfertopTOML

/// A problem in an agent config file: the file, the line, the key, and what to do.
public struct AgentConfigFileError: FileLineError, Sendable {
    public let file: String
    public let line: Int?
    /// The key as `name(_:)` names it; nil when no key could be named.
    public let key: String?
    public let problem: String

    public var description: String { location + (key.map { "key '\($0)': " } ?? "") + problem }
}

extension AgentConfigFileError {
    /// A mistake the decoding found, in the agent config's words.
    init(_ mistake: TOMLMistake, file: String) {
        let key = mistake.keys.isEmpty ? nil : Self.name(mistake.keys)
        let problem: String
        switch mistake.kind {
        case .syntax(let description):
            problem = "not valid TOML: \(description)"
        case .unknownKey(let known, let suggestion):
            let near = suggestion.map { "; did you mean '\($0)'?" } ?? ""
            problem = "unknown key\(near) (known: \(known.sorted().joined(separator: ", ")))"
        case .wrongType, .missing:
            problem = Self.problem(mistake.keys, inList: mistake.inList)
        }
        self.init(file: file, line: mistake.line, key: key, problem: problem)
    }

    /// How an error names the key at `keys`: dotted from the top (`otlp.http_listen`), but a key of
    /// a `[[tokens]]` or `[[scrape]]` table by itself (`role`), as its table's line places it.
    static func name(_ keys: [String]) -> String {
        let inArray = keys.count > 1 && ["tokens", "scrape"].contains(keys[0])
        return (inArray ? keys.dropFirst() : keys[...]).joined(separator: ".")
    }

    /// What the key at `keys` must hold (an element of its list, with `inList`), for a value of
    /// the wrong type, a value out of range, or a required key left out.
    static func problem(_ keys: [String], inList: Bool = false) -> String {
        let name = name(keys)
        let parent = keys.dropLast().joined(separator: ".")
        return (inList ? problems[name + "[]"] : nil) ?? problems[name] ?? problems[parent + ".*"]
            ?? "has a value of the wrong type"
    }

    private static let problems: [String: String] = [
        "node": "must be a string, e.g. node = \"node-07\"",
        "listen": "must be \"HOST:PORT\", e.g. listen = \"127.0.0.1:50051\"",
        "interval_seconds": "must be a number of seconds from 0.1 to 3600",
        "metrics_listen": "must be \"HOST:PORT\"",
        "sysfs_root": "must be a path",
        "nvml_library": "must be a path or library name",
        "tls": "must be a table: [tls] certificate = \"...\" key = \"...\"",
        "tls.certificate": "must be the path of a PEM file", "tls.key": "must be the path of a PEM file",
        "tokens": "must be an array of tables: [[tokens]]",
        "token": "each [[tokens]] needs token = \"...\" of at least 16 characters",
        "role": "must be viewer or operator", "name": "must be a string: who the journal and audit log name",
        "scrape": "must be an array of tables: [[scrape]]",
        "kind": "each [[scrape]] needs kind = one of \(AgentConfig.ScrapeTarget.kinds.joined(separator: ", "))",
        "url": "each [[scrape]] needs url = \"http://HOST:PORT/metrics\"",
        "replica": "must name the replica as MODEL/INDEX, e.g. replica = \"llama-405b/2\"",
        "gpus": "must be a list of GPU indices, e.g. gpus = [0, 1, 2, 3]",
        "timeout_seconds": "must be a number of seconds", "decode_floor_seconds": "must be a number of seconds",
        "served_model_name": "must be a string", "kv_block_size_tokens": "must be a whole number of tokens",
        "weights_bytes_per_gpu": "must be a whole number of bytes",
        "kv_bytes_per_token_per_gpu": "must be a whole number of bytes",
        "activation_bytes_per_gpu": "must be a whole number of bytes",
        "otlp": "must be a table: [otlp] http_listen = \"127.0.0.1:4318\"",
        "otlp.grpc_listen": "must be \"HOST:PORT\" or \"off\"", "otlp.http_listen": "must be \"HOST:PORT\" or \"off\"",
        "otlp.max_body_bytes": "must be a whole number from 1 to \(256 << 20)",
        "otlp.span_capacity": "must be a whole number from 1 to 10000000",
        "otlp.span_capacity_bytes": "must be a whole number from 1 to \(1 << 40)",
        "otlp.max_spans_per_second": "must be a whole number from 1 to 100000000",
        "control": "must be a table: [control] executor = \"slurm\"",
        "control.executor":
            "[control] needs executor = \"slurm\" (or a list such as [\"router\", \"slurm\"]; \"simulator\" with --simulate)",
        "control.executor[]": "must hold names of executors (\(ControlSettings.Executor.known))",
        "control.journal": "must be a path", "control.audit": "must be a path", "control.scontrol": "must be a path",
        "control.cluster": "must be the path of a cluster file",
        "control.max_unavailable": "must be a whole number of at least 1",
        "control.min_available":
            "must be a table of model = replicas, e.g. [control.min_available] \"llama-405b\" = 2",
        "control.min_available.*": "must be a whole number of replicas",
        "control.command": "must be a table: [control.command] drain = \"systemctl stop vllm@{replica}\"",
        "control.command.*": "must be a string: a command for /bin/sh, such as \"systemctl stop vllm@{replica}\"",
        "control.command.timeout_seconds": "must be a number of seconds from 1 to 86400",
        "control.router": "must be a table: [control.router] url = \"http://ROUTER:PORT\"",
        "control.router.url": "[control.router] needs url = \"http://ROUTER:PORT\" (the router's main port)",
        "control.router.admin_key": "must be a non-empty string",
        "control.router.admin_key_file": "must be a path",
        "control.router.timeout_seconds": "must be a number of seconds from 0.1 to 300.0",
        "control.router.settle_seconds": "must be a number of seconds from 1.0 to 3600.0",
        "control.router.workers":
            "must be an array of tables: [[control.router.workers]] replica = \"llama-70b/0\" url = \"http://HOST:PORT\"",
        "control.router.workers[]": "each entry must be a table with replica and url",
        "control.router.workers.replica": "must name a replica as MODEL/INDEX, e.g. replica = \"llama-70b/0\"",
        "control.router.workers.url":
            "must be the worker's URL as the router lists it, e.g. url = \"http://10.0.0.7:30001\"",
        "control.router.workers.node": "must name a node, e.g. node = \"node-07\" (default: this agent's)"
    ]
}
