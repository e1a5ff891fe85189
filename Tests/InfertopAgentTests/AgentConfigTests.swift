import InfertopCore
import Testing

@testable import InfertopAgent

@Suite struct AgentConfigTests {
    @Test func defaultText_parsesToTheDefaults() throws {
        let config = try AgentConfig.parse(AgentConfig.defaultText, file: "default.toml")
        #expect(config.listen.host == "127.0.0.1")
        #expect(config.listen.port == 50051)
        #expect(config.intervalSeconds == 1)
        #expect(config.scrapes.isEmpty)
    }

    @Test func fullConfig_parses() throws {
        let text = """
            node = "node-07"
            listen = "0.0.0.0:6000"
            interval_seconds = 0.5
            [[tokens]]
            token = "0123456789abcdef0123"
            role = "operator"
            [[scrape]]
            kind = "vllm"
            url = "http://127.0.0.1:8000/metrics"
            replica = "llama-405b/2"
            gpus = [0, 1, 2, 3]
            """
        let c = try AgentConfig.parse(text, file: "agent.toml")
        #expect(c.node == "node-07")
        #expect(c.listen.host == "0.0.0.0" && c.listen.port == 6000)
        #expect(c.listen.tokens["0123456789abcdef0123"] == .operator)
        #expect(c.scrapes.first?.engine?.gpus == [0, 1, 2, 3])
        #expect(c.scrapes.first?.engine?.replicaID.description == "llama-405b/2")
        #expect(c.scrapes.first?.engine?.kind == .vllm)
        #expect(throws: Never.self) { try c.listen.validate() }
    }

    @Test(arguments: [
        ("listen = 5", 1, "listen"), ("node = \"a\"\nbogus = 1", 2, "bogus"),
        ("interval_seconds = -1", 1, "interval_seconds"),
        ("[[tokens]]\ntoken = \"short\"", 2, "token"),
        ("[[tokens]]\ntoken = \"0123456789abcdef0123\"\nrole = \"admin\"", 3, "role"),
        ("[[scrape]]\nkind = \"nope\"\nurl = \"http://x/metrics\"", 2, "kind"),
        // A key of the second [[tokens]] or [[scrape]] is named on its own line, not the first's.
        (
            "[[tokens]]\ntoken = \"0123456789abcdef0123\"\nrole = \"viewer\"\n[[tokens]]\ntoken = \"abcdef0123456789abcd\"\nrole = \"admin\"",
            6, "role"
        ),
        ("[[tokens]]\ntoken = \"0123456789abcdef0123\"\n[[tokens]]\nrole = \"viewer\"", 3, "token"),
        (
            "[[scrape]]\nkind = \"vllm\"\nurl = \"http://a/metrics\"\n[[scrape]]\nkind = \"vllm\"\nurl = \"ftp://b\"",
            6, "url"
        )
    ])
    func badConfig_namesFileLineAndKey(text: String, line: Int, key: String) {
        Self.expectMistake(text, line: line, key: key)
    }

    /// Parsing `text` fails naming `agent.toml`, the line and the key (and, when given, `words`).
    static func expectMistake(_ text: String, line: Int, key: String, words: String? = nil) {
        do {
            _ = try AgentConfig.parse(text, file: "agent.toml")
            Issue.record("parsed: \(text)")
        } catch let error as AgentConfigFileError {
            #expect(error.file == "agent.toml")
            #expect(error.line == line, "\(error)")
            #expect(error.key == key, "\(error)")
            #expect(error.description.hasPrefix("agent.toml:\(line): key '\(key)'"), "\(error)")
            if let words { #expect(error.description.contains(words), "\(error)") }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func listenAddresses_takeIPv6InBrackets_andSayHowToBracketIt() throws {
        let config = try AgentConfig.parse(
            "listen = \"[::1]:50051\"\nmetrics_listen = \"[::]:9464\"\n[otlp]\ngrpc_listen = \"off\"\nhttp_listen = \"[::1]:4318\"",
            file: "agent.toml")
        #expect(config.listen.address == HostPort(host: "::1", port: 50051))
        #expect(config.listen.isLoopback)
        #expect(config.metricsListen == HostPort(host: "::", port: 9464))
        #expect(config.otlp.grpcListen == nil)
        #expect(config.otlp.httpListen == HostPort(host: "::1", port: 4318))
        Self.expectMistake(
            "listen = \"::1:50051\"", line: 1, key: "listen", words: "needs brackets around it: [::1]:50051")
        Self.expectMistake(
            "metrics_listen = \"host:70000\"", line: 1, key: "metrics_listen",
            words: "port 70000 is out of range (0-65535)")
        Self.expectMistake(
            "[otlp]\ngrpc_listen = \"4317\"", line: 2, key: "otlp.grpc_listen", words: "the port is missing")
    }

    @Test func syntaxError_namesTheLine() {
        #expect {
            try AgentConfig.parse("node = \"a\"\nlisten = [", file: "agent.toml")
        } throws: { error in
            (error as? AgentConfigFileError)?.line == 2
        }
    }

    @Test func nonLoopbackWithoutToken_isRefusedWithHowTo() {
        var listen = ListenConfig(host: "0.0.0.0", port: 50051)
        #expect {
            try listen.validate()
        } throws: { error in
            "\(error)".contains("without a token") && "\(error)".contains("[[tokens]]")
        }
        listen.tokens = ["0123456789abcdef0123": .viewer]
        #expect(throws: Never.self) { try listen.validate() }
        #expect(throws: Never.self) { try ListenConfig(host: "127.0.0.1").validate() }
    }
}
