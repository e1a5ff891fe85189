import InfertopCollectors
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
    public var metricsListen: HostPort?
    /// Prometheus endpoints to scrape: dcgm-exporter and serving engines.
    public var scrapes: [ScrapeTarget] = []
    /// Root of sysfs, for tests and containers.
    public var sysfsRoot: String = "/"
    /// NVML library path or name.
    public var nvmlLibrary: String = "libnvidia-ml.so.1"
    /// The OpenTelemetry trace receiver and the span storage behind it.
    public var otlp = OTLPSettings()
    /// `[control]`: whether and how this agent coordinates operations.
    public var control = ControlSettings()

    public init() {}

    /// One `/metrics` endpoint the agent reads.
    public struct ScrapeTarget: Sendable, Hashable {
        public var url: String
        public var timeoutSeconds: Double = 2
        /// The serving engine behind the URL, with the replica and figures the assembler needs;
        /// nil for dcgm-exporter.
        public var engine: EngineBinding?

        public init(url: String, engine: EngineBinding? = nil) {
            self.url = url
            self.engine = engine
        }

        /// The `kind` values a `[[scrape]]` table may have.
        public static let kinds = ["dcgm-exporter"] + EngineKind.allCases.map(\.rawValue)
    }
}
