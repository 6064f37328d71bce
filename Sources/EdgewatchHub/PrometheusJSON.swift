import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL

/// The Prometheus HTTP API's JSON shapes, encoded with `Codable` (``JSONDocument``).
enum PrometheusJSON {
    struct Success<Data: Encodable>: Encodable {
        var status = "success"
        var data: Data
    }

    struct Failure: Encodable {
        var status = "error"
        var errorType: String
        var error: String
    }

    /// `[seconds, "value"]`: the instant in seconds and the value as Prometheus formats it.
    struct Pair: Encodable {
        var timestamp: Int64
        var text: String

        init(_ timestamp: Int64, _ value: Double) {
            self.timestamp = timestamp
            text = PrometheusValue.text(value)
        }

        init(_ timestamp: Int64, string: String) {
            self.timestamp = timestamp
            text = string
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(Double(timestamp) / 1000)
            try container.encode(text)
        }
    }

    struct VectorSample: Encodable {
        var metric: JSONObject
        var value: Pair
    }

    /// A series and its points, formatted only as they are written.
    struct MatrixSeries: Encodable {
        var metric: JSONObject
        var points: [Point]

        init(_ series: Series) {
            metric = JSONObject(series.labels)
            points = series.points
        }

        /// The points as `[seconds, "value"]` pairs.
        var values: [Pair] { points.map { Pair($0.timestamp, $0.value) } }

        enum CodingKeys: String, CodingKey { case metric, values }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metric, forKey: .metric)
            try container.encode(values, forKey: .values)
        }
    }

    /// `{"resultType": …, "result": …}` for a query's value.
    struct QueryData: Encodable {
        enum Result {
            case pair(Pair)
            case vector([VectorSample])
            case matrix([MatrixSeries])
        }

        var resultType: String
        var result: Result

        init(_ value: QueryValue, at time: Int64) {
            switch value {
            case .scalar(let number): (resultType, result) = ("scalar", .pair(Pair(time, number)))
            case .string(let text): (resultType, result) = ("string", .pair(Pair(time, string: text)))
            case .vector(let samples):
                let items = samples.sorted { $0.labels < $1.labels }.map { VectorSample(metric: JSONObject($0.labels), value: Pair(time, $0.value)) }
                (resultType, result) = ("vector", .vector(items))
            case .matrix(let series): (resultType, result) = ("matrix", .matrix(series.map(MatrixSeries.init)))
            }
        }

        init(matrix series: [Series]) {
            resultType = "matrix"
            result = .matrix(series.map(MatrixSeries.init))
        }

        enum CodingKeys: String, CodingKey { case resultType, result }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(resultType, forKey: .resultType)
            switch result {
            case .pair(let pair): try container.encode(pair, forKey: .result)
            case .vector(let samples): try container.encode(samples, forKey: .result)
            case .matrix(let series): try container.encode(series, forKey: .result)
            }
        }
    }
}

/// Sample values as Prometheus writes them in JSON (`strconv.FormatFloat(v, 'f', -1, 64)`, `NaN`, `+Inf`).
enum PrometheusValue {
    static func text(_ value: Double) -> String { GoFloat.format(value, style: .fixed) }
}
