import EdgewatchPromQL
import Testing

@testable import EdgewatchRules

@Suite struct TemplateTests {
    let data = Template.Data(
        labels: ["instance": "pi-1:9100", "job": "node"],
        externalLabels: ["site": "f3"],
        externalURL: "http://hub",
        value: 0.8765
    )

    func render(_ text: String, _ data: Template.Data? = nil) throws -> String {
        try Template(text, name: "t").render(data ?? self.data)
    }

    @Test func variablesAndFields() throws {
        #expect(
            try render("{{ $labels.instance }} {{ .Labels.job }} {{ $value }} {{ .Value }} {{ $externalLabels.site }} {{ $externalURL }}")
                == "pi-1:9100 node 0.8765 0.8765 f3 http://hub"
        )
        #expect(try render("[{{ $labels.missing }}]") == "[]")
        #expect(try render("{{/* a comment */}}x") == "x")
    }

    @Test func humanizeFamily() throws {
        #expect(TemplateFunctions.humanize(1_536_000) == "1.536M")
        #expect(TemplateFunctions.humanize(0.00042) == "420u")
        #expect(TemplateFunctions.humanize(0) == "0")
        #expect(TemplateFunctions.humanize1024(1_048_576) == "1Mi")
        #expect(TemplateFunctions.humanizeDuration(93_784) == "1d 2h 3m 4s")
        #expect(TemplateFunctions.humanizeDuration(0.25) == "250ms")
        // Beyond Int64 seconds: a float, not a trap.
        #expect(TemplateFunctions.humanizeDuration(1e300) == "1e+300s")
        #expect(TemplateFunctions.timestampText(1e300) == "1e+300")
        #expect(TemplateFunctions.humanizeDuration(12.5) == "12.5s")
        #expect(try render("{{ $value | humanizePercentage }}") == "87.65%")
        #expect(try render("{{ humanizeTimestamp 1700000000 }}") == "2023-11-14 22:13:20 +0000 UTC")
        // Found by fuzzing: a fraction that rounded up to a whole second crashed.
        #expect(try render("{{ humanizeTimestamp 1.9999999999 }}") == "1970-01-01 00:00:01.999999999 +0000 UTC")
        #expect(try render("{{ humanizeTimestamp 1700000000.5 }}") == "2023-11-14 22:13:20.5 +0000 UTC")
    }

    /// Found by fuzzing (Fuzz/corpus/template): a width of 33 digits padded without bound.
    @Test func printfRefusesHugeWidthsAsGoDoes() throws {
        #expect(try render(#"{{ printf "%333333333333333333333333Float" $value }}"#) == "%!(BADWIDTH)0.876500loat")
        #expect(try render(#"{{ printf "%5000000d|%.9999999f" 1 $value }}"#) == "%!(BADWIDTH)1|%!(BADPREC)0.876500")
        #expect(try render(#"{{ printf "%6d|%-4s|" 12 "ab" }}"#) == "    12|ab  |")
    }

    /// Found by fuzzing (Fuzz/corpus/template): two printfs of 551,615 characters each, 1.1 MB.
    @Test func outputIsBoundedAsAWhole() throws {
        let one = #"{{ printf "%600000d" 1 }}"#
        #expect(try render(one).utf8.count == 600_000)
        #expect(throws: TemplateError.self) { try render(one + one) }
        do {
            _ = try render(one + "x" + one)
        } catch {
            #expect((error as? TemplateError)?.message == "template output exceeds 1048576 bytes")
        }
    }

    /// Nesting is bounded, so that no template (a rule file is text anyone may hand the agent)
    /// can run the parser, the renderer or the tree's release out of stack.
    @Test func nestingIsBounded() throws {
        let deepest = TemplateParser.maxNesting
        let ifs = String(repeating: "{{ if true }}", count: deepest) + "x" + String(repeating: "{{ end }}", count: deepest)
        #expect(try render(ifs) == "x")
        #expect(throws: TemplateError.self) { try render("{{ if true }}" + ifs + "{{ end }}") }
        let parens = String(repeating: "(", count: deepest) + "1" + String(repeating: ")", count: deepest)
        #expect(try render("{{ \(parens) }}") == "1")
        do {
            _ = try render("{{ (\(parens)) }}")
            Issue.record("101 parentheses rendered")
        } catch {
            #expect((error as? TemplateError)?.message == "template: t:1: parentheses nest deeper than 100 levels")
        }
        let chain = "{{ if false }}" + String(repeating: "{{ else if false }}", count: 200_000) + "{{ end }}"
        #expect(throws: TemplateError.self) { try render(chain) }
    }

    @Test func printfPipesAndConditions() throws {
        #expect(try render(#"{{ printf "%.2f%%" $value }}"#) == "0.88%")
        #expect(try render(#"{{ printf "%s=%d" $labels.job 3 }}"#) == "node=3")
        #expect(try render(#"{{ $labels.job | toUpper }}"#) == "NODE")
        #expect(try render(#"{{ reReplaceAll ":[0-9]+$" "" $labels.instance }}"#) == "pi-1")
        #expect(try render(#"{{ if gt $value 0.5 }}high{{ else }}low{{ end }}"#) == "high")
        #expect(try render(#"{{ if eq $labels.job "x" }}a{{ else if eq $labels.job "node" }}b{{ else }}c{{ end }}"#) == "b")
        #expect(try render("a  {{- $labels.job -}}  b") == "anodeb")
    }

    @Test func errorsNameTheTemplateAndLine() {
        #expect(throws: TemplateError.self) { try Template("{{ nosuch $value }}", name: "t") }
        do {
            _ = try Template("line1\n{{ $labels.x ", name: "__alert_X")
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "template: __alert_X:2: unclosed action")
        }
        do {
            _ = try Template("{{ range $labels }}{{ end }}", name: "t")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("\"range\" actions are not supported"))
        }
    }

    @Test func goFloatFormatting() {
        #expect(GoFloat.format(1e6) == "1e+06")
        #expect(GoFloat.format(123_456) == "123456")
        #expect(GoFloat.format(0.0001) == "0.0001")
        #expect(GoFloat.format(0.00001) == "1e-05")
        #expect(GoFloat.format(-2.5) == "-2.5")
        #expect(GoFloat.format(.infinity) == "+Inf")
        #expect(GoFloat.format(0.1, style: .exponent) == "1e-01")
        #expect(GoFloat.format(1234.5, style: .exponent) == "1.2345e+03")
        #expect(GoFloat.format(1e21, style: .fixed) == "1000000000000000000000")
        #expect(GoFloat.format(0.000123, style: .fixed) == "0.000123")
        // Whole numbers take a shorter road in the fixed style (the query API's); the same text.
        #expect(GoFloat.format(-3, style: .fixed) == "-3")
        #expect(GoFloat.format(0, style: .fixed) == "0")
        #expect(GoFloat.format(-0.0, style: .fixed) == "-0")
        #expect(GoFloat.format(9_007_199_254_740_991, style: .fixed) == "9007199254740991")
        #expect(GoFloat.format(9_007_199_254_740_992, style: .fixed) == "9007199254740992")
        #expect(GoFloat.format(1.5e-7, style: .fixed) == "0.00000015")
        #expect(GoFloat.format(123.25, style: .fixed) == "123.25")
        #expect(GoFloat.format(5e-324) == "5e-324")
        #expect(GoFloat.format(1.7976931348623157e308) == "1.7976931348623157e+308")
        // Every text reads back as the value it came from.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            for style in [GoFloat.Style.shortest, .fixed, .exponent] {
                #expect(Double(GoFloat.format(value, style: style)) == value, "\(value) \(style)")
            }
        }
    }
}
