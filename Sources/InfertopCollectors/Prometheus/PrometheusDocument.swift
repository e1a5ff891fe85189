/// One sample line of an exposition: a metric name, its labels, a value and an optional timestamp.
public struct PrometheusSample: Sendable, Hashable {
    /// The series name as written, suffix included (`vllm:prompt_tokens_total`, `..._bucket`).
    public var name: String
    public var labels: [String: String]
    public var value: Double
    /// Milliseconds since 1970, when the exporter wrote one.
    public var timestampMilliseconds: Int64?

    public init(name: String, labels: [String: String] = [:], value: Double, timestampMilliseconds: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMilliseconds = timestampMilliseconds
    }
}

/// The metric types a `# TYPE` line declares.
public enum PrometheusMetricType: String, Sendable, Hashable {
    case counter, gauge, histogram, summary, untyped
}

/// A line that did not parse: its number (from 1), what was wrong, and the line itself.
public struct PrometheusParseError: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var text: String

    public var description: String {
        let shown = text.count > 80 ? String(text.prefix(77)) + "..." : text
        return "line \(line): \(message): \(shown)"
    }
}

/// A parsed exposition: the samples in order, the `# TYPE`/`# HELP` declarations, and the bad lines.
public struct PrometheusDocument: Sendable {
    public var samples: [PrometheusSample] = []
    /// Declared types by family name as written in `# TYPE`.
    public var types: [String: PrometheusMetricType] = [:]
    public var help: [String: String] = [:]
    public var errors: [PrometheusParseError] = []

    public init() {}

    /// Samples whose series name is exactly `name`, in order.
    public func samples(named name: String) -> [PrometheusSample] {
        samples.filter { $0.name == name }
    }

    /// Samples of the first of `names` that has any (for renamed metrics: new name first).
    public func samples(firstOf names: [String]) -> [PrometheusSample] {
        for name in names {
            let found = samples(named: name)
            if !found.isEmpty { return found }
        }
        return []
    }

    /// The histogram series of family `base`, from `base_bucket{le=...}`, `base_sum` and `base_count`,
    /// one per label set (without `le`), in order of first appearance. Buckets with an `le` that is
    /// not a number are left out.
    public func histograms(named base: String) -> [PrometheusHistogram] {
        let bucketName = base + "_bucket"
        let sumName = base + "_sum"
        let countName = base + "_count"
        var order: [[String: String]] = []
        var byLabels: [[String: String]: PrometheusHistogram] = [:]
        func slot(_ labels: [String: String]) -> [String: String] {
            if byLabels[labels] == nil {
                order.append(labels)
                byLabels[labels] = PrometheusHistogram(labels: labels, buckets: [])
            }
            return labels
        }
        for sample in samples {
            switch sample.name {
            case bucketName:
                var labels = sample.labels
                guard let le = labels.removeValue(forKey: "le"), let bound = PrometheusText.parseValue(le),
                    !bound.isNaN
                else { continue }
                byLabels[slot(labels)]?.buckets.append(.init(upperBound: bound, cumulativeCount: sample.value))
            case sumName:
                byLabels[slot(sample.labels)]?.sum = sample.value
            case countName:
                byLabels[slot(sample.labels)]?.count = sample.value
            default:
                continue
            }
        }
        return order.compactMap { labels in
            guard var histogram = byLabels[labels] else { return nil }
            histogram.buckets.sort { $0.upperBound < $1.upperBound }
            return histogram
        }
    }
}
