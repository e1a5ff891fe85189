/// A model being served, with the figures that set its memory and latency.
public struct ServedModel: Hashable, Sendable {
    public let name: String
    public let parameterCount: Double
    public let bytesPerParameter: Double
    public let layers: Int
    public let hiddenSize: Int
    /// KV-cache bytes one token takes across all layers and all GPUs of a replica.
    public let kvBytesPerToken: Double

    public init(
        name: String, parameterCount: Double, bytesPerParameter: Double, layers: Int, hiddenSize: Int,
        kvBytesPerToken: Double
    ) {
        self.name = name
        self.parameterCount = parameterCount
        self.bytesPerParameter = bytesPerParameter
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.kvBytesPerToken = kvBytesPerToken
    }

    public var weightsBytes: Double { parameterCount * bytesPerParameter }

    /// Llama 3.1 405B in FP8: 405 GB of weights, 126 layers, 8 KV heads of 128, FP16 KV cache.
    public static let llama405B = ServedModel(
        name: "llama-405b", parameterCount: 405e9, bytesPerParameter: 1, layers: 126, hiddenSize: 16384,
        kvBytesPerToken: 126 * 8 * 128 * 2 * 2)

    /// Llama 3.1 405B in BF16: 810 GB of weights, needing 16 H100s (TP8 x PP2).
    public static let llama405BBF16 = ServedModel(
        name: "llama-405b", parameterCount: 405e9, bytesPerParameter: 2, layers: 126, hiddenSize: 16384,
        kvBytesPerToken: 126 * 8 * 128 * 2 * 2)

    /// Llama 3.1 70B in BF16: 140 GB of weights.
    public static let llama70B = ServedModel(
        name: "llama-70b", parameterCount: 70.6e9, bytesPerParameter: 2, layers: 80, hiddenSize: 8192,
        kvBytesPerToken: 80 * 8 * 128 * 2 * 2)

    /// Llama 3.1 8B in BF16: 16 GB of weights.
    public static let llama8B = ServedModel(
        name: "llama-8b", parameterCount: 8.0e9, bytesPerParameter: 2, layers: 32, hiddenSize: 4096,
        kvBytesPerToken: 32 * 8 * 128 * 2 * 2)
}
