import EdgewatchBundle
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchExposition
import EdgewatchStore

extension BundleExporter {
    /// A record part written to the scratch directory.
    struct WrittenPart {
        var part: BundleManifest.Part
        var path: String
        var covered: BundleManifest.Range?
        var note: String?
    }

    /// Node, cluster and uplink layout from the store's meta table; boots, clock and gaps over the range.
    func baseManifest(_ reader: StoreReader) throws(BundleError) -> BundleManifest {
        do {
            var manifest = BundleManifest(
                node: try reader.meta("node_name") ?? "",
                cluster: try reader.meta("cluster") ?? "",
                agentVersion: version,
                exportedAt: now,
                requested: BundleManifest.Range(from: request.from, to: request.to),
                resolution: request.resolution.rawValue
            )
            manifest.selector = request.selectorText
            manifest.lastCycle = try reader.cycleBounds()?.last
            if let resolution = try reader.meta("uplink_resolution"), !resolution.isEmpty,
                let window = try reader.meta("uplink_window_s").flatMap({ Int64($0) })
            {
                manifest.uplink = BundleManifest.Uplink(resolution: resolution, windowSeconds: window)
            }
            manifest.clock = try reader.clockSpans(from: request.from, to: request.to).map {
                BundleManifest.ClockSpan(bootID: $0.bootID, from: $0.from, to: $0.to, synced: $0.synced, offsetMilliseconds: $0.offsetMilliseconds)
            }
            manifest.gaps = try reader.gaps(from: request.from, to: request.to).map {
                BundleManifest.Gap(from: max($0.start, request.from), to: min($0.end, request.to), resolution: $0.tier.name, kind: $0.kind.rawValue)
            }
            return manifest
        } catch {
            throw BundleError.io(path: request.storePath, reason: "\(error)")
        }
    }

    /// events.jsonl, alerts.jsonl and logs.jsonl, as asked.
    func recordParts(reader: StoreReader, scratch: ScratchDirectory) throws(BundleError) -> [WrittenPart] {
        var result: [WrittenPart] = []
        if request.parts.contains(.events) { result.append(try eventsPart(reader, scratch)) }
        if request.parts.contains(.alerts) { result.append(try alertsPart(reader, scratch)) }
        if request.parts.contains(.logs) { result.append(try logsPart(reader, scratch)) }
        if request.parts.contains(.podlogs) { result.append(try podLogsPart(scratch)) }
        return result
    }

    /// Events whose last-seen time is in the range, oldest first, in `edgewatch events --format json` shape.
    private func eventsPart(_ reader: StoreReader, _ scratch: ScratchDirectory) throws(BundleError) -> WrittenPart {
        let name = "events.jsonl"
        let events: [EventRecord]
        do {
            events = try reader.events(matching: EventFilter(from: request.from, to: request.to))
        } catch {
            throw BundleError.io(path: request.storePath, reason: "\(error)")
        }
        let output = try OutputFile(creating: scratch.file(name), exclusive: true, hashing: true)
        var totals = PartTotals()
        for event in events {
            var line = EventJSON(event)
            line.delta = event.delta
            line.recorded = RFC3339.format(milliseconds: event.recorded)
            try output.write(try Self.json(line) + "\n")
            totals.add(event.time)
        }
        try output.finish()
        progress("events", 1)
        return written(output, name: name, kind: "events", totals: totals)
    }

    /// Alert state changes in the range, from the stored `ALERTS` series.
    private func alertsPart(_ reader: StoreReader, _ scratch: ScratchDirectory) throws(BundleError) -> WrittenPart {
        let name = "alerts.jsonl"
        var changes: [AlertHistory.Change] = []
        var annotations: [Labels: [String: String]] = [:]
        do {
            annotations = try reader.alertAnnotations()
            let series = try reader.series { $0.name == "ALERTS" || $0.name == "ALERTS_FOR_STATE" }
            // State changes before the range decide the state inside it; a day of lookback is plenty.
            let points = try reader.points(ids: Set(series.map(\.0)), tier: .raw, from: request.from - 86_400_000, to: request.to)
            var alerts: [(key: SeriesKey, points: [(Int64, Double)])] = []
            var forState: [Labels: [(Int64, Double)]] = [:]
            for (id, key) in series {
                let list = (points[id] ?? []).map { ($0.0, $0.1.first ?? .nan) }
                if key.name == "ALERTS" { alerts.append((key, list)) } else { forState[key.labels] = list }
            }
            changes = AlertHistory.changes(alerts: alerts, forState: forState).filter { $0.time >= request.from && $0.time <= request.to }
        } catch {
            throw BundleError.io(path: request.storePath, reason: "\(error)")
        }
        let output = try OutputFile(creating: scratch.file(name), exclusive: true, hashing: true)
        var totals = PartTotals()
        for change in changes {
            try output.write(try Self.json(AlertChangeJSON(change, annotations: annotations[change.labels] ?? [:])) + "\n")
            totals.add(change.time)
        }
        try output.finish()
        progress("alerts", 1)
        return written(output, name: name, kind: "alerts", totals: totals)
    }

    /// The journal's entries of the range merged with those the agent captured.
    private func logsPart(_ reader: StoreReader, _ scratch: ScratchDirectory) throws(BundleError) -> WrittenPart {
        let output = try OutputFile(creating: scratch.file(LogLine.fileName), exclusive: true, hashing: true)
        let logs = LogsExport(reader: reader, directory: request.journalDirectory, units: request.logUnits, from: request.from, to: request.to)
        let (totals, note) = try logs.write(to: output, scratch: scratch)
        try output.finish()
        progress("logs", 1)
        return written(output, name: LogLine.fileName, kind: "logs", totals: totals, note: note)
    }

    /// Container log lines of the range from the kubelet's log tree.
    private func podLogsPart(_ scratch: ScratchDirectory) throws(BundleError) -> WrittenPart {
        let output = try OutputFile(creating: scratch.file(PodLogsExport.fileName), exclusive: true, hashing: true)
        let totals = try PodLogsExport(root: request.podLogsDirectory, from: request.from, to: request.to).write(to: output)
        try output.finish()
        progress("podlogs", 1)
        return written(output, name: PodLogsExport.fileName, kind: "podlogs", totals: totals)
    }

    /// The manifest entry and covered range of a finished JSON-lines part.
    private func written(_ output: OutputFile, name: String, kind: String, totals: PartTotals, note: String? = nil) -> WrittenPart {
        WrittenPart(
            part: part(output, name: name, format: "jsonl", kind: kind, count: totals.count),
            path: output.path,
            covered: totals.first.map { BundleManifest.Range(from: $0, to: totals.last ?? $0) },
            note: note
        )
    }

    static func json(_ value: some Encodable) throws(BundleError) -> String {
        do {
            return try JSONDocument.encode(value)
        } catch {
            throw BundleError.io(path: "json", reason: "\(error)")
        }
    }
}
