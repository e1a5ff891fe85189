/// The strings spans repeat, interned, and the rule for what a string costs on the heap.
///
/// Every decoded span used to carry its own copy of each attribute key, span name and service
/// name. Those repeat across every span of an engine, so the ones infertop knows are mapped to
/// the program's constant strings here: a constant string is stored in the binary, takes no
/// heap and no reference count, and every span that names it shares it. The table is fixed (no
/// lock, nothing grows with what senders send); other strings are kept as they came.
public enum SpanStrings {
    /// The canonical copy of `text` when it is a known key or name, else `text` itself.
    public static func interned(_ text: String) -> String {
        // Up to 15 UTF-8 bytes a string is stored inline: nothing to share.
        guard text.utf8.count > inlineLimit else { return text }
        return table[text] ?? text
    }

    /// Heap bytes one string holds: none when stored inline or interned; otherwise its UTF-8
    /// bytes, a terminating zero and the storage header (counted for every reference, so a
    /// string shared by several spans is counted in each: an upper bound).
    public static func heapBytes(_ text: String) -> Int {
        let count = text.utf8.count
        guard count > inlineLimit, table[text] == nil else { return 0 }
        return stringHeaderBytes + count + 1
    }

    /// The longest string Swift keeps inline on 64-bit platforms.
    static let inlineLimit = 15
    /// A native string's heap header (object header, capacity and flags, count).
    static let stringHeaderBytes = 32
    /// A native array's heap header (object header, count, capacity).
    static let arrayHeaderBytes = 32

    /// Keys and names infertop reads or the simulator and common engines send (OpenTelemetry
    /// semantic conventions for GenAI, HTTP, RPC and resources).
    static let known: [String] = [
        SpanAttributeKey.hostName, SpanAttributeKey.serviceName, SpanAttributeKey.serviceInstance,
        SpanAttributeKey.replica, SpanAttributeKey.gpus, SpanAttributeKey.requestID, SpanAttributeKey.responseModel,
        SpanAttributeKey.requestModel, SpanAttributeKey.promptTokens, SpanAttributeKey.completionTokens,
        SpanAttributeKey.timeInQueue, SpanAttributeKey.timeToFirstToken, SpanAttributeKey.e2e, SpanAttributeKey.prefill,
        SpanAttributeKey.decode, SpanAttributeKey.inference, SpanAttributeKey.finishReasons,
        "infertop.pp.bytes", "infertop.pp.hops", "infertop.pp.stage", "http.response.status_code",
        "http.request.method", "http.route", "server.address", "server.port", "url.full", "url.path",
        "network.peer.address", "network.peer.port", "rpc.system", "rpc.service", "rpc.method",
        "gen_ai.system", "gen_ai.operation.name", "gen_ai.request.max_tokens", "gen_ai.request.temperature",
        "gen_ai.request.top_p", "gen_ai.request.n", "gen_ai.response.id", "gen_ai.usage.input_tokens",
        "gen_ai.usage.output_tokens", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version",
        "service.namespace", "service.version", "process.pid", "process.runtime.name"
    ]

    /// Each known string mapped to its constant copy.
    static let table: [String: String] = Dictionary(known.map { ($0, $0) }, uniquingKeysWith: { first, _ in first })
}
