import InfertopCore

/// One serving engine on this node as the agent's config describes it (one `[[engine]]` table):
/// which replica it is, where its `/metrics` is, which local GPUs it holds, and the memory facts
/// no metric gives (weights, and the KV bytes per token that turn blocks into bytes).
///
/// For a replica whose pipeline stages span nodes, every node lists the binding with its own
/// GPUs, and only the node that runs the API server gives `metricsURL`.
public struct EngineBinding: Sendable, Hashable {
    /// The model as infertop names it: `llama-405b`.
    public var model: String
    /// The replica index: `llama-405b/2` is index 2.
    public var replica: Int
    public var kind: EngineKind
    /// `http://127.0.0.1:8000/metrics` (vLLM), `:30000/metrics` (SGLang),
    /// `:8000/prometheus/metrics` (trtllm-serve). Nil on nodes without the API server.
    public var metricsURL: String?
    /// GPU indexes on this node (as `nvidia-smi` numbers them) the engine runs on.
    public var gpus: [Int]
    /// The engine's `model_name` label (`--served-model-name`), when it differs from `model`;
    /// other models on the same page are then ignored.
    public var servedModelName: String?
    /// This GPU's share of the weights: model weight bytes ÷ (TP × PP).
    public var weightsBytesPerGPU: UInt64?
    /// KV-cache bytes one token takes on one GPU of the engine:
    /// 2 (K and V) × layers on the GPU × KV heads on the GPU × head dim × bytes per element.
    /// With the engine's block count and size this gives the exact pool; without it the pool is
    /// estimated as the memory the engine holds beyond weights and activations.
    public var kvBytesPerTokenPerGPU: UInt64?
    /// Tokens per KV block, for engines whose metrics do not say (TensorRT-LLM `tokens_per_block`).
    public var kvBlockSizeTokens: Int?
    /// Activations, CUDA graphs and workspace per GPU, when known (else counted in the KV estimate
    /// or, with an exact pool, in `other`).
    public var activationBytesPerGPU: UInt64?
    /// The replica's decode floor in seconds (`ReplicaSpec.decodeFloorSeconds`), when known.
    public var decodeFloorSeconds: Double?

    public init(
        model: String, replica: Int, kind: EngineKind, metricsURL: String?, gpus: [Int],
        servedModelName: String? = nil, weightsBytesPerGPU: UInt64? = nil, kvBytesPerTokenPerGPU: UInt64? = nil,
        kvBlockSizeTokens: Int? = nil, activationBytesPerGPU: UInt64? = nil, decodeFloorSeconds: Double? = nil
    ) {
        self.model = model
        self.replica = replica
        self.kind = kind
        self.metricsURL = metricsURL
        self.gpus = gpus
        self.servedModelName = servedModelName
        self.weightsBytesPerGPU = weightsBytesPerGPU
        self.kvBytesPerTokenPerGPU = kvBytesPerTokenPerGPU
        self.kvBlockSizeTokens = kvBlockSizeTokens
        self.activationBytesPerGPU = activationBytesPerGPU
        self.decodeFloorSeconds = decodeFloorSeconds
    }

    /// `llama-405b/2`.
    public var replicaID: ReplicaID { ReplicaID(model: model, index: replica) }

    /// Whether `engine` is this binding's: same kind and model, and the same GPUs when it names any.
    public func matches(_ engine: EngineReading) -> Bool {
        engine.engine == kind.rawValue && engine.model == model
            && (engine.gpus.isEmpty || Set(engine.gpus) == Set(gpus))
    }

    /// The exact KV pool on one GPU, blocks × tokens per block × bytes per token, when all three
    /// are known (block size from the engine, else from the binding). Nil on overflow.
    public func kvPoolBytesPerGPU(_ engine: EngineReading) -> UInt64? {
        guard let blocks = engine.kvBlocks, blocks >= 0, let size = engine.kvBlockSizeTokens ?? kvBlockSizeTokens,
            size > 0, let perToken = kvBytesPerTokenPerGPU
        else { return nil }
        let (tokens, o1) = UInt64(blocks).multipliedReportingOverflow(by: UInt64(size))
        let (bytes, o2) = tokens.multipliedReportingOverflow(by: perToken)
        return o1 || o2 ? nil : bytes
    }
}
