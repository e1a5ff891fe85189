import Foundation
import InfertopCore
import Testing

@testable import InfertopCollectors

/// The InfiniBand collector against a scratch copy of `Fixtures/sysfs-ib`: `mlx5_0` (InfiniBand,
/// 400 Gb/s NDR) and `mlx5_1` (RoCE, 200 Gb/s, `symbol_error` reading `N/A (no PMA)`).
@Suite struct InfiniBandCollectorTests {
    private let port0 = "sys/class/infiniband/mlx5_0/ports/1/"
    private let port1 = "sys/class/infiniband/mlx5_1/ports/1/"

    @Test func firstPassReadsStateAndRateWithZeroRates() async throws {
        let root = try HardwareFixtures.copyTree("sysfs-ib")
        defer { HardwareFixtures.removeScratch(root) }
        let reading = await InfiniBandCollector(node: "node-07", root: root).collect(at: 10)
        #expect(reading.errors == [])
        #expect(
            reading.ports == [
                PortSample(
                    node: "node-07", port: "mlx5_0", time: 10, state: .active, txBytesPerSecond: 0,
                    rxBytesPerSecond: 0, rateBytesPerSecond: 50e9, errorsPerSecond: 0),
                PortSample(
                    node: "node-07", port: "mlx5_1", time: 10, state: .active, txBytesPerSecond: 0,
                    rxBytesPerSecond: 0, rateBytesPerSecond: 25e9, errorsPerSecond: 0)
            ])
    }

    @Test func secondPassGivesRatesAndSeesAPortGoDown() async throws {
        let root = try HardwareFixtures.copyTree("sysfs-ib")
        defer { HardwareFixtures.removeScratch(root) }
        let collector = InfiniBandCollector(node: "node-07", root: root)
        _ = collector.read(at: 10)
        try HardwareFixtures.write("1250000000", to: port0 + "counters/port_xmit_data", in: root)  // +1e9 bytes
        try HardwareFixtures.write("2500000000", to: port0 + "counters/port_rcv_data", in: root)  // +2e9 bytes
        try HardwareFixtures.write("1: DOWN", to: port1 + "state", in: root)
        try HardwareFixtures.write("3: Disabled", to: port1 + "phys_state", in: root)
        try HardwareFixtures.write("2", to: port1 + "counters/link_downed", in: root)
        try HardwareFixtures.write("4", to: port1 + "counters/port_rcv_errors", in: root)
        try HardwareFixtures.write("150", to: port1 + "hw_counters/np_ecn_marked_roce_packets", in: root)
        let (ports, errors) = collector.read(at: 12)
        #expect(errors == [])
        try #require(ports.count == 2)
        let (ib, roce) = (ports[0], ports[1])
        #expect(ib.txBytesPerSecond == 500_000_000)
        #expect(ib.rxBytesPerSecond == 1_000_000_000)
        #expect(ib.errorsPerSecond == 0)
        #expect(ib.linkLayer == .infiniband)
        #expect(ib.counterRates["counters/port_xmit_wait"] == 0)
        #expect(roce.state == .down)
        #expect(roce.stateText == "1: DOWN" && roce.physicalStateText == "3: Disabled")
        #expect(roce.linkLayer == .ethernet)
        #expect(roce.txBytesPerSecond == 0)
        #expect(roce.errorsPerSecond == 1.5, "1 link-downed + 2 receive errors in 2 s")
        #expect(roce.counters["counters/symbol_error"] == nil, "N/A (no PMA) is skipped")
        #expect(roce.counterRates["hw_counters/np_ecn_marked_roce_packets"] == 25)
        #expect(roce.counters["hw_counters/out_of_buffer"] == 5)
        #expect(roce.counters["hw_counters/lifespan"] == nil)
        let sample = roce.sample(node: "node-07", time: 12)
        #expect(sample.state == .down && sample.port == "mlx5_1" && sample.errorsPerSecond == 1.5)
    }

    @Test func aCounterThatWentBackCountsFromZero() async throws {
        let root = try HardwareFixtures.copyTree("sysfs-ib")
        defer { HardwareFixtures.removeScratch(root) }
        let collector = InfiniBandCollector(node: "n", root: root)
        _ = collector.read(at: 0)
        try HardwareFixtures.write("1000", to: port0 + "counters/port_xmit_data", in: root)
        let (ports, _) = collector.read(at: 4)
        #expect(ports[0].txBytesPerSecond == 1000)
        #expect(ports[0].rxBytesPerSecond == 0)
    }

    @Test func garbageBecomesErrorsNotACrash() async throws {
        let root = try HardwareFixtures.copyTree("sysfs-ib")
        defer { HardwareFixtures.removeScratch(root) }
        try HardwareFixtures.write("lots", to: port0 + "counters/port_rcv_errors", in: root)
        try HardwareFixtures.write("sideways", to: port0 + "state", in: root)
        try HardwareFixtures.write("fast", to: port0 + "rate", in: root)
        let reading = await InfiniBandCollector(node: "n", root: root).collect(at: 1)
        #expect(reading.ports.count == 2)
        #expect(reading.ports[0].state == .down)
        #expect(reading.ports[0].rateBytesPerSecond == 0)
        #expect(reading.errors.count == 3)
        #expect(reading.errors.contains { $0.hasSuffix("port_rcv_errors: not a number: \"lots\"") })
        #expect(reading.errors.contains { $0.hasSuffix("state: no port state in \"sideways\"") })
        #expect(reading.errors.contains { $0.hasSuffix("rate: no rate in \"fast\"") })
    }

    @Test func noHCAMeansAnEmptyReading() async throws {
        let root = try HardwareFixtures.temporaryDirectory("no-ib")
        defer { HardwareFixtures.removeScratch(root) }
        #expect(!InfiniBandCollector.hasDevices(root: root))
        #expect(InfiniBandCollector.hasDevices(root: HardwareFixtures.path("sysfs-ib")))
        let reading = await InfiniBandCollector(node: "n", root: root).collect(at: 1)
        #expect(reading.ports.isEmpty && reading.errors.isEmpty)
    }

    @Test func parsesStatesAndRatesAsTheKernelPrintsThem() {
        #expect(InfiniBandPortReading.parseState("4: ACTIVE") == .active)
        #expect(InfiniBandPortReading.parseState("5: ACTIVE_DEFER") == .active)
        #expect(InfiniBandPortReading.parseState("3: ARMED") == .initializing)
        #expect(InfiniBandPortReading.parseState("2: INIT") == .initializing)
        #expect(InfiniBandPortReading.parseState("1: DOWN") == .down)
        #expect(InfiniBandPortReading.parseState("ACTIVE") == nil)
        #expect(InfiniBandPortReading.parseRate("400 Gb/sec (4X NDR)") == 50e9)
        #expect(InfiniBandPortReading.parseRate("2.5 Gb/sec (1X SDR)") == 312_500_000)
        #expect(InfiniBandPortReading.parseRate("garbage") == nil)
    }
}
