import InfertopCore

// How a recording keeps a fleet source's events (entry kind `fleet`): after the source and the
// time, one byte says which event, then
//   refresh: version?, notes, then per node report: its snapshot message (as an agent's, by
//            field), its age, its own time?, its spans lost in transit;
//   status:  the source state as agent states are kept, then its notes;
//   history: per GPU: node, index, and the past KV-cache values.

private enum FleetEntry: UInt8 {
    case refresh = 0
    case status = 1
    case history = 2
}

extension ChunkEncoder {
    mutating func append(_ event: FleetEvent, from address: String, at micros: Int64) throws {
        let r = ref(address)
        stamp(.fleet, micros)
        writer.varint(r)
        switch event {
        case .refresh(let reports, let notes, let version):
            writer.bytes.append(FleetEntry.refresh.rawValue)
            writer.optionalString(version)
            strings(notes)
            let full = reports.compactMap { report in report.wireSnapshot.map { (report, $0) } }
            writer.varint(full.count)
            for (report, message) in full {
                body(try message.serializedBytes())
                writer.double(report.age)
                writer.optionalDouble(report.reportedTime)
            }
        case .status(let status):
            writer.bytes.append(FleetEntry.status.rawValue)
            write(status)
            strings(status.notes)
        case .history(let history):
            writer.bytes.append(FleetEntry.history.rawValue)
            let gpus = history.kvUsage.keys.sorted()
            writer.varint(gpus.count)
            for gpu in gpus {
                writer.string(gpu.node.name)
                writer.varint(gpu.index)
                let values = history.kvUsage[gpu] ?? []
                writer.varint(values.count)
                for v in values { writer.double(Double(v)) }
            }
        }
    }

    private mutating func strings(_ list: [String]) {
        writer.varint(list.count)
        for s in list { writer.string(s) }
    }
}

extension ChunkDecoder {
    mutating func fleetEvent(_ address: String) throws -> FleetEvent {
        switch FleetEntry(rawValue: try reader.byte()) {
        case .refresh:
            let version = try reader.optionalString()
            let notes = try strings()
            var reports: [NodeReport] = []
            for _ in 0..<(try bounded(reader.count())) {
                let message = try Infertop_V1_Update(serializedBytes: try body())
                var report = NodeReport(wire: message, node: nil)
                report.age = try reader.double()
                report.reportedTime = try reader.optionalDouble()
                guard report.node != nil else {
                    throw ByteFormatError(description: "a fleet report is not a node's snapshot")
                }
                reports.append(report)
            }
            return .refresh(reports: reports, notes: notes, version: version)
        case .status:
            var status = try status(address)
            status.kind = .fleet
            status.notes = try strings()
            return .status(status)
        case .history:
            var kvUsage: [GPUID: [Float]] = [:]
            for _ in 0..<(try bounded(reader.count())) {
                let gpu = GPUID(node: NodeID(try reader.string()), index: try reader.count())
                var values: [Float] = []
                for _ in 0..<(try bounded(reader.count())) { values.append(Float(try reader.double())) }
                kvUsage[gpu] = values
            }
            return .history(GPUHistory(kvUsage: kvUsage))
        case nil:
            throw ByteFormatError(description: "unknown fleet entry")
        }
    }

    private mutating func strings() throws -> [String] {
        var list: [String] = []
        for _ in 0..<(try bounded(reader.count())) { list.append(try reader.string()) }
        return list
    }
}
