/// Reads a GPU's NVLinks: which are up, the cumulative data bytes, and the error counters.
///
/// Links are probed from 0 until NVML answers "invalid argument" or "not supported" (no such
/// link), at most `NVML_NVLINK_MAX_LINKS`. A GPU with no links (PCIe cards) leaves every NVLink
/// field nil rather than reporting 0 of 0.
struct NVLinkReader {
    let device: NVMLDeviceReader

    func read(into reading: inout GPUReading, counters: inout NVMLCounters, errors: inout [String]) {
        guard let links = linkStates(&errors), !links.isEmpty else { return }
        reading.fabricLinksTotal = links.count
        reading.fabricLinksUp = links.filter { $0 }.count
        readThroughput(into: &counters, errors: &errors)
        readErrorCounters(links: UInt32(links.count), into: &counters, errors: &errors)
    }

    /// One entry per link that exists, true when it is active; nil when NVML cannot tell.
    private func linkStates(_ errors: inout [String]) -> [Bool]? {
        guard let fn = device.library.getNvLinkState else { return nil }
        var states: [Bool] = []
        for link in 0..<NVMLConstant.maxNvLinks {
            var active: UInt32 = 0
            let rc = fn(device.handle, link, &active)
            if rc == NVMLReturn.invalidArgument || rc == NVMLReturn.notSupported { break }
            guard device.check(rc, "nvmlDeviceGetNvLinkState(link \(link))", &errors) else { break }
            states.append(active == NVMLConstant.enableStateEnabled)
        }
        return states
    }

    /// Fields 138/139 (cumulative KiB over all links), each checked on its own `nvmlReturn`.
    private func readThroughput(into counters: inout NVMLCounters, errors: inout [String]) {
        guard let fn = device.library.getFieldValues else { return }
        var values = [
            NVMLFieldValue(fieldId: NVMLConstant.fieldNvLinkThroughputDataTx, scopeId: NVMLConstant.scopeAllLinks),
            NVMLFieldValue(fieldId: NVMLConstant.fieldNvLinkThroughputDataRx, scopeId: NVMLConstant.scopeAllLinks)
        ]
        let rc = values.withUnsafeMutableBytes { fn(device.handle, Int32(2), $0.baseAddress) }
        guard device.check(rc, "nvmlDeviceGetFieldValues", &errors) else { return }
        for value in values {
            let call = "nvmlDeviceGetFieldValues(field \(value.fieldId))"
            guard device.check(value.nvmlReturn, call, &errors) else { continue }
            guard let kib = value.unsignedValue else {
                errors.append("nvml gpu \(device.index): \(call): unexpected value type \(value.valueType)")
                continue
            }
            let bytes = kib.multipliedReportingOverflow(by: 1024).partialValue
            if value.fieldId == NVMLConstant.fieldNvLinkThroughputDataTx {
                counters.nvLinkTxBytes = bytes
            } else {
                counters.nvLinkRxBytes = bytes
            }
        }
    }

    /// Replay, recovery and CRC counters of every link; counters a GPU lacks are skipped.
    private func readErrorCounters(links: UInt32, into counters: inout NVMLCounters, errors: inout [String]) {
        guard let fn = device.library.getNvLinkErrorCounter else { return }
        for link in 0..<links {
            for counter in NVMLConstant.nvLinkErrorCounters {
                var value: UInt64 = 0
                let rc = fn(device.handle, link, counter, &value)
                if device.check(rc, "nvmlDeviceGetNvLinkErrorCounter(link \(link), counter \(counter))", &errors) {
                    counters.nvLinkErrors[NVLinkCounterKey(link: link, counter: counter)] = value
                }
            }
        }
    }
}
