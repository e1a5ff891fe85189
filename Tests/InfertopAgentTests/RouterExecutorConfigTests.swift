import Foundation
import InfertopCore
import Testing

@testable import InfertopAgent

/// `[control.router]`: what it reads, what it refuses (file, line, key), and which workers an
/// agent acts on: the configured ones, else its `[[scrape]]` engines' URLs without the path.
@Suite struct RouterExecutorConfigTests {
    static let base = """
        [[scrape]]
        kind = "sglang"
        url = "http://10.0.0.7:30001/metrics"
        replica = "llama-70b/0"
        [[scrape]]
        kind = "vllm"
        url = "http://10.0.0.7:8000/metrics"
        replica = "llama-8b/3"
        [[scrape]]
        kind = "dcgm-exporter"
        url = "http://127.0.0.1:9400/metrics"
        [control]
        executor = ["router", "slurm"]
        """

    @Test func aFullRouterTable_parses() throws {
        let config = try AgentConfig.parse(
            Self.base + """

                [control.router]
                url = "http://10.0.0.2:30000/"
                admin_key = "adm1n-key"
                timeout_seconds = 2.5
                settle_seconds = 60
                [[control.router.workers]]
                replica = "llama-70b/0"
                url = "http://10.0.0.7:31001"
                [[control.router.workers]]
                replica = "llama-70b/0"
                url = "http://10.0.0.7:31002/"
                [[control.router.workers]]
                node = "node-08"
                replica = "llama-70b/5"
                url = "http://10.0.0.8:30001"
                """, file: "agent.toml")
        let router = config.control.router
        #expect(config.control.executors == [.router, .slurm])
        #expect(router.url == "http://10.0.0.2:30000")
        #expect(router.adminKey == "adm1n-key" && router.adminKeyFile == nil)
        #expect(router.timeoutSeconds == 2.5 && router.settleSeconds == 60)
        let replica = ReplicaID(model: "llama-70b", index: 0)
        #expect(
            router.workers == [
                RouterWorker(replica: replica, url: "http://10.0.0.7:31001"),
                RouterWorker(replica: replica, url: "http://10.0.0.7:31002"),
                RouterWorker(
                    replica: ReplicaID(model: "llama-70b", index: 5), url: "http://10.0.0.8:30001", node: "node-08")
            ])
        // The configured workers replace llama-70b/0's scrape URL; llama-8b/3 keeps its own; dcgm is no worker.
        #expect(
            router.workers(scrapes: config.scrapes).map(\.description) == [
                "llama-70b/0 (http://10.0.0.7:31001)", "llama-70b/0 (http://10.0.0.7:31002)",
                "llama-70b/5 (http://10.0.0.8:30001)",
                "llama-8b/3 (http://10.0.0.7:8000)"
            ])
    }

    @Test func withoutConfiguredWorkers_theScrapeURLsWithoutTheirPathAreTheWorkers() throws {
        let config = try AgentConfig.parse(
            Self.base + "\n[control.router]\nurl = \"http://10.0.0.2:30000\"\n", file: "agent.toml")
        #expect(
            config.control.router.workers(scrapes: config.scrapes).map(\.url) == [
                "http://10.0.0.7:30001", "http://10.0.0.7:8000"
            ])
        #expect(config.control.router.timeoutSeconds == 5 && config.control.router.settleSeconds == 30)
        #expect(RouterSettings.origin(of: "http://[::1]:8000/prometheus/metrics?x=1") == "http://[::1]:8000")
    }

    @Test(arguments: [
        ("", "control.router", "needs [control.router] url"),
        ("[control.router]\nadmin_key = \"k\"", "control.router.url", "needs url"),
        ("[control.router]\nurl = \"10.0.0.2:30000\"", "control.router.url", "needs url"),
        ("[control.router]\nurl = \"http://r:1\"\nbogus = 1", "control.router.bogus", "unknown key"),
        (
            "[control.router]\nurl = \"http://r:1\"\nadmin_key = \"k\"\nadmin_key_file = \"/k\"",
            "control.router.admin_key_file", "not both"
        ),
        (
            "[control.router]\nurl = \"http://r:1\"\ntimeout_seconds = 0", "control.router.timeout_seconds",
            "seconds from"
        ),
        (
            "[control.router]\nurl = \"http://r:1\"\n[[control.router.workers]]\nreplica = \"llama\"\nurl = \"http://w:1\"",
            "control.router.workers.replica", "MODEL/INDEX"
        ),
        (
            "[control.router]\nurl = \"http://r:1\"\n[[control.router.workers]]\nreplica = \"m/0\"\nurl = \"w:1\"",
            "control.router.workers.url", "as the router lists it"
        ),
        (
            "[control.router]\nurl = \"http://r:1\"\n[[control.router.workers]]\nnode = 7\nreplica = \"m/0\"\nurl = \"http://w:1\"",
            "control.router.workers.node", "must name a node"
        ),
        (
            "[control.router]\nurl = \"http://r:1\"\n[[control.router.workers]]\nreplica = \"m/0\"\nurl = \"http://w:1\"\n[[control.router.workers]]\nreplica = \"m/1\"\nurl = \"http://w:1\"",
            "control.router.workers.url", "listed twice"
        )
    ])
    func mistakes_areNamed(_ table: String, _ key: String, _ words: String) throws {
        let text = "[control]\nexecutor = \"router\"\n" + table
        let error = try #require(throws: AgentConfigFileError.self) { try AgentConfig.parse(text, file: "agent.toml") }
        #expect(error.key == key, "\(error)")
        #expect(error.problem.contains(words), "\(error)")
        #expect(error.description.hasPrefix("agent.toml"), "\(error)")
    }

    @Test func aRouterTableWithoutTheRouterExecutor_isReadButUnused() throws {
        let config = try AgentConfig.parse(
            "[control]\nexecutor = \"slurm\"\n[control.router]\nurl = \"http://r:1\"\n", file: "agent.toml")
        #expect(config.control.router.url == "http://r:1")
    }

    @Test func theExecutor_readsTheKeyFile_andNeedsAWorker() throws {
        let path = NSTemporaryDirectory() + "infertop-router-key-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "  s3cret-key \n".write(toFile: path, atomically: true, encoding: .utf8)
        let config = try AgentConfig.parse(
            Self.base + "\n[control.router]\nurl = \"http://10.0.0.2:30000\"\nadmin_key_file = \"\(path)\"\n",
            file: "agent.toml")
        let executor = try RouterExecutor.configured(config, node: "node-07")
        #expect(executor.client.adminKey == "s3cret-key")
        #expect(executor.client.router == "http://10.0.0.2:30000")
        #expect(executor.workers.count == 2 && executor.home == "node-07")
        #expect(try NodeExecutors.make(config, node: "node-07", replicas: []).name == "router+slurm")

        let missing = try AgentConfig.parse(
            Self.base + "\n[control.router]\nurl = \"http://r:1\"\nadmin_key_file = \"\(path)-absent\"\n",
            file: "agent.toml")
        #expect(throws: AgentConfigError.self) { try RouterExecutor.configured(missing, node: "node-07") }
        let noWorkers = try AgentConfig.parse(
            "[control]\nexecutor = \"router\"\n[control.router]\nurl = \"http://r:1\"\n", file: "agent.toml")
        let error = try #require(throws: AgentConfigError.self) {
            try RouterExecutor.configured(noWorkers, node: "node-07")
        }
        #expect(error.description.contains("no worker for this node"))
    }
}
