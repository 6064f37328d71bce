import EdgewatchCore
import Testing

@Suite struct TextEscapingTests {
    private func escaped(_ value: String, quotes: Bool = true) -> String {
        var output = "x="
        TextEscaping.labelValue(value, quotes: quotes, into: &output)
        return output
    }

    @Test func valuesWithNothingToEscapeAreAppendedAsTheyAre() {
        #expect(escaped("") == "x=")
        #expect(escaped("eth0") == "x=eth0")
        #expect(escaped("ünïcødé ✓ /dev/sda1") == "x=ünïcødé ✓ /dev/sda1")
        #expect(escaped("say \"hi\"", quotes: false) == "x=say \"hi\"")
    }

    @Test func backslashQuoteAndLineFeedAreEscapedAnywhere() {
        #expect(escaped("a\\b") == "x=a\\\\b")
        #expect(escaped("\"quoted\"") == "x=\\\"quoted\\\"")
        #expect(escaped("line\nnext") == "x=line\\nnext")
        #expect(escaped("ü\"\n\\") == "x=ü\\\"\\n\\\\")
        #expect(escaped("C:\\ \"x\"", quotes: false) == "x=C:\\\\ \"x\"")
    }
}
