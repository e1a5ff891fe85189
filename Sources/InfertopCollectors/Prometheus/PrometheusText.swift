/// A parser of the Prometheus text exposition format 0.0.4.
///
/// Lines that do not parse are collected in `PrometheusDocument.errors` with their line number;
/// every other line still parses. Deciding whether a scrape with bad lines is usable is the
/// caller's business (Prometheus itself rejects the whole scrape; `ScrapeCollector` does too).
public enum PrometheusText {
    /// Parses a whole exposition. `\r\n` line ends are accepted.
    public static func parse(_ text: String) -> PrometheusDocument {
        var document = PrometheusDocument()
        var lineNumber = 0
        for rawLine in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var bytes = Array(rawLine)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            var scanner = PrometheusLineScanner(bytes)
            scanner.skipBlanks()
            if scanner.atEnd { continue }
            do {
                if scanner.peek == UInt8(ascii: "#") {
                    try parseComment(&scanner, into: &document)
                } else {
                    document.samples.append(try parseSample(&scanner))
                }
            } catch {
                document.errors.append(
                    PrometheusParseError(
                        line: lineNumber, message: error.message, text: String(decoding: bytes, as: UTF8.self)))
            }
        }
        return document
    }

    /// `# HELP name text`, `# TYPE name type`; any other comment is ignored.
    private static func parseComment(_ scanner: inout PrometheusLineScanner, into document: inout PrometheusDocument)
        throws(PrometheusLineError)
    {
        scanner.advance()
        scanner.skipBlanks()
        let keyword = scanner.readWord()
        guard keyword == "HELP" || keyword == "TYPE" else { return }
        guard scanner.skipBlanks() else { return }  // "#HELP" alone, or "# HELPER": a plain comment
        guard let name = scanner.readMetricName() else {
            throw PrometheusLineError("invalid metric name in # \(keyword)")
        }
        if keyword == "HELP" {
            scanner.skipBlanks()
            document.help[name] = scanner.readHelpText()
        } else {
            guard scanner.skipBlanks() else { throw PrometheusLineError("missing type in # TYPE \(name)") }
            let word = scanner.readWord()
            scanner.skipBlanks()
            guard scanner.atEnd, let type = PrometheusMetricType(rawValue: word) else {
                throw PrometheusLineError("unknown metric type \"\(word)\" for \(name)")
            }
            if document.types[name] != nil { throw PrometheusLineError("second # TYPE line for \(name)") }
            document.types[name] = type
        }
    }

    /// `name{label="value",...} value [timestamp]`.
    private static func parseSample(_ scanner: inout PrometheusLineScanner) throws(PrometheusLineError)
        -> PrometheusSample
    {
        guard let name = scanner.readMetricName() else { throw PrometheusLineError("invalid metric name") }
        var labels: [String: String] = [:]
        var separated = scanner.skipBlanks()
        if scanner.peek == UInt8(ascii: "{") {
            scanner.advance()
            labels = try readLabels(&scanner)
            scanner.skipBlanks()
            separated = true  // `name{...}1` is accepted, as Prometheus's own parser does
        }
        guard !scanner.atEnd else { throw PrometheusLineError("missing value for \(name)") }
        guard separated else { throw PrometheusLineError("invalid character after metric name \(name)") }
        let valueWord = scanner.readWord()
        guard let value = parseValue(valueWord) else {
            throw PrometheusLineError("invalid value \"\(valueWord)\" for \(name)")
        }
        var timestamp: Int64?
        if scanner.skipBlanks(), !scanner.atEnd {
            let word = scanner.readWord()
            guard let ms = Int64(word) else { throw PrometheusLineError("invalid timestamp \"\(word)\" for \(name)") }
            timestamp = ms
            scanner.skipBlanks()
        }
        guard scanner.atEnd else { throw PrometheusLineError("unexpected text after the value of \(name)") }
        return PrometheusSample(name: name, labels: labels, value: value, timestampMilliseconds: timestamp)
    }

    /// The label pairs after `{`, through the closing `}`; a trailing comma is allowed.
    private static func readLabels(_ scanner: inout PrometheusLineScanner) throws(PrometheusLineError) -> [String:
        String]
    {
        var labels: [String: String] = [:]
        while true {
            scanner.skipBlanks()
            if scanner.peek == UInt8(ascii: "}") {
                scanner.advance()
                return labels
            }
            guard let label = scanner.readLabelName() else { throw PrometheusLineError("invalid label name") }
            scanner.skipBlanks()
            guard scanner.peek == UInt8(ascii: "=") else {
                throw PrometheusLineError("expected = after label \(label)")
            }
            scanner.advance()
            scanner.skipBlanks()
            let value = try scanner.readQuotedLabelValue()
            guard labels.updateValue(value, forKey: label) == nil else {
                throw PrometheusLineError("duplicate label \(label)")
            }
            scanner.skipBlanks()
            switch scanner.peek {
            case UInt8(ascii: ","): scanner.advance()
            case UInt8(ascii: "}"): continue
            default: throw PrometheusLineError("expected , or } after label \(label)")
            }
        }
    }

    /// A sample value: Go `ParseFloat` syntax, with `NaN`, `+Inf`, `-Inf` and `Inf`.
    static func parseValue(_ word: String) -> Double? {
        switch word {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default:
            // Swift's parser also takes "nan", "infinity" and the like; the format does not.
            guard let first = word.utf8.first, first != UInt8(ascii: "n"), first != UInt8(ascii: "N"),
                !word.lowercased().contains("inf"), !word.lowercased().contains("nan")
            else { return nil }
            return Double(word)
        }
    }
}
