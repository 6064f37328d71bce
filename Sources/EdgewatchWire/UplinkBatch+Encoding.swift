import EdgewatchCore
import EdgewatchEncoding

extension UplinkBatch {
    /// Format version 4: the series table travels inline or as the SHA-256 of a table the hub
    /// already holds (``seriesReference``), and the block in the byte-aligned
    /// ``EdgewatchEncoding/DeltaBlockCodec``; otherwise as version 3.
    static let magic: [UInt8] = Array("EWB4".utf8)
    /// Version 3: events are occurrences (``EdgewatchCore/EventRecord``), the table always inline.
    /// Version 2 wrote metric types as explicit codes and events as `(time, kind, detail)`;
    /// version 1 wrote the type as its position in `MetricType.allCases`, which equals its code.
    /// All decode, so agents not yet upgraded keep delivering to a newer hub.
    static let version3: [UInt8] = Array("EWB3".utf8)
    static let olderMagics: [[UInt8]] = [version3, Array("EWB2".utf8), Array("EWB1".utf8)]

    /// The uncompressed wire form (see ``compressed()`` for what travels): version 4, or version 3
    /// for a hub that has not said it keeps series tables (then the table must be inline).
    public func encoded(version4: Bool = true) -> [UInt8] {
        var writer = ByteWriter(version4 ? Self.magic : Self.version3)
        writer.string(node)
        writer.string(stream)
        writer.signed(sequence)
        writer.byte(UInt8(tier.rawValue))
        writer.byte(downgradedFrom.map { UInt8($0.rawValue) } ?? 255)
        if version4, let seriesReference {
            writer.byte(1)
            writer.bytes += seriesReference
        } else {
            if version4 { writer.byte(0) }
            writer.bytes += Self.seriesTable(series)
        }
        var codec = BlockCodec()
        let blockBytes = version4 ? DeltaBlockCodec.encode(block) : codec.encode(block)
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

    /// The series table as it travels inline: count, then name, labels and type code of each.
    public static func seriesTable(_ series: [SeriesKey]) -> [UInt8] {
        var writer = ByteWriter([])
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
        return writer.bytes
    }

    /// The SHA-256 of a series table's inline form: how a batch names a table the hub holds.
    public static func seriesTableHash(_ series: [SeriesKey]) -> [UInt8] {
        var hash = SHA256()
        hash.update(seriesTable(series))
        return hash.finalize()
    }

    /// The zlib-compressed wire form sent as the ingest body.
    public func compressed(version4: Bool = true) -> [UInt8] { Zlib.compress(encoded(version4: version4)) }

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
        var series: [SeriesKey] = []
        var reference: [UInt8]?
        let form = version == magic ? try reader.byte() : 0
        switch form {
        case 0: series = try decodeSeries(&reader, limits: limits)
        case 1: reference = try reader.raw(32)
        default: throw .malformed("unknown series table form \(form)")
        }
        let blockLength = try reader.count(limit: bytes.count, "block length")
        var codec = BlockCodec()
        let block: Block
        do {
            let blockBytes = try reader.raw(blockLength)
            block = version == magic ? try DeltaBlockCodec.decode(blockBytes) : try codec.decode(blockBytes)
        } catch {
            throw .malformed("sample block: \(error)")
        }
        if reference == nil { try checkSeriesIDs(block, count: series.count) }
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
                version == magic || version == version3
                    ? try decodeEvent(&reader, node: node, limits: limits) : try decodeVersion2Event(&reader, node: node, limits: limits)
            )
        }
        guard reader.atEnd else { throw .malformed("trailing bytes after the batch") }
        var batch = UplinkBatch(
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
        batch.seriesReference = reference
        return batch
    }

    /// Whether `bytes` (inflated) are a format 4 batch: its sender may reference series tables.
    public static func isFormat4(_ bytes: [UInt8]) -> Bool { bytes.starts(with: magic) }

    /// A series table in its inline form, enforcing `limits`.
    static func decodeSeries(_ reader: inout ByteReader, limits: Limits) throws(DecodingError) -> [SeriesKey] {
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
        return series
    }

    /// Checks that every series of `block` is one of `count` in the batch's table.
    public static func checkSeriesIDs(_ block: Block, count: Int) throws(DecodingError) {
        guard block.series.allSatisfy({ $0.id >= 0 && $0.id < count }) else { throw .malformed("sample block names an unknown series") }
    }

    /// Fills in the series table a batch referenced (``seriesReference``) from its stored inline
    /// form, checking the table and the block's series ids against it.
    public mutating func resolveSeries(table: [UInt8], limits: Limits = Limits()) throws(DecodingError) {
        var reader = ByteReader(table)
        let series = try Self.decodeSeries(&reader, limits: limits)
        guard reader.atEnd else { throw .malformed("trailing bytes after the series table") }
        try Self.checkSeriesIDs(block, count: series.count)
        self.series = series
        seriesReference = nil
    }
}
