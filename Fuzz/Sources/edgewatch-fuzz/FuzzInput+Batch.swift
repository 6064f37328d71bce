import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire

extension FuzzInput {
    /// A batch as an agent would send one: its block's series ids index its series table.
    mutating func batch() -> UplinkBatch {
        let tier = Tier.allCases[Int(byte()) % Tier.allCases.count]
        var block = block(columns: tier.columns)
        for index in block.series.indices { block.series[index].id = Int64(index) }
        let series = block.series.indices.map { _ in seriesKey() }
        let gaps = (0..<count(2)).map { _ in UplinkBatch.Gap(from: int64(), to: int64(), reason: text(20)) }
        let node = text(30)
        let events = (0..<count(2)).map { _ in event(node: node) }
        return UplinkBatch(
            node: node,
            stream: text(30),
            sequence: int64(),
            tier: tier,
            downgradedFrom: byte() & 1 == 0 ? nil : tier,
            series: series,
            block: block,
            gaps: gaps,
            events: events
        )
    }

    mutating func seriesKey() -> SeriesKey {
        let labels = (0..<count(3)).map { _ in Label(text(12), text(24)) }
        let type = [MetricType.counter, .gauge, .unknown][Int(byte()) % 3]
        return SeriesKey(name: "m" + text(24), labels: Labels(labels), type: type)  // a name is never empty
    }

    /// An event as the store keeps one: counted at least once, its increase within the count, a uid.
    mutating func event(node: String) -> EventRecord {
        let count = 1 + Int64(uint64() >> 2)
        let source = EventRecord.Source.allCases[Int(byte()) % EventRecord.Source.allCases.count]
        return EventRecord(
            time: int64(),
            firstSeen: int64(),
            source: source,
            type: text(8),
            reason: text(16),
            object: .init(kind: text(8), namespace: text(8), name: text(16)),
            message: text(60),
            count: count,
            delta: Int64(uint64() >> 2) % (count + 1),
            uid: "u" + text(12),
            node: node,
            recorded: int64()
        )
    }
}
