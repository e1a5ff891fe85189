import Logging

/// Writes one log event as a logfmt line: `level=info msg="listening" addr=0.0.0.0:9400 node=node-07`.
///
/// logfmt is `key=value` pairs separated by spaces, one event a line, which `grep`, `journalctl`
/// and log shippers (Loki, Vector) read without a schema. `level` and `msg` come first (after
/// `time` when asked for), then the metadata in key order, so the same event is the same line.
/// `msg` is always quoted; any other value is quoted only when it must be: when it is empty or
/// holds a space, `=`, `"`, a backslash or a control character. Inside quotes `"` and `\` are
/// escaped and a newline is `\n`, so an event never spans two lines.
public enum Logfmt {
    /// The line for one event, without its trailing newline.
    /// - Parameter time: the event's time as text (RFC 3339), or nil to leave `time` out.
    public static func line(
        level: Logger.Level, message: String, metadata: Logger.Metadata, time: String? = nil
    ) -> String {
        var out = ""
        if let time { out += "time=\(value(time)) " }
        out += "level=\(level.rawValue) msg=\(quoted(message))"
        for (key, value) in flattened(metadata).sorted(by: { $0.key < $1.key }) {
            out += " \(Self.key(key))=\(Self.value(value))"
        }
        return out
    }

    /// A key with every character logfmt cannot carry in a key (space, `=`, `"`, control)
    /// replaced by `_`; an empty key becomes `_`.
    public static func key(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        return String(String.UnicodeScalarView(key.unicodeScalars.map { needsQuoting($0) ? "_" : $0 }))
    }

    /// A value, quoted only when it has to be.
    public static func value(_ text: String) -> String {
        text.isEmpty || text.unicodeScalars.contains(where: needsQuoting) ? quoted(text) : text
    }

    /// A value in double quotes, with `"`, `\` and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.properties.generalCategory == .control:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func needsQuoting(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\"
            || scalar.properties.generalCategory == .control
    }

    /// Nested dictionaries become dotted keys (`gpu.index=3`); arrays become one value with
    /// their elements joined by commas (`nodes=node-01,node-02`).
    static func flattened(_ metadata: Logger.Metadata, prefix: String = "") -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in metadata {
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            switch value {
            case .dictionary(let nested): out.merge(flattened(nested, prefix: name)) { _, inner in inner }
            default: out[name] = text(value)
            }
        }
        return out
    }

    private static func text(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): string
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): values.map(text).joined(separator: ",")
        case .dictionary(let nested):
            flattened(nested).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
    }
}
