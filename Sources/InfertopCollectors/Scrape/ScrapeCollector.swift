import Synchronization

/// A `Collector` that GETs a Prometheus `/metrics` URL (dcgm-exporter, vLLM, SGLang,
/// TensorRT-LLM) through an `HTTPTransport` and maps the text with a `ScrapeMapping`.
///
/// A failed scrape (refused, timed out, HTTP error, malformed text, nothing recognisable) returns
/// the last good reading marked `stale` with the reason in `errors`, and counts one error. Like
/// Prometheus, one bad line fails the whole scrape: a truncated or corrupt page must not pass for
/// a partial truth. The agent passes its AsyncHTTPClient transport; tests pass one that answers
/// from a table, with no network.
public final class ScrapeCollector: Collector, Sendable {
    /// Counters of one collector's scrapes, for the log and the agent's own `/metrics`.
    public struct Stats: Sendable, Hashable {
        public var scrapes = 0
        public var errors = 0
        /// Failures in a row since the last good scrape.
        public var consecutiveErrors = 0
        public var lastError: String?
    }

    private struct State: Sendable {
        var mapping: any ScrapeMapping
        var lastGood: CollectorReading?
        var stats = Stats()
    }

    public let name: String
    /// The URL as configured.
    public let url: String
    /// Seconds allowed for connect, request and response together.
    public let timeout: Double
    private let target: Result<HTTPTarget, ScrapeError>
    private let transport: any HTTPTransport
    private let state: Mutex<State>

    /// A collector for `url` (`http://host:port/path`; no path means `/metrics`).
    public init(
        name: String? = nil, url: String, mapping: any ScrapeMapping, transport: any HTTPTransport, timeout: Double = 2
    ) {
        self.name = name ?? "scrape:\(mapping.source)"
        self.url = url
        self.timeout = timeout
        self.target = Result { () throws(ScrapeError) in try HTTPTarget(url) }
        self.transport = transport
        self.state = Mutex(State(mapping: mapping))
    }

    /// dcgm-exporter on this node, its series filtered to `hostname` when given.
    public static func dcgmExporter(
        url: String = "http://127.0.0.1:9400/metrics", hostname: String? = nil, transport: any HTTPTransport,
        timeout: Double = 2
    ) -> ScrapeCollector {
        ScrapeCollector(
            url: url, mapping: DCGMExporterMapping(hostname: hostname), transport: transport, timeout: timeout)
    }

    /// The engine of one binding; its readings carry the binding's model name and GPUs. Nil for a
    /// binding without a metrics URL (a pipeline stage whose API server runs on another node).
    public static func engine(_ binding: EngineBinding, transport: any HTTPTransport, timeout: Double = 2)
        -> ScrapeCollector?
    {
        guard let url = binding.metricsURL else { return nil }
        let mapping = EngineMetricsMapping(
            kind: binding.kind, servedModel: binding.servedModelName, reportAs: binding.model, gpus: binding.gpus)
        return ScrapeCollector(
            name: "scrape:\(binding.kind.rawValue):\(binding.replicaID)", url: url, mapping: mapping,
            transport: transport, timeout: timeout)
    }

    /// Errors so far (all kinds).
    public var errorCount: Int { state.withLock { $0.stats.errors } }

    /// Scrapes, errors and the last error.
    public var stats: Stats { state.withLock { $0.stats } }

    public func collect(at time: Double) async -> CollectorReading {
        let fetched: Result<HTTPTransportResponse, ScrapeError>
        switch target {
        case .failure(let error): fetched = .failure(error)
        case .success(let target):
            do {
                let request = HTTPTransportRequest(
                    .get, target.description, headers: [HTTPHeaderField("Accept", "text/plain")])
                fetched = .success(try await transport.send(request, timeout: timeout))
            } catch {
                fetched = .failure(ScrapeError(error, timeout: timeout))
            }
        }
        let document: Result<PrometheusDocument, ScrapeError> = fetched.flatMap { response in
            guard response.isSuccess else {
                return .failure(.http(status: response.status, reason: HTTPStatusText.reason(response.status)))
            }
            let parsed = PrometheusText.parse(response.text)
            guard parsed.errors.isEmpty else {
                return .failure(.malformed(count: parsed.errors.count, first: Array(parsed.errors.prefix(3))))
            }
            return .success(parsed)
        }
        return state.withLock { state in
            state.stats.scrapes += 1
            let failure: ScrapeError
            switch document {
            case .success(let document):
                let reading = state.mapping.map(document, at: time)
                if !reading.gpus.isEmpty || !reading.engines.isEmpty {
                    state.lastGood = reading
                    state.stats.consecutiveErrors = 0
                    return reading
                }
                failure = .noSeries(source: state.mapping.source)
            case .failure(let error):
                failure = error
            }
            let message = "\(name): \(failure) (\(url))"
            state.stats.errors += 1
            state.stats.consecutiveErrors += 1
            state.stats.lastError = message
            var reading = state.lastGood ?? CollectorReading()
            for i in reading.gpus.indices { reading.gpus[i].xids = [] }  // already reported once
            reading.stale = true
            reading.errors = [message]
            return reading
        }
    }
}

/// Turns one parsed scrape into a `CollectorReading`, keeping across scrapes what rates and
/// histogram deltas need. `ScrapeCollector` runs one per URL.
public protocol ScrapeMapping: Sendable {
    /// What the mapping reads, for messages and collector names: `dcgm-exporter`, `vllm`.
    var source: String { get }

    /// Maps one scrape taken at `time` (seconds on the agent's clock). A reading with no GPUs and
    /// no engines means the document held nothing this mapping knows.
    mutating func map(_ document: PrometheusDocument, at time: Double) -> CollectorReading
}
