/// The label matchers of `--prometheus-match '{cluster="a"}'`, put into every selector the
/// dashboard sends, so one Prometheus holding several fleets shows one of them.
public struct PrometheusMatch: Sendable, Hashable {
    /// The matchers without braces (`cluster="a",region=~"eu.*"`); empty matches everything.
    public let matchers: String

    public static let all = PrometheusMatch(uncheckedMatchers: "")

    private init(uncheckedMatchers: String) { matchers = uncheckedMatchers }

    /// Parses `{cluster="a"}` (the braces may be left out).
    /// - Throws: `PrometheusServerError` naming what is wrong.
    public init(_ text: String) throws(PrometheusServerError) {
        var inner = Substring(text.filter { $0 != "\n" })
        while inner.first == " " { inner.removeFirst() }
        while inner.last == " " { inner.removeLast() }
        if inner.first == "{" {
            guard inner.last == "}" else { throw PrometheusServerError("'\(text)' opens { but does not close it") }
            inner = inner.dropFirst().dropLast()
        }
        guard inner.filter({ $0 == "\"" }).count % 2 == 0 else {
            throw PrometheusServerError("'\(text)' has an unclosed quote; write label=\"value\"")
        }
        guard !inner.contains("{"), !inner.contains("}") else {
            throw PrometheusServerError("'\(text)' holds braces inside; write {label=\"value\",...}")
        }
        let parts = inner.isEmpty ? [] : Self.splitOutsideQuotes(String(inner))
        for part in parts where !(part.contains("=") && part.hasSuffix("\"")) {
            throw PrometheusServerError(
                "'\(part)' in '\(text)' is not a matcher like label=\"value\" or label=~\"regex\"")
        }
        matchers = parts.joined(separator: ",")
    }

    /// `name{matchers,extra}`: a selector of one metric with the fleet's matchers.
    public func selector(_ name: String, _ extra: String = "") -> String {
        let all = [matchers, extra].filter { !$0.isEmpty }.joined(separator: ",")
        return all.isEmpty ? name : "\(name){\(all)}"
    }

    /// `{__name__=~"a|b",matchers}`: a selector of several metrics at once.
    public func selector(anyOf names: [String]) -> String {
        let pattern = "__name__=~\"\(names.joined(separator: "|"))\""
        return "{" + ([pattern, matchers].filter { !$0.isEmpty }.joined(separator: ",")) + "}"
    }

    private static func splitOutsideQuotes(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in text {
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { quoted.toggle() }
            if c == ",", !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }
}

extension String {
    fileprivate var trimmingSpaces: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
