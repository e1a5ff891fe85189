import InfertopTestSupport
import Testing

@testable import InfertopCore

@Suite struct ReplicaResolverTests {
    let state = CoreFixtures.state(nodes: 2, gpus: 8)

    func span(node: String?, service: String = "", attributes: SpanAttributes = [:]) -> Span {
        Span(
            traceID: TraceID(high: 9, low: 9), spanID: SpanID(1), name: "llm_request", kind: .server, startNanos: 0,
            endNanos: 10, service: service, node: node.map { NodeID($0) }, attributes: attributes)
    }

    @Test func infertopReplicaAttribute_winsOverEverything() {
        let s = span(
            node: "node-01", service: "llama-405b/0", attributes: ["infertop.replica": .string("llama-405b/1")])
        #expect(ReplicaResolver.replica(for: s, in: state) == ReplicaID(model: "llama-405b", index: 1))
    }

    @Test func serviceName_equalToAReplica() {
        #expect(ReplicaResolver.replica(for: span(node: nil, service: "llama-405b/1"), in: state)?.index == 1)
        #expect(ReplicaResolver.replica(for: span(node: nil, service: "llama-405b/9"), in: state) == nil, "not placed")
        #expect(ReplicaResolver.replica(for: span(node: nil, service: "vllm"), in: state) == nil)
    }

    @Test func modelOnNode_findsTheReplicaWithAShardThere() {
        let s = span(node: "node-02", attributes: ["gen_ai.response.model": .string("llama-405b")])
        #expect(ReplicaResolver.replica(for: s, in: state) == ReplicaID(model: "llama-405b", index: 1))
        let request = span(node: "node-01", attributes: ["gen_ai.request.model": .string("LLAMA-405B")])
        #expect(ReplicaResolver.replica(for: request, in: state)?.index == 0)
        let other = span(node: "node-01", attributes: ["gen_ai.response.model": .string("llama-70b")])
        #expect(ReplicaResolver.replica(for: other, in: state) == nil)
    }

    @Test func twoReplicasOfOneModelOnANode_needTheGPUsToTellThemApart() {
        let node = NodeSpec(
            id: "node-01",
            gpus: (0..<8).map { GPUSpec(id: GPUID(node: "node-01", index: $0), model: .h100, island: 0) },
            ports: [])
        let replicas = (0..<2).map { r in
            let id = ReplicaID(model: "llama-70b", index: r)
            return ReplicaSpec(
                id: id, model: .llama70B, tensorParallel: 4, pipelineParallel: 1,
                shards: (0..<4).map {
                    Shard(
                        replica: id, tpRank: $0, ppStage: 0, gpu: GPUID(node: "node-01", index: r * 4 + $0),
                        weightsBytes: 1)
                })
        }
        let shared = ClusterState(topology: Topology(nodes: [node]), replicas: replicas)
        let bare = span(node: "node-01", attributes: ["gen_ai.response.model": .string("llama-70b")])
        #expect(ReplicaResolver.replica(for: bare, in: shared) == nil, "ambiguous: left unresolved")
        var told = bare
        told.attributes["infertop.gpus"] = .string("4-7")
        #expect(ReplicaResolver.replica(for: told, in: shared)?.index == 1)
        #expect(ReplicaResolver.resolve(told, in: shared).gpus == "gpu4-7")
    }

    @Test func gpuGroup_fromTheReplicasShardsOnTheNode() {
        let s = span(node: "node-02", attributes: ["infertop.replica": .string("llama-405b/1")])
        #expect(ReplicaResolver.resolve(s, in: state).gpus == "gpu0-7")
    }

    @Test(arguments: [("0-7", [0, 1, 2, 3, 4, 5, 6, 7]), ("gpu3", [3]), ("0,2,4", [0, 2, 4]), ("x", nil), ("7-2", nil)])
    func gpuIndexes(text: String, expected: [Int]?) {
        #expect(ReplicaResolver.gpuIndexes(text) == expected)
    }

    @Test func labels() {
        #expect(ReplicaResolver.label([3, 1, 2]) == "gpu1-3")
        #expect(ReplicaResolver.label([0, 2]) == "gpu0,2")
        #expect(ReplicaResolver.label([5]) == "gpu5")
        #expect(ReplicaResolver.parse("meta/llama/3") == ReplicaID(model: "meta/llama", index: 3))
        #expect(ReplicaResolver.parse("llama") == nil)
    }
}
