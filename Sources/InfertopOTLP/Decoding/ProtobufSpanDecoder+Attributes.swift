import InfertopCore

/// Attributes: key-value pairs, any-values, and lists and maps rendered as text.
extension ProtobufSpanDecoder {
    func keyValueRanges(_ range: Range<Int>) throws(WireError) -> (key: Range<Int>, value: Range<Int>?) {
        var r = ProtoReader(base: base, range)
        var keyRange = 0..<0
        var valueRange: Range<Int>?
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 1:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    keyRange = try r.lengthDelimited()
                }
            case 2:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    valueRange = try r.lengthDelimited()
                }
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        return (keyRange, valueRange)
    }

    // A KeyValue as an attribute: nil for an empty key.
    func keyValue(_ range: Range<Int>) throws(WireError) -> (String, AttributeValue)? {
        let (keyRange, valueRange) = try keyValueRanges(range)
        guard !keyRange.isEmpty else { return nil }
        let key = BoundedText.make(base + keyRange.lowerBound, keyRange.count, limit: OTLPLimits.maxValueBytes)
        guard let valueRange else { return (key, .string("")) }
        return (key, try anyValue(valueRange, depth: 0))
    }

    // AnyValue { oneof { string 1; bool 2; int64 3; double 4; ArrayValue 5; KeyValueList 6; bytes 7; } }
    func anyValue(_ range: Range<Int>, depth: Int) throws(WireError) -> AttributeValue {
        var r = ProtoReader(base: base, range)
        var value = AttributeValue.string("")
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 1:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let s = try r.lengthDelimited()
                    value = .string(BoundedText.make(base + s.lowerBound, s.count, limit: OTLPLimits.maxValueBytes))
                }
            case 2:
                if try r.take(wire, as: WireType.varint, field: field) {
                    value = .bool(try r.varint() != 0)
                }
            case 3:
                if try r.take(wire, as: WireType.varint, field: field) {
                    value = .int(Int64(bitPattern: try r.varint()))
                }
            case 4:
                if try r.take(wire, as: WireType.fixed64, field: field) {
                    value = .double(Double(bitPattern: try r.fixed64()))
                }
            case 5:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let inner = try r.lengthDelimited()
                    var text = RenderedText()
                    try renderList(inner, keyed: false, depth: depth, into: &text)
                    value = text.value
                }
            case 6:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let inner = try r.lengthDelimited()
                    var text = RenderedText()
                    try renderList(inner, keyed: true, depth: depth, into: &text)
                    value = text.value
                }
            case 7:
                if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                    let b = try r.lengthDelimited()
                    value = .string(BoundedText.hex(base + b.lowerBound, b.count, limit: OTLPLimits.maxValueBytes))
                }
            default:
                try r.skip(field: field, wire: wire)
            }
        }
        return value
    }

    /// ArrayValue { repeated AnyValue values = 1; } as `[a, b]`;
    /// KeyValueList { repeated KeyValue values = 1; } as `{k=v, k2=w}`.
    func renderList(_ range: Range<Int>, keyed: Bool, depth: Int, into text: inout RenderedText) throws(WireError) {
        text.append(keyed ? "{" : "[")
        defer { text.append(keyed ? "}" : "]") }
        guard depth < OTLPLimits.maxRenderDepth else {
            // Still a well-formed length-delimited payload; too deep to be worth showing.
            text.append("…")
            return
        }
        var r = ProtoReader(base: base, range)
        var first = true
        while r.more {
            let (field, wire) = try r.tag()
            guard field == 1 else {
                try r.skip(field: field, wire: wire)
                continue
            }
            if try r.take(wire, as: WireType.lengthDelimited, field: field) {
                let element = try r.lengthDelimited()
                if text.full { continue }
                if !first { text.append(", ") }
                first = false
                if keyed {
                    try renderKeyValue(element, depth: depth + 1, into: &text)
                } else {
                    try renderValue(element, depth: depth + 1, into: &text)
                }
            }
        }
    }

    func renderKeyValue(_ range: Range<Int>, depth: Int, into text: inout RenderedText) throws(WireError) {
        let (keyRange, valueRange) = try keyValueRanges(range)
        text.append(BoundedText.make(base + keyRange.lowerBound, keyRange.count, limit: OTLPLimits.maxValueBytes))
        text.append("=")
        if let valueRange { try renderValue(valueRange, depth: depth, into: &text) }
    }

    func renderValue(_ range: Range<Int>, depth: Int, into text: inout RenderedText) throws(WireError) {
        // Lists inside are rendered by anyValue's recursion; scalars as their text.
        let value = try anyValue(range, depth: depth)
        text.append(value.description)
    }
}
