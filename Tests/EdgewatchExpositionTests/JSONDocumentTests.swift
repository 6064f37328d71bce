import EdgewatchCore
import EdgewatchExposition
import Testing

@Suite struct JSONDocumentTests {
    struct Sample: Encodable {
        var metric: JSONObject
        var value: Double
        var note: String?
    }

    @Test("keys sorted, label values escaped, slashes kept, non-finite numbers spelled as Prometheus does, nil left out")
    func encoding() throws {
        let labels = Labels([Label("path", "/var/lib \"x\"\n"), Label("__name__", "up"), Label("Zone", "é\u{1}")])
        let text = try JSONDocument.encode([
            Sample(metric: JSONObject(labels), value: .nan, note: nil), Sample(metric: JSONObject([]), value: -.infinity, note: "n"),
        ])
        #expect(
            text
                == #"[{"metric":{"Zone":"é\u0001","__name__":"up","path":"/var/lib \"x\"\n"},"value":"NaN"},{"metric":{},"note":"n","value":"-Inf"}]"#
        )
    }

    @Test("the same document gives the same bytes every time")
    func deterministic() throws {
        let object = JSONObject(sorting: ["b": "2", "a": "1", "c": "3"])
        #expect(try JSONDocument.encode(object) == #"{"a":"1","b":"2","c":"3"}"#)
    }
}
