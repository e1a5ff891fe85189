import Foundation
import InfertopCollectors
import InfertopCore
import Testing

@Suite("dcgm-exporter mapping")
struct DCGMExporterMappingTests {
    private let mib: UInt64 = 1 << 20

    @Test func newHostnameLabelFixture() throws {
        var mapping = DCGMExporterMapping(hostname: "gpu-node-07")
        let gpus = mapping.gpuReadings(try MetricsFixtures.document("dcgm-exporter-hostname.txt"), at: 100)
        #expect(gpus.map(\.index) == Array(0..<8))
        let g0 = gpus[0]
        #expect(g0.name == "NVIDIA H100 80GB HBM3")
        #expect(g0.uuid == "GPU-3f4b2a1c-8d2e-4c1f-9a7b-0e5d6c2b1a90")
        #expect(g0.memoryUsedBytes == 73251 * mib)
        #expect(g0.memoryReservedBytes == 545 * mib)
        #expect(g0.memoryTotalBytes == 81559 * mib)
        #expect(close(g0.utilization, 0.97))
        #expect(close(g0.powerWatts, 512.343))
        #expect(g0.temperatureCelsius == 61)
        #expect(g0.smClockMHz == 1980)
        #expect(g0.fabricTxBytesPerSecond == 121_342e6 / 2 && g0.fabricRxBytesPerSecond == 121_342e6 / 2)
        #expect(g0.pcieReplaysPerSecond == nil)  // a counter needs two scrapes
        #expect(g0.fabricErrorsPerSecond == nil)  // per-link entity series are not GPU totals
        #expect(g0.xids.isEmpty)
        #expect(gpus[3].xids == [79])
        #expect(gpus[3].temperatureCelsius == 83)
        #expect(gpus[4].utilization == 0)
    }

    @Test func oldHostnameLabelFixture() throws {
        let doc = try MetricsFixtures.document("dcgm-exporter-Hostname.txt")
        var mine = DCGMExporterMapping(hostname: "gpu-node-12")
        var other = DCGMExporterMapping(hostname: "gpu-node-07")
        var unfiltered = DCGMExporterMapping()
        #expect(mine.gpuReadings(doc, at: 0).count == 8)
        #expect(other.gpuReadings(doc, at: 0).isEmpty)
        #expect(unfiltered.gpuReadings(doc, at: 0).count == 8)
    }

    @Test func hostnamesMatchWithoutCaseAndByShortName() throws {
        let doc = try MetricsFixtures.document("dcgm-exporter-hostname.txt")
        for name in ["GPU-NODE-07", "gpu-node-07.cluster.local"] {
            var mapping = DCGMExporterMapping(hostname: name)
            #expect(mapping.gpuReadings(doc, at: 0).count == 8, "\(name)")
        }
        var prefix = DCGMExporterMapping(hostname: "gpu-node-0")
        #expect(prefix.gpuReadings(doc, at: 0).isEmpty)
    }

    @Test func countersBecomeRatesAndXIDsAreReportedOnce() throws {
        var mapping = DCGMExporterMapping()
        let first = try MetricsFixtures.document("dcgm-exporter-hostname.txt")
        _ = mapping.gpuReadings(first, at: 100)
        var second = first
        second.samples = first.samples.map { sample in
            var s = sample
            if s.name == "DCGM_FI_DEV_PCIE_REPLAY_COUNTER" && s.labels["gpu"] == "7" { s.value = 24 }
            if s.name == "DCGM_FI_DEV_PCIE_REPLAY_COUNTER" && s.labels["gpu"] == "6" { s.value = 0 }
            if s.name == "DCGM_FI_DEV_XID_ERRORS" && s.labels["gpu"] == "5" { s.value = 48 }
            return s
        }
        let gpus = mapping.gpuReadings(second, at: 110)
        #expect(gpus[7].pcieReplaysPerSecond == 1)  // 14 -> 24 in 10 s
        #expect(gpus[6].pcieReplaysPerSecond == 0)
        #expect(gpus[3].xids.isEmpty)  // XID 79 was already reported
        #expect(gpus[5].xids == [48])
    }

    @Test func blanksMIGAndNVLinkErrors() {
        let text = """
            DCGM_FI_DEV_GPU_TEMP{gpu="0",hostname="h"} 9223372036854775794
            DCGM_FI_DEV_SM_CLOCK{gpu="0",hostname="h"} 2147483632
            DCGM_FI_DEV_POWER_USAGE{gpu="0",hostname="h"} 140737488355328
            DCGM_FI_DEV_FB_USED{gpu="0",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1",pod="a"} 1000
            DCGM_FI_DEV_FB_USED{gpu="0",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1",pod="b"} 1000
            DCGM_FI_DEV_FB_USED{gpu="0",GPU_I_PROFILE="3g.40gb",GPU_I_ID="2"} 500
            DCGM_FI_DEV_FB_FREE{gpu="0",GPU_I_PROFILE="3g.40gb",GPU_I_ID="1"} 39000
            DCGM_FI_DEV_FB_FREE{gpu="0",GPU_I_PROFILE="3g.40gb",GPU_I_ID="2"} 39500
            DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL{gpu="0"} 10
            DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL{gpu="0"} 0
            DCGM_FI_PROF_NVLINK_TX_BYTES{gpu="0"} 1000
            DCGM_FI_PROF_NVLINK_RX_BYTES{gpu="0"} 3000
            DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL{gpu="0"} 5
            DCGM_FI_DEV_CLOCK_THROTTLE_REASONS{gpu="0"} 68
            """
        var mapping = DCGMExporterMapping()
        _ = mapping.gpuReadings(PrometheusText.parse(text), at: 0)
        let later = text.replacingOccurrences(of: "COUNT_TOTAL{gpu=\"0\"} 10", with: "COUNT_TOTAL{gpu=\"0\"} 30")
            .replacingOccurrences(
                of: "DATA_ERROR_COUNT_TOTAL{gpu=\"0\"} 0", with: "DATA_ERROR_COUNT_TOTAL{gpu=\"0\"} 4")
        let gpu = mapping.gpuReadings(PrometheusText.parse(later), at: 4)[0]
        #expect(gpu.temperatureCelsius == nil && gpu.smClockMHz == nil && gpu.powerWatts == nil)
        #expect(gpu.memoryUsedBytes == 1500 * mib)  // instances 1 and 2; the second pod's copy counts once
        #expect(gpu.memoryTotalBytes == 80000 * mib)
        #expect(gpu.fabricErrorsPerSecond == 6)  // (20 + 4) / 4 s
        #expect(gpu.fabricTxBytesPerSecond == 1000 && gpu.fabricRxBytesPerSecond == 3000)
        #expect(gpu.throttle == [.swPowerCap, .hwThermal])
    }

    @Test func mapProducesACollectorReading() throws {
        var mapping = DCGMExporterMapping()
        let reading = mapping.map(try MetricsFixtures.document("dcgm-exporter-Hostname.txt"), at: 0)
        #expect(reading.gpus.count == 8 && reading.engines.isEmpty && !reading.stale)
        #expect(mapping.source == "dcgm-exporter")
    }
}
