import EdgewatchBundle
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchExposition
import EdgewatchPromQL
import EdgewatchWire
import FoundationEssentials

/// Parses a bundle's parts line by line for an import: OpenMetrics samples are checked against
/// the batch limits and filed into the spill under their uplink window; events are kept by
/// window; alerts and logs lines are checked for form (the hub keeps alerts as the `ALERTS`
/// series, and no logs).
struct BundlePartReader {
    let layout: ImportLayout
    let limits: UplinkBatch.Limits
    let spill: SpillTable
    private(set) var groups: [BundleImport.Window: Int64] = [:]
    private(set) var series: [SeriesKey] = []
    private var seriesIndex: [SeriesKey: Int] = [:]
    private(set) var events: [BundleImport.Window: [EventRecord]] = [:]
    private(set) var skipped = Set<BundleImport.Window>()
    private(set) var samples: Int64 = 0
    private var family: (name: String, type: MetricType)?
    /// The series text (`name{labels}`) of the last sample line, its key and ordinal: the next
    /// lines of the same series skip label parsing.
    private var lastSeries: (text: String, key: SeriesKey, ordinal: Int)?
    private var ended = false
    private var sawMetrics = false
    /// The run of points being collected: one series in one window.
    private var run: (ordinal: Int, group: Int64)?
    private var timestamps: [Int64] = []
    private var values: [[Double]] = []
    /// The series being summarised to the uplink's resolution: its open bucket and last raw value.
    private var summary: (ordinal: Int, type: MetricType, bucket: Int64, tier: Tier, columns: [Double], lastRaw: Double?)?
    private var lastTimestamp: (ordinal: Int, time: Int64)?
    private var slice: Int64 = 0

    init(layout: ImportLayout, limits: UplinkBatch.Limits, spill: SpillTable) {
        self.layout = layout
        self.limits = limits
        self.spill = spill
    }

    mutating func take(_ line: Substring, at position: BundleReader.Position) throws(BundleError) {
        switch position.part.kind {
        case "metrics" where position.part.format == "openmetrics":
            sawMetrics = true
            try metric(line, at: position)
        case "events": try event(line, at: position)
        case "staleness": try marker(line, at: position)
        case "alerts", "logs": try jsonObject(line, at: position)
        default: break
        }
    }

    /// Flushes the last run and checks the metrics part ended properly.
    mutating func finish() throws(BundleError) {
        try closeSummary()
        try flush()
        if sawMetrics, !ended, let part = layout.manifest.parts.first(where: { $0.kind == "metrics" }) {
            throw BundleError.part(name: part.name, offset: part.bytes, reason: "does not end with \"# EOF\"")
        }
    }

    /// The manifest's gaps, each in the metrics window where it starts (complete windows only).
    func gaps() -> [BundleImport.Window: [UplinkBatch.Gap]] {
        var result: [BundleImport.Window: [UplinkBatch.Gap]] = [:]
        for gap in layout.manifest.gaps {
            guard let tier = layout.spanTier(at: gap.from) else { continue }
            let window = layout.window(gap.from, tier: layout.storedTier(for: tier), alerts: false)
            guard layout.isComplete(window) else { continue }
            result[window, default: []].append(UplinkBatch.Gap(from: gap.from, to: gap.to, reason: "\(gap.resolution) \(gap.kind)"))
        }
        return result
    }

    private mutating func metric(_ line: Substring, at position: BundleReader.Position) throws(BundleError) {
        func failure(_ reason: String) -> BundleError {
            BundleError.part(name: position.part.name, offset: position.offset, reason: "line \(position.line): \(reason)")
        }
        let split = Self.splitSample(line)
        if !ended, let split, let previous = lastSeries, split.series.utf8.elementsEqual(previous.text.utf8) {
            try add(previous.key, ordinal: previous.ordinal, timestamp: split.timestamp, value: split.value, failure)
            return
        }
        let parsed: OpenMetricsLine
        do {
            parsed = try OpenMetricsLine.parse(line)
        } catch {
            throw failure("\(error)")
        }
        if ended, parsed != .ignored || !line.isEmpty { throw failure("text after \"# EOF\"") }
        switch parsed {
        case .ignored: return
        case .end:
            ended = true
            try closeSummary()
        case .type(let name, let type):
            family = (name, type)
            lastSeries = nil
        case .sample(let name, let labels, let value, let timestamp):
            guard let timestamp else { throw failure("a sample without a timestamp (bundles carry one on every sample)") }
            try check(name: name, labels: labels, failure)
            let type: MetricType
            if let family, name == family.name || (family.type == .counter && name == family.name + "_total") {
                type = family.type
            } else {
                type = .unknown
            }
            let key = SeriesKey(name: name, labels: labels, type: type)
            let ordinal = try add(key, timestamp: timestamp, value: value, failure)
            lastSeries = split.map { (String($0.series), key, ordinal) }
        }
    }

    private func check(name: String, labels: Labels, _ failure: (String) -> BundleError) throws(BundleError) {
        guard name.utf8.count <= limits.maxNameLength else { throw failure("metric name longer than \(limits.maxNameLength) bytes") }
        guard labels.count <= limits.maxLabelsPerSeries else { throw failure("more than \(limits.maxLabelsPerSeries) labels") }
        for label in labels where label.value.utf8.count > limits.maxLabelValueLength || label.name == "node" {
            if label.name == "node" { throw failure("label \"node\" is the hub's own (it names the bundle's node)") }
            throw failure("label \(label.name) longer than \(limits.maxLabelValueLength) bytes")
        }
    }

    /// Files a sample; returns the series' ordinal (`ordinal` when the caller knows it already).
    @discardableResult
    private mutating func add(
        _ key: SeriesKey,
        ordinal known: Int? = nil,
        timestamp: Int64,
        value: Double,
        _ failure: (String) -> BundleError
    ) throws(BundleError) -> Int {
        guard let spanTier = layout.spanTier(at: timestamp) else {
            throw failure("timestamp \(timestamp) ms is outside every span in manifest.json")
        }
        let ordinal: Int
        if let known = known ?? seriesIndex[key] {
            ordinal = known
        } else {
            guard series.count < limits.maxSeries else { throw failure("more than \(limits.maxSeries) series") }
            ordinal = series.count
            seriesIndex[key] = ordinal
            series.append(key)
        }
        if let last = lastTimestamp, last.ordinal == ordinal, timestamp <= last.time {
            throw failure("timestamps of a series must increase (\(timestamp) ms after \(last.time) ms)")
        }
        lastTimestamp = (ordinal, timestamp)
        samples += 1
        if summary?.ordinal != ordinal { try closeSummary() }
        guard layout.summarises(spanTier) else {
            try place(ordinal, key: key, timestamp: timestamp, columns: [value], tier: spanTier)
            return ordinal
        }
        try summarise(ordinal, key: key, timestamp: timestamp, value: value, tier: layout.storedTier(for: spanTier))
        return ordinal
    }

    /// A sample line as series text, value and timestamp (ms), split at its last two spaces
    /// (label values may hold spaces; the value and timestamp never do); nil when it is not that.
    static func splitSample(_ line: Substring) -> (series: Substring, value: Double, timestamp: Int64)? {
        guard line.utf8.first != UInt8(ascii: "#"), let last = line.utf8.lastIndex(of: UInt8(ascii: " ")) else { return nil }
        let head = line.utf8[..<last]
        guard let middle = head.lastIndex(of: UInt8(ascii: " ")) else { return nil }
        guard let value = SampleValueFormat.parse(Substring(line.utf8[line.utf8.index(after: middle)..<last])),
            let seconds = Double(Substring(line.utf8[line.utf8.index(after: last)...])), let timestamp = (seconds * 1000).roundedInt64()
        else { return nil }
        return (Substring(head[..<middle]), value, timestamp)
    }

    /// Adds a raw value to the series' bucket at `tier` as the agent's rollups do (a staleness
    /// marker or NaN is skipped; a counter adds its reset-aware increase), placing finished buckets.
    private mutating func summarise(_ ordinal: Int, key: SeriesKey, timestamp: Int64, value: Double, tier: Tier) throws(BundleError) {
        let width = tier.bucketMilliseconds
        let bucket = timestamp - ((timestamp % width) + width) % width
        let empty = [Double.infinity, -Double.infinity, 0, 0, Double.nan]
        var open = summary ?? (ordinal, key.type, bucket, tier, empty, nil)
        if open.bucket != bucket {
            if open.columns[3] > 0 { try place(ordinal, key: key, timestamp: open.bucket, columns: open.columns, tier: open.tier) }
            open = (ordinal, key.type, bucket, tier, empty, open.lastRaw)
        }
        if !value.isNaN {
            let increase = key.type == .counter ? (open.lastRaw.map { value >= $0 ? value - $0 : value } ?? 0) : value
            open.columns = [min(open.columns[0], value), max(open.columns[1], value), open.columns[2] + increase, open.columns[3] + 1, value]
            open.lastRaw = value
        }
        summary = open
    }

    /// Places the open bucket (if it holds a value) and ends the series' summary.
    private mutating func closeSummary() throws(BundleError) {
        guard let open = summary else { return }
        summary = nil
        guard open.columns[3] > 0 else { return }
        try place(open.ordinal, key: series[open.ordinal], timestamp: open.bucket, columns: open.columns, tier: open.tier)
    }

    /// Files one value (one or five columns) under its window, unless the bundle holds the window in part.
    private mutating func place(_ ordinal: Int, key: SeriesKey, timestamp: Int64, columns: [Double], tier: Tier) throws(BundleError) {
        let window = layout.window(timestamp, tier: tier, alerts: key.name == "ALERTS" || key.name == "ALERTS_FOR_STATE")
        guard layout.isComplete(window) else {
            skipped.insert(window)
            return
        }
        let group = groupID(window)
        if let run, run.ordinal != ordinal || run.group != group || values.first?.count != columns.count { try flush() }
        run = (ordinal, group)
        timestamps.append(timestamp)
        values.append(columns)
    }

    private mutating func groupID(_ window: BundleImport.Window) -> Int64 {
        if let id = groups[window] { return id }
        let id = Int64(groups.count)
        groups[window] = id
        return id
    }

    private mutating func flush() throws(BundleError) {
        guard let current = run else { return }
        slice += 1
        let width = values.first?.count ?? 1
        let columns = (0..<width).map { column in values.map { $0[column] } }
        try spill.add(group: current.group, ordinal: Int64(current.ordinal), slice: slice, timestamps: timestamps, columns: columns)
        run = nil
        timestamps.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    private mutating func event(_ line: Substring, at position: BundleReader.Position) throws(BundleError) {
        guard !line.isEmpty else { return }
        let decoded: EventJSON
        do {
            decoded = try JSONDecoder().decode(EventJSON.self, from: Data(line.utf8))
        } catch {
            throw BundleError.part(name: position.part.name, offset: position.offset, reason: "line \(position.line): not an event object: \(error)")
        }
        guard let record = decoded.record() else {
            throw BundleError.part(
                name: position.part.name,
                offset: position.offset,
                reason: "line \(position.line): time, first_seen or recorded is not RFC 3339, or source is not kubernetes/node"
            )
        }
        events[layout.window(record.recorded, tier: layout.uplinkTier ?? .minute, alerts: true), default: []].append(record)
    }

    /// A staleness marker line: the series ended at that instant.
    private mutating func marker(_ line: Substring, at position: BundleReader.Position) throws(BundleError) {
        struct Marker: Decodable {
            var name: String
            var labels: [String: String]
            var type: String
            var timestampMs: Int64
        }
        guard !line.isEmpty else { return }
        func failure(_ reason: String) -> BundleError {
            BundleError.part(name: position.part.name, offset: position.offset, reason: "line \(position.line): \(reason)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let marker: Marker
        do {
            marker = try decoder.decode(Marker.self, from: Data(line.utf8))
        } catch {
            throw failure("not a staleness marker (name, labels, type, timestamp_ms): \(error)")
        }
        guard let type = MetricType(rawValue: marker.type) else { throw failure("type must be counter, gauge or unknown") }
        let labels = Labels(marker.labels.map { Label($0.key, $0.value) })
        try check(name: marker.name, labels: labels, failure)
        try add(SeriesKey(name: marker.name, labels: labels, type: type), timestamp: marker.timestampMs, value: StaleMarker.value, failure)
    }

    private func jsonObject(_ line: Substring, at position: BundleReader.Position) throws(BundleError) {
        guard !line.isEmpty else { return }
        do {
            _ = try JSONDecoder().decode(AnyJSONObject.self, from: Data(line.utf8))
        } catch {
            throw BundleError.part(name: position.part.name, offset: position.offset, reason: "line \(position.line): not a JSON object")
        }
    }
}
