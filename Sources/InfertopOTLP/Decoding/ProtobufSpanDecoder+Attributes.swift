import InfertopCore

/// Attributes: key-value pairs, any-values, and lists and maps rendered as text.
extension ProtobufSpanDecoder {
    // KeyValue { string key = 1; AnyValue value = 2; }: where its key and value lie.
    func keyValueRanges(_ range: Range<Int>) throws(WireError) -> (key: Range<Int>, value: Range<Int>?) {
        var r = ProtoReader(base: base, range)
        var keyRange = 0..<0
        var valueRange: Range<Int>?
        while r.more {
            let (field, wire) = try r.tag()
            switch field {
            case 1: if let v = try r.lengthDelimited(wire, field: field) { keyRange = v }
            case 2: if let v = try r.lengthDelimited(wire, field: field) { valueRange = v }
            default: try r.skip(field: field, wire: wire)
            }
        }
        return (keyRange, valueRange)
    }

    // A KeyValue as an attribute: nil for an empty key.
    func keyValue(_ range: Range<Int>) throws(WireError) -> (String, AttributeValue)? {
        let (keyRange, valueRange) = try keyValueRanges(range)
        guard !keyRange.isEmpty else { return nil }
        let key = text(keyRange)
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
            case 1: if let v = try r.lengthDelimited(wire, field: field) { value = .string(text(v)) }
            case 2: if let v = try r.varint(wire, field: field) { value = .bool(v != 0) }
            case 3: if let v = try r.varint(wire, field: field) { value = .int(Int64(bitPattern: v)) }
            case 4: if let v = try r.fixed64(wire, field: field) { value = .double(Double(bitPattern: v)) }
            case 5:
                if let v = try r.lengthDelimited(wire, field: field) {
                    value = try renderedList(v, keyed: false, depth: depth)
                }
            case 6:
                if let v = try r.lengthDelimited(wire, field: field) {
                    value = try renderedList(v, keyed: true, depth: depth)
                }
            case 7:
                if let v = try r.lengthDelimited(wire, field: field) {
                    value = .string(BoundedText.hex(base + v.lowerBound, v.count, limit: OTLPLimits.maxValueBytes))
                }
            default: try r.skip(field: field, wire: wire)
            }
        }
        return value
    }

    /// An ArrayValue or KeyValueList as one string attribute, as `renderList` writes it.
    func renderedList(_ range: Range<Int>, keyed: Bool, depth: Int) throws(WireError) -> AttributeValue {
        var text = RenderedText()
        try renderList(range, keyed: keyed, depth: depth, into: &text)
        return text.value
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
        try r.forEachMessage(1) { (element, index) throws(WireError) in
            if text.full { return }
            if index > 0 { text.append(", ") }
            if keyed {
                try renderKeyValue(element, depth: depth + 1, into: &text)
            } else {
                try renderValue(element, depth: depth + 1, into: &text)
            }
        }
    }

    func renderKeyValue(_ range: Range<Int>, depth: Int, into text: inout RenderedText) throws(WireError) {
        let (keyRange, valueRange) = try keyValueRanges(range)
        text.append(self.text(keyRange))
        text.append("=")
        if let valueRange { try renderValue(valueRange, depth: depth, into: &text) }
    }

    func renderValue(_ range: Range<Int>, depth: Int, into text: inout RenderedText) throws(WireError) {
        // Lists inside are rendered by anyValue's recursion; scalars as their text.
        let value = try anyValue(range, depth: depth)
        text.append(value.description)
    }
}
