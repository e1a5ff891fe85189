/// One series of an instant query's answer: its labels (`__name__` included when Prometheus
/// kept it) and its value. Prometheus sends values as strings; `NaN` and `+Inf` parse as such.
public struct PrometheusSeries: Sendable, Hashable {
    public var labels: [String: String]
    public var value: Double
}

/// One series of a range query's answer: its labels and its values, oldest first.
public struct PrometheusRangeSeries: Sendable, Hashable {
    public var labels: [String: String]
    public var values: [Double]
}

/// Decodes the bodies of `/api/v1/query` and `/api/v1/query_range`
/// (`{"status":"success","data":{"resultType":"vector","result":[...]}}`).
public enum PrometheusResultDecoder {
    /// An instant vector (a scalar answer becomes one series without labels).
    public static func vector(_ body: [UInt8]) throws(PrometheusAPIError) -> (series: [PrometheusSeries], time: Double?)
    {
        let answer = try decode(body)
        switch answer.resultType {
        case "vector":
            return (
                answer.series.compactMap { s in
                    s.samples.first.map { PrometheusSeries(labels: s.labels, value: $0.value) }
                },
                answer.series.first?.samples.first?.time
            )
        case "scalar":
            return (answer.scalar.map { [PrometheusSeries(labels: [:], value: $0.value)] } ?? [], answer.scalar?.time)
        case nil:
            throw .badResponse("no data in a successful answer")
        case let other?:
            throw .badResponse("expected a vector, got a \(other)")
        }
    }

    /// A range query's matrix.
    public static func matrix(_ body: [UInt8]) throws(PrometheusAPIError) -> [PrometheusRangeSeries] {
        let answer = try decode(body)
        guard answer.resultType == "matrix" else {
            throw .badResponse("expected a matrix, got \(answer.resultType ?? "nothing")")
        }
        return answer.series.map { PrometheusRangeSeries(labels: $0.labels, values: $0.samples.map(\.value)) }
    }

    private struct Sample {
        var time: Double
        var value: Double
    }

    private struct Answer {
        var status = ""
        var errorType: String?
        var error: String?
        var resultType: String?
        var series: [(labels: [String: String], samples: [Sample])] = []
        var scalar: Sample?
    }

    private static func decode(_ body: [UInt8]) throws(PrometheusAPIError) -> Answer {
        var answer = Answer()
        var scanner = PrometheusJSONScanner(body)
        do {
            try scanner.object { s, key in
                switch key {
                case "status": answer.status = try s.string()
                case "errorType": answer.errorType = try s.string()
                case "error": answer.error = try s.string()
                case "data": try data(&s, into: &answer)
                default: try s.skip()
                }
            }
        } catch {
            let start = String(decoding: body.prefix(80), as: UTF8.self)
            throw .badResponse("not a Prometheus API answer (\(start))")
        }
        guard answer.status == "success" else {
            throw .query(errorType: answer.errorType ?? "unknown", message: answer.error ?? "no message")
        }
        return answer
    }

    private static func data(_ s: inout PrometheusJSONScanner, into answer: inout Answer) throws {
        try s.object { s, key in
            switch key {
            case "resultType": answer.resultType = try s.string()
            case "result":
                if answer.resultType == "scalar" {
                    answer.scalar = try sample(&s)
                    return
                }
                try s.array { s in
                    var labels: [String: String] = [:]
                    var samples: [Sample] = []
                    try s.object { s, key in
                        switch key {
                        case "metric": labels = try s.stringMap()
                        case "value": samples = [try sample(&s)]
                        case "values": try s.array { s in samples.append(try sample(&s)) }
                        default: try s.skip()
                        }
                    }
                    answer.series.append((labels, samples))
                }
            default: try s.skip()
            }
        }
    }

    /// `[1795721936.934, "62672"]`; `NaN`, `+Inf` and `-Inf` as such.
    private static func sample(_ s: inout PrometheusJSONScanner) throws -> Sample {
        var time = 0.0
        var value = Double.nan
        var position = 0
        try s.array { s in
            if position == 0 {
                time = try s.number()
            } else if position == 1 {
                let text = try s.string()
                switch text {
                case "NaN": value = .nan
                case "+Inf": value = .infinity
                case "-Inf": value = -.infinity
                default: value = Double(text) ?? .nan
                }
            } else {
                try s.skip()
            }
            position += 1
        }
        return Sample(time: time, value: value)
    }
}
