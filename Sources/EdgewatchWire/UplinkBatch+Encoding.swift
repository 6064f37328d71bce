import EdgewatchCore
import EdgewatchEncoding

extension UplinkBatch {
    /// Format version 3: events are occurrences (``EdgewatchCore/EventRecord``).
    static let magic: [UInt8] = Array("EWB3".utf8)
    /// Version 2 wrote metric types as explicit codes and events as `(time, kind, detail)`;
    /// version 1 wrote the type as its position in `MetricType.allCases`, which equals its code.
    /// Both decode, so agents not yet upgraded keep delivering to a newer hub.
    static let olderMagics: [[UInt8]] = [Array("EWB2".utf8), Array("EWB1".utf8)]

    /// The uncompressed wire form (see ``compressed()`` for what travels).
    public func encoded() -> [UInt8] {
        var writer = ByteWriter(Self.magic)
        writer.string(node)
        writer.string(stream)
        writer.signed(sequence)
        writer.byte(UInt8(tier.rawValue))
        writer.byte(downgradedFrom.map { UInt8($0.rawValue) } ?? 255)
        writer.varint(UInt64(series.count))
        for info in series {
            writer.string(info.name)
            writer.varint(UInt64(info.labels.count))
            for label in info.labels {
                writer.string(label.name)
                writer.string(label.value)
            }
            writer.byte(info.type.code)
        }
        var codec = BlockCodec()
        let blockBytes = codec.encode(block)
        writer.varint(UInt64(blockBytes.count))
        writer.bytes += blockBytes
        writer.varint(UInt64(gaps.count))
        for gap in gaps {
            writer.signed(gap.from)
            writer.signed(gap.to)
            writer.string(gap.reason)
        }
        writer.varint(UInt64(events.count))
        for event in events { Self.encode(event, into: &writer) }
        return writer.bytes
    }

    /// The zlib-compressed wire form sent as the ingest body.
    public func compressed() -> [UInt8] { Zlib.compress(encoded()) }

    /// Decodes and checks a batch, enforcing `limits`; every error names what was wrong.
    public static func decode(_ bytes: [UInt8], limits: Limits = Limits()) throws(DecodingError) -> UplinkBatch {
        var reader = ByteReader(bytes)
        let version = try reader.raw(4)
        guard version == magic || olderMagics.contains(version) else { throw .malformed("not an edgewatch batch (bad magic)") }
        let node = try reader.string(limit: limits.maxNameLength, "node name")
        let stream = try reader.string(limit: limits.maxNameLength, "stream name")
        let sequence = try reader.signed()
        guard let tier = Tier(rawValue: Int(try reader.byte())) else { throw .malformed("unknown tier") }
        let downgradeByte = try reader.byte()
        let downgradedFrom = downgradeByte == 255 ? nil : Tier(rawValue: Int(downgradeByte))
        let seriesCount = try reader.count(limit: limits.maxSeries, "series count")
        var series: [SeriesKey] = []
        series.reserveCapacity(seriesCount)
        for _ in 0..<seriesCount {
            let name = try reader.string(limit: limits.maxNameLength, "metric name")
            guard !name.isEmpty else { throw .malformed("empty metric name") }
            let labelCount = try reader.count(limit: limits.maxLabelsPerSeries, "labels per series")
            var labels: [Label] = []
            for _ in 0..<labelCount {
                let labelName = try reader.string(limit: limits.maxNameLength, "label name")
                let value = try reader.string(limit: limits.maxLabelValueLength, "label value")
                labels.append(Label(labelName, value))
            }
            let code = try reader.byte()
            guard let type = MetricType(code: code) else { throw .malformed("unknown metric type code \(code)") }
            series.append(SeriesKey(name: name, labels: Labels(labels), type: type))
        }
        let blockLength = try reader.count(limit: bytes.count, "block length")
        var codec = BlockCodec()
        let block: Block
        do {
            block = try codec.decode(try reader.raw(blockLength))
        } catch {
            throw .malformed("sample block: \(error)")
        }
        guard block.series.allSatisfy({ $0.id >= 0 && Int($0.id) < series.count }) else { throw .malformed("sample block names an unknown series") }
        guard block.columns == (tier == .raw ? 1 : 5) else { throw .malformed("\(block.columns) value columns for tier \(tier.name)") }
        let samples = block.series.count * block.timestamps.count
        guard samples <= limits.maxSamples else { throw .limit("samples per batch \(samples) exceeds the limit of \(limits.maxSamples)") }
        var gaps: [Gap] = []
        for _ in 0..<(try reader.count(limit: limits.maxEvents, "gap count")) {
            gaps.append(
                Gap(from: try reader.signed(), to: try reader.signed(), reason: try reader.string(limit: limits.maxLabelValueLength, "gap reason"))
            )
        }
        var events: [EventRecord] = []
        for _ in 0..<(try reader.count(limit: limits.maxEvents, "event count")) {
            events.append(
                version == magic
                    ? try decodeEvent(&reader, node: node, limits: limits) : try decodeVersion2Event(&reader, node: node, limits: limits)
            )
        }
        guard reader.atEnd else { throw .malformed("trailing bytes after the batch") }
        return UplinkBatch(
            node: node,
            stream: stream,
            sequence: sequence,
            tier: tier,
            downgradedFrom: downgradedFrom,
            series: series,
            block: block,
            gaps: gaps,
            events: events
        )
    }
}
