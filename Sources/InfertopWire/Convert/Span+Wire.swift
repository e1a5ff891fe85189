import Foundation
import InfertopCore

extension Span {
    /// The span as it travels from agent to dashboard.
    public var wire: Infertop_V1_Span {
        var m = Infertop_V1_Span()
        m.traceID = Data(traceID.bytes)
        m.spanID = spanID.value
        m.parentSpanID = parentSpanID?.value ?? 0
        m.name = name
        m.kind = UInt32(kind.rawValue)
        m.startUnixNano = startNanos
        m.endUnixNano = endNanos
        m.statusCode = UInt32(status.code.rawValue)
        m.statusMessage = status.message
        m.service = service
        m.node = node?.name ?? ""
        m.attributes = attributes.keys.sorted().map { key in
            var a = Infertop_V1_SpanAttribute()
            a.key = key
            switch attributes[key]! {
            case .string(let s): a.stringValue = s
            case .bool(let b): a.boolValue = b
            case .int(let i): a.intValue = i
            case .double(let d): a.doubleValue = d
            }
            return a
        }
        return m
    }

    /// A span from the wire; nil when its ids are invalid. A span with no node gets `node`.
    public init?(wire m: Infertop_V1_Span, node fallback: NodeID) {
        guard let trace = TraceID(bytes: m.traceID), m.spanID != 0 else { return nil }
        var attributes: [String: AttributeValue] = [:]
        attributes.reserveCapacity(m.attributes.count)
        // Collected in a dictionary (a key sent twice: the last value wins), kept compact.
        for a in m.attributes {
            switch a.value {
            case .stringValue(let s): attributes[a.key] = .string(s)
            case .boolValue(let b): attributes[a.key] = .bool(b)
            case .intValue(let i): attributes[a.key] = .int(i)
            case .doubleValue(let d): attributes[a.key] = .double(d)
            case .none: continue
            }
        }
        self.init(
            traceID: trace, spanID: SpanID(m.spanID), parentSpanID: m.parentSpanID == 0 ? nil : SpanID(m.parentSpanID),
            name: m.name, kind: SpanKind(rawValue: Int(m.kind)) ?? .unspecified,
            startNanos: m.startUnixNano, endNanos: m.endUnixNano,
            status: SpanStatus(code: SpanStatus.Code(rawValue: Int(m.statusCode)) ?? .unset, message: m.statusMessage),
            service: m.service, node: m.node.isEmpty ? fallback : NodeID(m.node), attributes: SpanAttributes(attributes)
        )
    }
}

extension SpanStorageStatus {
    public var wire: Infertop_V1_SpanStorage {
        var m = Infertop_V1_SpanStorage()
        m.stored = UInt64(stored)
        m.capacity = UInt64(capacity)
        m.accepted = accepted
        m.dropped = dropped
        m.rejected = rejected
        return m
    }

    public init(wire m: Infertop_V1_SpanStorage) {
        self.init(
            stored: Int(clamping: m.stored), capacity: Int(clamping: m.capacity), accepted: m.accepted,
            dropped: m.dropped, rejected: m.rejected)
    }
}
