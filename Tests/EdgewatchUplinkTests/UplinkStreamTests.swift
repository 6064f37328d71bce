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

    @Test func clockErasAfterTheFirstAreNamedAndFormFamiliesOfTheirOwn() {
        #expect(UplinkStream.name(kind: "metrics", tier: .raw, widthMilliseconds: 10_000, era: 0) == "metrics/raw/10s")
        #expect(UplinkStream.name(kind: "alerts", tier: .raw, widthMilliseconds: 10_000, era: 2) == "alerts/raw.era2/10s")
        #expect(UplinkStream.parse("metrics/1m.era3/600s/part1of2")! == ("metrics/1m.era3/", 600_000))
        #expect(UplinkStream.era("metrics/1m.era3/600s/part1of2") == 3)
        #expect(UplinkStream.era("metrics/1m/600s") == 0)
        for odd in ["metrics/1m.era/60s", "metrics/1m.era0/60s", "metrics/1m.x3/60s", "metrics/1m.era-1/60s", "metrics"] {
            #expect(UplinkStream.era(odd) == nil, "\(odd)")
        }
    }
}
