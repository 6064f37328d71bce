import EdgewatchCore
import EdgewatchEncoding
import Testing

/// Stored label sets parse back to what was encoded, escapes and any UTF-8 included, and
/// malformed text is refused.
@Suite struct SeriesKeyTests {
    @Test(
        arguments: [
            [:],
            ["a": ""],
            ["job": "node", "instance": "10.0.0.1:9100"],
            ["path": #"C:\temp\"x""#, "line": "one\ntwo", "comma": "a,b=c}{"],
            ["accent": "\"\u{301}e\u{301}", "emoji": "👩‍👩‍👧", "cjk": "節點", "quote": "\""],
        ] as [Labels]
    )
    func encodedLabelsParseBack(labels: Labels) {
        let text = SeriesKey(name: "m", labels: labels, type: .gauge).encodedLabels
        #expect(SeriesKey.decodeLabels(text) == labels, "\(text)")
    }

    @Test(arguments: ["", "{", "}", "a=\"b\"", "{a}", "{a=b}", "{a=\"b}", "{a=\"b\\\"}", "{a=\"b\\}"])
    func malformedTextIsRefused(text: String) {
        #expect(SeriesKey.decodeLabels(text) == nil, "\(text)")
    }
}
