import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL
import Testing

@testable import EdgewatchHub

/// The query answers' own JSON writer writes what `Codable` (``JSONDocument``) wrote before it.
@Suite struct QueryJSONWriterTests {
    static let values: [Double] = [0, 1, -1, 0.1, 1e-300, 123.456, 1e21, -2.5e-7, 9_007_199_254_740_992, .nan, .infinity, -.infinity]
    static let times: [Int64] = [0, 1, 999, 1000, 1010, 1500, 1_800_000_000_000, 1_800_000_000_123, -1500]

    func codable(_ data: PrometheusJSON.QueryData) throws -> String { try JSONDocument.encode(PrometheusJSON.Success(data: data)) }

    @Test func matrixVectorScalarAndStringAnswersAreTheSameBytes() throws {
        let labels: [Labels] = [
            ["__name__": "node_load1", "node": "n1"],
            ["cluster": "shop \"7\"", "path": "C:\\data\n/x", "unicode": "Zürich ✓", "control": "\t\r\u{01}\u{1f}"], [:],
        ]
        let series = labels.enumerated().map { index, labels in
            Series(labels: labels, points: Self.times.enumerated().map { Point($1, Self.values[($0 + index) % Self.values.count]) })
        }
        for data in [
            PrometheusJSON.QueryData(matrix: series), PrometheusJSON.QueryData(matrix: []),
            PrometheusJSON.QueryData(.vector(labels.map { Sample(labels: $0, value: 0.25, timestamp: 1_500) }), at: 1_500),
            PrometheusJSON.QueryData(.scalar(.nan), at: 1_800_000_000_010), PrometheusJSON.QueryData(.string("a \"b\""), at: 0),
        ] {
            #expect(data.successJSON() == (try codable(data)))
        }
    }

    /// A listing's values (``PrometheusJSON/successJSONBytes(strings:)``).
    @Test func listingsAreTheSameBytes() throws {
        let strings = ["", "node_load1", "shop \"7\"", "C:\\data\n/x", "Zürich ✓", "\t\r\u{01}\u{1f}", "a/b", "\u{7f}"]
        for listing in [strings, [], [""], Array(repeating: "n1", count: 3)] {
            let written = String(decoding: PrometheusJSON.successJSONBytes(strings: listing), as: UTF8.self)
            #expect(written == (try JSONDocument.encode(PrometheusJSON.Success(data: listing))))
        }
    }

    /// A matrix's steps, the same instants in every series (their texts kept by slot,
    /// ``SecondsTexts``), at steps that meet in a slot and instants a millisecond apart.
    @Test func stepsWrittenOverAndOverAreTheSameBytes() throws {
        let start: Int64 = 1_800_000_000_000
        let steps: [Int64] = (0..<200).map { start + Int64($0) * 15_000 }
        let meeting: [Int64] = (0..<70).map { start + Int64($0) * 64_000 + Int64($0 % 3) }
        let times = Set(steps + meeting).sorted()
        let series = (0..<20).map { index in
            Series(labels: ["node": "n\(index)"], points: times.enumerated().map { Point($1, Double($0 + index) / 4) })
        }
        let data = PrometheusJSON.QueryData(matrix: series)
        #expect(data.successJSON() == (try codable(data)))
    }

    @Test func secondsAreWrittenAsJSONWritesTheDouble() {
        for milliseconds in Self.times + [5, 50, 120, 1_800_000_000_001, 1_800_000_000_100] {
            #expect(PrometheusJSON.QueryData.seconds(milliseconds) == GoFloat.format(Double(milliseconds) / 1000, style: .fixed), "\(milliseconds)")
        }
    }

    /// Values and integers appended as bytes read as the strings `GoFloat.format` and `String` make.
    @Test func valuesAndIntegersAppendAsTheirStrings() {
        var generator = SystemRandomNumberGenerator()
        var values = Self.values + [-0.0, 0.5, 1e15, 123_456_789_012, -9_007_199_254_740_991, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for _ in 0..<2000 { values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))) }
        for _ in 0..<500 { values.append(Double(Int64.random(in: -1_000_000_000...1_000_000_000, using: &generator)) / 8) }
        // Plain fractions, small and large ones near where Swift's own text turns to exponents.
        values += [1.16, -1.39, 0.1, 0.0001, 0.00001, 1e-7, 123_456.789, 9_007_199_254_740_993, 1e16, 1e21, 1.5e300, 2.5e-300]
        for _ in 0..<500 { values.append(Double(Int64.random(in: -1_000_000_000...1_000_000_000, using: &generator)) / 1000) }
        // Decimals of up to eight places and fifteen to seventeen digits, either side of the short
        // decimals' bounds (six places, fifteen digits).
        for places in 0...8 {
            let scale = (0..<places).reduce(1.0) { value, _ in value * 10 }
            for _ in 0..<300 {
                let digits = Int64.random(in: -100_000_000_000_000_000...100_000_000_000_000_000, using: &generator)
                values += [Double(digits % 1_000_000_000_000_000), Double(digits % 10_000_000_000_000), Double(digits % 1000)].map { $0 / scale }
            }
        }
        values += [999_999_999.999_999, 999_999_999.999_999_9, 0.000_001, 0.000_000_9, 0.000_001.nextUp, 0.000_001.nextDown, 1e9 - 0.5, 0.1 + 0.2]
        for value in values {
            var bytes: [UInt8] = [UInt8(ascii: "x")]
            GoFloat.appendFixed(value, to: &bytes)
            #expect(bytes == Array(("x" + GoFloat.format(value, style: .fixed)).utf8), "\(value)")
        }
        for integer in [0, 7, -7, 10, 1_000_000, Int64.max, Int64.min, Int64.min + 1]
            + (0..<200).map({ _ in Int64.random(in: .min ... .max, using: &generator) })
        {
            var bytes: [UInt8] = []
            GoFloat.appendInteger(integer, to: &bytes)
            #expect(bytes == Array(String(integer).utf8))
        }
    }
}
