import Foundation

/// One series of an instant query's answer: its labels (`__name__` included when Prometheus
/// kept it) and its value. Prometheus sends values as strings; `NaN` and `+Inf` parse as such.
public struct PrometheusSeries: Sendable, Hashable {
    public var labels: [String: String]
    public var value: Double

    public init(labels: [String: String], value: Double) {
        self.labels = labels
        self.value = value
    }
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
    public static func vector(_ body: [UInt8]) throws(PrometheusAPIError) -> (series: [PrometheusSeries], time: Double?) {
        let envelope = try decode(body)
        guard let data = envelope.data else { throw .badResponse("no data in a successful answer") }
        switch data.resultType {
        case "vector":
            let series = data.result.compactMap { r in r.value.map { PrometheusSeries(labels: r.metric ?? [:], value: $0.value) } }
            return (series, data.result.first?.value?.time)
        case "scalar":
            return (data.scalar.map { [PrometheusSeries(labels: [:], value: $0.value)] } ?? [], data.scalar?.time)
        default:
            throw .badResponse("expected a vector, got a \(data.resultType)")
        }
    }

    /// A range query's matrix.
    public static func matrix(_ body: [UInt8]) throws(PrometheusAPIError) -> [PrometheusRangeSeries] {
        let envelope = try decode(body)
        guard let data = envelope.data, data.resultType == "matrix" else {
            throw .badResponse("expected a matrix, got \(envelope.data?.resultType ?? "nothing")")
        }
        return data.result.map { PrometheusRangeSeries(labels: $0.metric ?? [:], values: ($0.values ?? []).map(\.value)) }
    }

    private static func decode(_ body: [UInt8]) throws(PrometheusAPIError) -> Envelope {
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(body))
        } catch {
            let start = String(decoding: body.prefix(80), as: UTF8.self)
            throw .badResponse("not a Prometheus API answer (\(start))")
        }
        guard envelope.status == "success" else {
            throw .query(errorType: envelope.errorType ?? "unknown", message: envelope.error ?? "no message")
        }
        return envelope
    }

    private struct Envelope: Decodable {
        var status: String
        var data: Payload?
        var errorType: String?
        var error: String?
    }

    private struct Payload: Decodable {
        var resultType: String
        var result: [Result]
        var scalar: Sample?

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try c.decode(String.self, forKey: .resultType)
            if resultType == "scalar" {
                scalar = try c.decode(Sample.self, forKey: .result)
                result = []
            } else {
                result = try c.decode([Result].self, forKey: .result)
            }
        }

        enum CodingKeys: String, CodingKey { case resultType, result }
    }

    private struct Result: Decodable {
        var metric: [String: String]?
        var value: Sample?
        var values: [Sample]?
    }

    /// `[1795721936.934, "62672"]`.
    private struct Sample: Decodable {
        var time: Double
        var value: Double

        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            time = try c.decode(Double.self)
            let text = try c.decode(String.self)
            switch text {
            case "NaN": value = .nan
            case "+Inf": value = .infinity
            case "-Inf": value = -.infinity
            default: value = Double(text) ?? .nan
            }
        }
    }
}
