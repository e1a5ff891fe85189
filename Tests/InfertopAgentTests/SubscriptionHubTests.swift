import InfertopCore
import InfertopWire
import Testing

@testable import InfertopAgent

@Suite struct SubscriptionHubTests {
    func hub() -> SubscriptionHub {
        let node = NodeSpec(
            id: "node-01",
            gpus: (0..<2).map { GPUSpec(id: GPUID(node: "node-01", index: $0), model: .h100, island: 0) },
            ports: [])
        return SubscriptionHub(topology: node, replicas: [])
    }

    func values(kv: Double, time: Double) -> NodeValues {
        var v = NodeValues(node: "node-01")
        for i in 0..<2 {
            var m = MemoryBreakdown.empty(capacityBytes: 80 * gigabyte)
            m.kvUsedBytes = UInt64(kv * 1e9)
            v.gpus[i] = GPUSample(
                gpu: GPUID(node: "node-01", index: i), time: time, memory: m, utilization: 0, temperatureCelsius: 0,
                powerWatts: 0, smClockMHz: 0, throttle: [], preemptionsPerSecond: 0, runningRequests: 0,
                waitingRequests: 0)
        }
        return v
    }

    @Test func stalledSubscriber_getsCoalescedLatestValues_othersGetEvery() {
        let hub = hub()
        let stalled = hub.subscribe()
        let reader = hub.subscribe()
        var received = 0
        for t in 1...10_000 {
            hub.publish(values(kv: Double(t), time: Double(t)), time: Double(t))
            if let taken = reader.take(), taken.values != nil { received += 1 }
        }
        #expect(received == 10_000, "a reading subscriber gets every update")
        let pending = stalled.take()
        #expect(pending?.coalesced == 9_999)
        #expect(pending?.values?.gpus.count == 2, "one pending value per GPU, however long it stalls")
        #expect(pending?.values?.gpus[0]?.time == 10_000, "the newest value wins")
        #expect(stalled.take() == nil)
    }

    @Test func snapshot_carriesTopologyAndCurrentValues() {
        let hub = hub()
        hub.publish(values(kv: 3, time: 5), time: 5)
        let (update, sequence) = hub.snapshot()
        #expect(sequence == 1)
        guard case .snapshot(let s) = update.body else {
            Issue.record("not a snapshot")
            return
        }
        #expect(s.topology.node == "node-01")
        #expect(s.topology.gpus.count == 2)
        #expect(s.values.gpus.count == 2)
        #expect(update.time == 5)
    }

    @Test func heartbeats_onlyWhenQuiet() {
        let hub = hub()
        let sub = hub.subscribe()
        hub.publish(values(kv: 1, time: 1), time: 1)
        _ = sub.take()
        sub.poke(time: 1, quiet: .seconds(60))
        #expect(sub.take() == nil, "a reading just went out: no heartbeat")
        sub.poke(time: 1, quiet: .zero)
        let beat = sub.take()
        #expect(beat != nil && beat?.values == nil, "quiet long enough: a heartbeat")
    }

    @Test func emptyReading_isAHeartbeat() {
        let hub = hub()
        let sub = hub.subscribe()
        hub.publish(NodeValues(node: "node-01"), time: 1)
        let taken = sub.take()
        #expect(taken != nil && taken?.values == nil)
        hub.unsubscribe(sub)
        #expect(hub.subscriberCount == 0)
    }
}
