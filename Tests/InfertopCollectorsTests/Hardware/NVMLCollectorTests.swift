import Foundation
import InfertopCore
import Testing

@testable import InfertopCollectors

/// The NVML collector against the fake `libnvidia-ml.so.1` built from `Fixtures/nvml/fake_nvml.c`.
@Suite struct NVMLCollectorTests {
    private func open(_ defines: [String] = []) throws -> NVMLCollector {
        let path = try HardwareFixtures.buildFakeNVML(defines)
        // The loaded library stays mapped; its scratch folder can go at once.
        defer { HardwareFixtures.removeScratch(containing: path) }
        switch NVMLCollector.open(libraryPath: path, xidWaitMilliseconds: 20) {
        case .success(let collector): return collector
        case .failure(let reason): throw reason
        }
    }

    private func unavailable(_ path: String) -> String? {
        if case .failure(let reason) = NVMLCollector.open(libraryPath: path, xidWaitMilliseconds: 20) {
            return reason.reason
        }
        return nil
    }

    @Test func readsEveryGaugeOfBothGPUs() async throws {
        let nvml = try open()
        defer { nvml.shutdown() }
        let reading = await nvml.collect(at: 100)
        #expect(reading.errors == [])
        #expect(nvml.library.resolved["nvmlInit_v2"] == "nvmlInit_v2")
        #expect(nvml.library.resolved["nvmlEventSetWait_v2"] == "nvmlEventSetWait_v2")
        try #require(reading.gpus.count == 2)
        let (g0, g1) = (reading.gpus[0], reading.gpus[1])
        #expect(g0.index == 0 && g1.index == 1)
        #expect(g0.name == "NVIDIA H100 80GB HBM3")
        #expect(g0.uuid == "GPU-6f1c2a8e-0000-4000-8000-000000000000")
        #expect(g1.uuid == "GPU-6f1c2a8e-0000-4000-8000-000000000001")
        #expect(g0.memoryTotalBytes == 85_520_809_984)
        #expect(g0.memoryUsedBytes == 64_424_509_440)
        #expect(g0.memoryReservedBytes == 536_870_912)
        #expect(g1.memoryUsedBytes == 1_073_741_824)
        #expect(g0.utilization == 0.87)
        #expect(g1.utilization == 0.03)
        #expect(g0.powerWatts == 612.345)
        #expect(g1.powerWatts == 95)
        #expect(g0.temperatureCelsius == 71)
        #expect(g1.temperatureCelsius == 45)
        #expect(g0.smClockMHz == 1755)
        #expect(g0.maxSMClockMHz == 1980)
        #expect(g0.throttle == [.hwThermal, .hwSlowdown])
        #expect(g1.throttle == .gpuIdle)
        #expect(g0.fabricLinksUp == 18 && g0.fabricLinksTotal == 18)
        #expect(g1.fabricLinksUp == 16 && g1.fabricLinksTotal == 18)
    }

    @Test func turnsCountersIntoRatesBetweenPasses() async throws {
        let nvml = try open()
        defer { nvml.shutdown() }
        let first = await nvml.collect(at: 100)
        #expect(first.gpus[0].fabricTxBytesPerSecond == nil)
        #expect(first.gpus[0].fabricErrorsPerSecond == nil)
        #expect(first.gpus[0].pcieReplaysPerSecond == nil)
        let second = await nvml.collect(at: 102)
        #expect(second.errors == [])
        let (g0, g1) = (second.gpus[0], second.gpus[1])
        // +1,000,000 KiB TX and +2,000,000 KiB RX per pass, over 2 s.
        #expect(g0.fabricTxBytesPerSecond == 512_000_000)
        #expect(g0.fabricRxBytesPerSecond == 1_024_000_000)
        // Link 0 replay +3 and link 1 CRC +1 per pass: 4 errors in 2 s.
        #expect(g0.fabricErrorsPerSecond == 2)
        #expect(g0.pcieReplaysPerSecond == 2.5)
        #expect(g1.fabricTxBytesPerSecond == 0)
        #expect(g1.fabricErrorsPerSecond == 0)
    }

    @Test func deliversAnXIDOnceOnTheGPUThatRaisedIt() async throws {
        let nvml = try open()
        defer { nvml.shutdown() }
        var seen: [[Int]] = []
        for pass in 0..<200 {
            let reading = await nvml.collect(at: Double(pass))
            seen = reading.gpus.map(\.xids)
            if !seen[0].isEmpty { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(seen == [[79], []])
        let after = await nvml.collect(at: 1000)
        #expect(after.gpus.map(\.xids) == [[], []])
    }

    @Test func fallsBackToUnversionedAndOldNames() async throws {
        let nvml = try open(["-DFAKE_OLD_NAMES"])
        defer { nvml.shutdown() }
        #expect(nvml.library.resolved["nvmlInit_v2"] == "nvmlInit")
        #expect(nvml.library.resolved["nvmlDeviceGetCount_v2"] == "nvmlDeviceGetCount")
        #expect(nvml.library.resolved["nvmlEventSetWait_v2"] == "nvmlEventSetWait")
        #expect(
            nvml.library.resolved["nvmlDeviceGetCurrentClocksEventReasons"]
                == "nvmlDeviceGetCurrentClocksThrottleReasons")
        let reading = await nvml.collect(at: 1)
        #expect(reading.errors == [])
        let g0 = reading.gpus[0]
        // v1 memory: `used` includes the reserve, which v1 cannot tell apart.
        #expect(g0.memoryUsedBytes == 64_424_509_440 + 536_870_912)
        #expect(g0.memoryReservedBytes == nil)
        #expect(g0.temperatureCelsius == 71)
        #expect(g0.throttle == [.hwThermal, .hwSlowdown])
    }

    @Test func reportsWhatABrokenLibraryCannotGiveAndReadsTheRest() async throws {
        let nvml = try open(["-DFAKE_BROKEN"])
        defer { nvml.shutdown() }
        let reading = await nvml.collect(at: 1)
        #expect(reading.gpus.map(\.powerWatts) == [nil, nil])
        #expect(reading.gpus[1].utilization == nil)
        #expect(reading.gpus[0].utilization == 0.87)
        #expect(reading.gpus[0].fabricLinksUp == 18)
        #expect(reading.errors.contains("nvml: library lacks nvmlDeviceGetPowerUsage"))
        #expect(reading.errors.contains("nvml gpu 1: nvmlDeviceGetUtilizationRates: Unknown Error (999)"))
        #expect(
            reading.errors.contains {
                $0.hasPrefix("nvml gpu 0: nvmlDeviceGetFieldValues(field 138): unexpected value type 77")
            })
    }

    @Test func noLibraryIsAReasonNotACrash() throws {
        let reason = unavailable("/nonexistent/dir/libnvidia-ml.so.1")
        #expect(reason == "no NVML on this machine: /nonexistent/dir/libnvidia-ml.so.1 not found")
        #expect(unavailable("libnvidia-ml-infertop-absent.so.1")?.hasSuffix("not found") == true)
        let dir = try HardwareFixtures.temporaryDirectory("notelf")
        defer { HardwareFixtures.removeScratch(dir) }
        try "not a library".write(toFile: dir + "/libnvidia-ml.so.1", atomically: true, encoding: .utf8)
        #expect(unavailable(dir + "/libnvidia-ml.so.1")?.hasPrefix("no NVML on this machine: cannot load") == true)
    }

    @Test func driverNotLoadedIsAReason() throws {
        let path = try HardwareFixtures.buildFakeNVML(["-DFAKE_DRIVER_NOT_LOADED"])
        defer { HardwareFixtures.removeScratch(containing: path) }
        let reason = try #require(unavailable(path))
        #expect(reason.hasPrefix("no NVML on this machine: NVIDIA driver not loaded"))
    }

    @Test func libraryWithoutInitIsAReason() throws {
        let path = try HardwareFixtures.buildFakeNVML(["-DFAKE_NO_INIT"])
        defer { HardwareFixtures.removeScratch(containing: path) }
        #expect(unavailable(path) == "NVML library \(path) is unusable: it lacks nvmlInit_v2")
    }

    @Test func aShutDownCollectorSaysSo() async throws {
        let nvml = try open()
        nvml.shutdown()
        nvml.shutdown()
        let reading = await nvml.collect(at: 1)
        #expect(reading.gpus.isEmpty)
        #expect(reading.errors == ["nvml: collector was shut down"])
    }

    @Test func swiftMirrorsMatchTheDocumentedLayouts() {
        #expect(MemoryLayout<NVMLMemoryV1>.size == 24)
        #expect(MemoryLayout<NVMLMemoryV2>.size == 40)
        #expect(MemoryLayout<NVMLMemoryV2>.offset(of: \.total) == 8)
        #expect(MemoryLayout<NVMLMemoryV2>.offset(of: \.used) == 32)
        #expect(MemoryLayout<NVMLUtilization>.size == 8)
        #expect(MemoryLayout<NVMLTemperatureV1>.size == 12)
        #expect(MemoryLayout<NVMLTemperatureV1>.offset(of: \.temperature) == 8)
        #expect(MemoryLayout<NVMLFieldValue>.size == 40 && MemoryLayout<NVMLFieldValue>.stride == 40)
        #expect(MemoryLayout<NVMLFieldValue>.offset(of: \.valueType) == 24)
        #expect(MemoryLayout<NVMLFieldValue>.offset(of: \.value) == 32)
        #expect(MemoryLayout<NVMLEventData>.size == 32)
        #expect(MemoryLayout<NVMLEventData>.offset(of: \.eventData) == 16)
    }
}
