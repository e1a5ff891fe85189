import InfertopTOML

/// The agent's config file as TOML writes it, decoded before its values are checked and
/// converted into `AgentConfig`.
struct AgentConfigFile: TOMLTableShape {
    var node: String?, listen: String?, intervalSeconds: TOMLNumber?, metricsListen: String?
    var sysfsRoot: String?, nvmlLibrary: String?
    var tls: TLSFile?, tokens: [TokenFile]?, scrape: [ScrapeFile]?, otlp: OTLPFile?, control: ControlFile?

    enum CodingKeys: String, TOMLKeys {
        case node, listen, intervalSeconds, metricsListen, sysfsRoot, nvmlLibrary, tls, tokens, scrape, otlp, control
    }

    static var nestedTables: [CodingKeys: any TOMLTableShape.Type] {
        [
            .tls: TLSFile.self, .tokens: TokenFile.self, .scrape: ScrapeFile.self, .otlp: OTLPFile.self,
            .control: ControlFile.self
        ]
    }
}

/// `[tls]`: the gRPC service's PEM files, both or neither.
struct TLSFile: TOMLTableShape {
    var certificate: String?, key: String?

    enum CodingKeys: String, TOMLKeys { case certificate, key }
}

/// One `[[tokens]]` table.
struct TokenFile: TOMLTableShape {
    var token: String
    var name: String?, role: String?

    enum CodingKeys: String, TOMLKeys { case name, token, role }
}

/// One `[[scrape]]` table: dcgm-exporter, or a serving engine with the replica it serves.
struct ScrapeFile: TOMLTableShape {
    var kind: String, url: String
    var replica: String?, gpus: [Int]?, servedModelName: String?
    var timeoutSeconds: TOMLNumber?, decodeFloorSeconds: TOMLNumber?, kvBlockSizeTokens: Int?
    var weightsBytesPerGPU: Int?, kvBytesPerTokenPerGPU: Int?, activationBytesPerGPU: Int?

    enum CodingKeys: String, TOMLKeys {
        case kind, url, replica, gpus, servedModelName, timeoutSeconds, decodeFloorSeconds, kvBlockSizeTokens
        case weightsBytesPerGPU = "weights_bytes_per_gpu"
        case kvBytesPerTokenPerGPU = "kv_bytes_per_token_per_gpu"
        case activationBytesPerGPU = "activation_bytes_per_gpu"
    }
}

/// `[otlp]`: the trace receivers and the span storage behind them.
struct OTLPFile: TOMLTableShape {
    var grpcListen: String?, httpListen: String?
    var maxBodyBytes: Int?, spanCapacity: Int?, spanCapacityBytes: Int?, maxSpansPerSecond: Int?

    enum CodingKeys: String, TOMLKeys {
        case grpcListen, httpListen, maxBodyBytes, spanCapacity, spanCapacityBytes, maxSpansPerSecond
    }
}
