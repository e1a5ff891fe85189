import InfertopCore

/// Everything an agent is told by its TOML file (`--config`, default `/etc/infertop/agent.toml`);
/// command-line flags override it.
public struct AgentConfig: Sendable, Hashable {
    /// The node's name as the dashboard shows it; the host name when empty.
    public var node: String = ""
    public var listen = ListenConfig()
    /// Seconds between collections.
    public var intervalSeconds: Double = 1
    /// Where the agent's own Prometheus `/metrics` is served; off when nil.
    public var metricsListen: String?
    /// Prometheus endpoints to scrape: dcgm-exporter and serving engines.
    public var scrapes: [ScrapeTarget] = []
    /// Root of sysfs, for tests and containers.
    public var sysfsRoot: String = "/"
    /// NVML library path or name.
    public var nvmlLibrary: String = "libnvidia-ml.so.1"

    public init() {}

    /// One `/metrics` endpoint the agent reads.
    public struct ScrapeTarget: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            case dcgm = "dcgm-exporter", vllm, sglang, tensorrtLLM = "tensorrt-llm"
        }

        public var kind: Kind
        public var url: String
        /// The replica this engine serves, e.g. `llama-405b/2` (engines only).
        public var replica: String?
        /// GPU indexes on this node the engine runs on (engines only).
        public var gpus: [Int] = []
        public var timeoutSeconds: Double = 2
        /// The model name the engine serves under, when it differs from the replica's model.
        public var servedModelName: String?
        /// Weights per GPU (the model's bytes over TP x PP): without it, weights are not told
        /// apart from the KV pool.
        public var weightsBytesPerGPU: UInt64?
        /// KV bytes one token takes on each GPU (layers x KV heads x head size x 2 x bytes / GPUs).
        public var kvBytesPerTokenPerGPU: UInt64?
        /// Tokens per KV block (TensorRT-LLM needs it to turn blocks into bytes).
        public var kvBlockSizeTokens: Int?
        public var activationBytesPerGPU: UInt64?
        /// The replica's decode floor, shown beside its step time.
        public var decodeFloorSeconds: Double?

        public init(kind: Kind, url: String) {
            self.kind = kind
            self.url = url
        }
    }
}
