import Foundation
import InfertopCore
import Testing

@testable import InfertopCollectors

/// The AMD collector against `Fixtures/sysfs-amd`: two AMD cards (`card0`, `card2`), an ASPEED
/// BMC (`card1`), a connector (`card0-DP-1`) and a render node that must all be told apart.
@Suite struct AMDSysfsCollectorTests {
    @Test func readsAMDCardsOnlyInCardOrder() async throws {
        let collector = AMDSysfsCollector(root: HardwareFixtures.path("sysfs-amd"))
        let reading = await collector.collect(at: 1)
        try #require(reading.gpus.count == 2)
        let (g0, g1) = (reading.gpus[0], reading.gpus[1])
        #expect(g0.index == 0 && g1.index == 1)
        #expect(g0.name == "AMD Instinct MI300X")
        #expect(g0.uuid == "8a41c3e2f5b70d19")
        #expect(g0.memoryTotalBytes == 206_141_652_992)
        #expect(g0.memoryUsedBytes == 51_539_607_552)
        #expect(g0.utilization == 0.73)
        #expect(g0.temperatureCelsius == 68, "junction is preferred over edge")
        #expect(g0.powerWatts == 550, "power1_average is preferred over power1_input")
        #expect(g0.smClockMHz == 2100)
        #expect(g1.name == nil)
        #expect(g1.memoryUsedBytes == 1_073_741_824)
        #expect(g1.temperatureCelsius == 39, "temp1 without labels")
        #expect(g1.powerWatts == 120, "power1_input when there is no average")
    }

    @Test func garbageBecomesAnErrorNotACrash() async throws {
        let reading = await AMDSysfsCollector(root: HardwareFixtures.path("sysfs-amd")).collect(at: 1)
        #expect(reading.gpus[1].utilization == nil)
        #expect(reading.errors.count == 1)
        #expect(reading.errors.first?.hasSuffix("card2/device/gpu_busy_percent: not a number: \"busy\"") == true)
    }

    @Test func outOfRangeAndUnreadableValuesAreReported() async throws {
        let root = try HardwareFixtures.copyTree("sysfs-amd")
        defer { HardwareFixtures.removeScratch(root) }
        let card0 = "sys/class/drm/card0/device/"
        try HardwareFixtures.write("250", to: card0 + "gpu_busy_percent", in: root)
        try FileManager.default.removeItem(atPath: root + "/" + card0 + "mem_info_vram_used")
        try FileManager.default.createDirectory(
            atPath: root + "/" + card0 + "mem_info_vram_used", withIntermediateDirectories: false)
        let reading = await AMDSysfsCollector(root: root).collect(at: 1)
        #expect(reading.gpus[0].utilization == nil)
        #expect(reading.gpus[0].memoryUsedBytes == nil)
        #expect(reading.gpus[0].memoryTotalBytes == 206_141_652_992)
        #expect(reading.errors.contains { $0.hasSuffix("gpu_busy_percent: 250 is not a percentage") })
        #expect(reading.errors.contains { $0.contains("mem_info_vram_used: ") && $0.contains("directory") })
    }

    @Test func noAMDCardsMeansAnEmptyReading() async throws {
        let root = try HardwareFixtures.temporaryDirectory("no-amd")
        defer { HardwareFixtures.removeScratch(root) }
        #expect(!AMDSysfsCollector.hasCards(root: root))
        #expect(AMDSysfsCollector.hasCards(root: HardwareFixtures.path("sysfs-amd")))
        let reading = await AMDSysfsCollector(root: root).collect(at: 1)
        #expect(reading.gpus.isEmpty && reading.errors.isEmpty)
    }

    @Test func cardNamesAreCardsOnly() {
        #expect(AMDSysfsCollector.isCard("card0"))
        #expect(AMDSysfsCollector.isCard("card12"))
        #expect(!AMDSysfsCollector.isCard("card0-DP-1"))
        #expect(!AMDSysfsCollector.isCard("card"))
        #expect(!AMDSysfsCollector.isCard("renderD128"))
    }
}
