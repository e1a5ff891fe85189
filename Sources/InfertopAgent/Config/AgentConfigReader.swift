import InfertopCollectors
import InfertopCore
import InfertopTOML

/// Checks the values of the decoded config file and converts them into `AgentConfig`, naming
/// the file, line and key of a value that is wrong (the decoding has checked the types).
struct AgentConfigReader {
    var document: TOMLDocument
    var file: String

    /// The mistake at `keys` (in the `occurrence`-th `[[array]]` table): `problem`, else what the
    /// key must hold, then the `reason` in parentheses.
    func fail(
        _ keys: [String], occurrence: Int = 0, _ problem: String? = nil, reason: String? = nil
    ) -> AgentConfigFileError {
        let problem = (problem ?? AgentConfigFileError.problem(keys)) + (reason.map { " (\($0))" } ?? "")
        return AgentConfigFileError(
            file: file, line: document.line(of: keys, occurrence: occurrence), key: AgentConfigFileError.name(keys),
            problem: problem)
    }

    func config(_ values: AgentConfigFile) throws -> AgentConfig {
        var config = AgentConfig()
        config.node = values.node ?? config.node
        if let text = values.listen {
            let address = try listenAddress(text, ["listen"])
            (config.listen.host, config.listen.port) = (address.host, address.port)
        }
        config.intervalSeconds =
            try seconds(values.intervalSeconds, ["interval_seconds"], in: 0.1...3600) ?? config.intervalSeconds
        config.metricsListen = try values.metricsListen.map { try listenAddress($0, ["metrics_listen"]) }
        config.sysfsRoot = values.sysfsRoot ?? config.sysfsRoot
        config.nvmlLibrary = values.nvmlLibrary ?? config.nvmlLibrary
        if let tls = values.tls {
            guard (tls.certificate == nil) == (tls.key == nil) else {
                throw fail(["tls"], "needs both certificate and key (PEM files)")
            }
            (config.listen.tlsCertificatePath, config.listen.tlsKeyPath) = (tls.certificate, tls.key)
        }
        for (index, token) in (values.tokens ?? []).enumerated() { try add(token, index, to: &config.listen) }
        if let control = values.control { config.control = try self.control(control) }
        if let otlp = values.otlp { config.otlp = try self.otlp(otlp) }
        config.scrapes = try (values.scrape ?? []).enumerated().map { try scrapeTarget($1, $0) }
        return config
    }

    /// A number of seconds in `range`; nil when the key is left out.
    func seconds(_ value: TOMLNumber?, _ keys: [String], in range: ClosedRange<Double>) throws -> Double? {
        guard let value = value?.value else { return nil }
        guard range.contains(value) else { throw fail(keys) }
        return value
    }

    private func listenAddress(_ text: String, _ keys: [String]) throws -> HostPort {
        switch HostPort.parse(text, for: .listen) {
        case .success(let address): return address
        case .failure(let error): throw fail(keys, reason: error.reason)
        }
    }

    private func add(_ entry: TokenFile, _ index: Int, to listen: inout ListenConfig) throws {
        guard entry.token.count >= 16 else { throw fail(["tokens", "token"], occurrence: index) }
        let roleName = entry.role ?? "viewer"
        guard let role = Role(rawValue: roleName) else {
            throw fail(["tokens", "role"], occurrence: index, "must be viewer or operator, got '\(roleName)'")
        }
        listen.tokens[entry.token] = role
        // The operator the journal and audit log name for calls with this token.
        listen.tokenNames[entry.token] = entry.name ?? "\(roleName)-\(entry.token.prefix(4))"
    }

    private func otlp(_ values: OTLPFile) throws -> OTLPSettings {
        var otlp = OTLPSettings()
        func listen(_ text: String?, _ key: String, _ current: HostPort?) throws -> HostPort? {
            guard let text else { return current }
            switch ListenSetting.parse(text) {
            case .success(let setting): return setting.address
            case .failure(let error): throw fail(["otlp", key], reason: error.reason)
            }
        }
        func count(_ value: Int?, _ key: String, upTo limit: Int, _ current: Int) throws -> Int {
            guard let value else { return current }
            guard (1...limit).contains(value) else { throw fail(["otlp", key]) }
            return value
        }
        otlp.grpcListen = try listen(values.grpcListen, "grpc_listen", otlp.grpcListen)
        otlp.httpListen = try listen(values.httpListen, "http_listen", otlp.httpListen)
        otlp.maxBodyBytes = try count(values.maxBodyBytes, "max_body_bytes", upTo: 256 << 20, otlp.maxBodyBytes)
        otlp.spanCapacity = try count(values.spanCapacity, "span_capacity", upTo: 10_000_000, otlp.spanCapacity)
        otlp.spanCapacityBytes = try count(
            values.spanCapacityBytes, "span_capacity_bytes", upTo: 1 << 40, otlp.spanCapacityBytes)
        otlp.maxSpansPerSecond = try count(
            values.maxSpansPerSecond, "max_spans_per_second", upTo: 100_000_000, otlp.maxSpansPerSecond)
        return otlp
    }

    private func scrapeTarget(_ values: ScrapeFile, _ index: Int) throws -> AgentConfig.ScrapeTarget {
        guard AgentConfig.ScrapeTarget.kinds.contains(values.kind) else {
            throw fail(["scrape", "kind"], occurrence: index)
        }
        guard values.url.hasPrefix("http://") else { throw fail(["scrape", "url"], occurrence: index) }
        var target = AgentConfig.ScrapeTarget(url: values.url)
        target.timeoutSeconds = values.timeoutSeconds?.value ?? target.timeoutSeconds
        func bytes(_ value: Int?, _ key: String) throws -> UInt64? {
            guard let value else { return nil }
            guard value >= 0 else { throw fail(["scrape", key], occurrence: index) }
            return UInt64(value)
        }
        guard let kind = EngineKind(configName: values.kind) else { return target }
        let parts = (values.replica ?? "engine/0").split(separator: "/")
        target.engine = EngineBinding(
            model: parts.first.map(String.init) ?? "engine", replica: parts.count > 1 ? Int(parts[1]) ?? 0 : 0,
            kind: kind, metricsURL: values.url, gpus: values.gpus ?? [], servedModelName: values.servedModelName,
            weightsBytesPerGPU: try bytes(values.weightsBytesPerGPU, "weights_bytes_per_gpu"),
            kvBytesPerTokenPerGPU: try bytes(values.kvBytesPerTokenPerGPU, "kv_bytes_per_token_per_gpu"),
            kvBlockSizeTokens: values.kvBlockSizeTokens,
            activationBytesPerGPU: try bytes(values.activationBytesPerGPU, "activation_bytes_per_gpu"),
            decodeFloorSeconds: values.decodeFloorSeconds?.value)
        return target
    }
}
