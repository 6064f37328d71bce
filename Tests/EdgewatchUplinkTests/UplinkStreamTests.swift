import EdgewatchEncoding
import EdgewatchWire
import Testing

@Suite struct UplinkStreamTests {
    @Test func namesCarryKindTierAndWidthAndParseBack() {
        #expect(UplinkStream.name(kind: "metrics", tier: .minute, widthMilliseconds: 600_000) == "metrics/1m/600s")
        #expect(UplinkStream.parse("metrics/1m/600s")! == ("metrics/1m/", 600_000))
        #expect(UplinkStream.parse("alerts/raw/10s/part2of3")! == ("alerts/raw/", 10_000))
        for odd in ["metrics/1m", "metrics/1m/600", "metrics/1m/0s", "metrics/1m/xs", "events/import/alerts/raw/2s"] {
            #expect(UplinkStream.parse(odd) == nil, "\(odd)")
        }
    }
}
