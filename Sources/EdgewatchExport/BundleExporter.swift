import EdgewatchBundle
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch export`: reads the store read-only (the agent may keep writing) and writes either
/// a bundle — `manifest.json` then each part, in a tar.gz — or one metrics file. The output
/// appears under its name only when complete (written beside it, fsynced, renamed).
public struct BundleExporter {
    public let request: ExportRequest
    public let version: String
    public let now: Int64
    /// Called with a phase name and a fraction done.
    public var progress: (String, Double) -> Void = { _, _ in }

    public init(request: ExportRequest, version: String, now: Int64) {
        self.request = request
        self.version = version
        self.now = now
    }

    public func run() throws(BundleError) -> ExportSummary {
        if request.output != "-", !request.force, access(request.output, F_OK) == 0 {
            throw BundleError.io(path: request.output, reason: "exists; refusing to overwrite it (use --force)")
        }
        let reader: StoreReader
        do {
            reader = try StoreReader(path: request.storePath)
            if let found = try reader.schemaVersion(), found > StoreReader.supportedSchemaVersion {
                throw BundleError.io(
                    path: request.storePath,
                    reason: "store schema \(found) is newer than this edgewatch reads (\(StoreReader.supportedSchemaVersion))"
                )
            }
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.io(path: request.storePath, reason: "\(error)")
        }
        let scratch = try ScratchDirectory(near: request.output)
        defer { scratch.remove() }
        let target = request.output == "-" ? "-" : scratch.file("output")
        let summary: ExportSummary
        if request.format == .bundle {
            summary = try writeBundle(reader: reader, scratch: scratch, to: target)
        } else {
            summary = try writeMetricsOnly(reader: reader, scratch: scratch, to: target)
        }
        if target != "-", rename(target, request.output) != 0 {
            throw BundleError.io(path: request.output, reason: "cannot move the finished file into place: \(String(cString: strerror(errno)))")
        }
        return summary
    }

    private func writeMetricsOnly(reader: StoreReader, scratch: ScratchDirectory, to target: String) throws(BundleError) -> ExportSummary {
        let format = SampleFormat(rawValue: request.format.rawValue) ?? .openmetrics
        let output = try OutputFile(creating: target, exclusive: true)
        let totals = try metrics(reader: reader, scratch: scratch).write(format, to: output, spill: try spill(scratch)) {
            progress("metrics", $0)
        }
        try output.finish()
        return ExportSummary(output: request.output, bytes: output.written, samples: totals.samples, series: totals.series)
    }

    private func writeBundle(reader: StoreReader, scratch: ScratchDirectory, to target: String) throws(BundleError) -> ExportSummary {
        var manifest = try baseManifest(reader)
        var parts: [(name: String, path: String)] = []
        var totals = MetricsExport.Totals()
        if request.parts.contains(.metrics) {
            let path = scratch.file(SampleFormat.openmetrics.fileName)
            let output = try OutputFile(creating: path, exclusive: true, hashing: true)
            let markers = try OutputFile(creating: scratch.file(StalenessLine.fileName), exclusive: true, hashing: true)
            let export = try metrics(reader: reader, scratch: scratch)
            totals = try export.write(.openmetrics, to: output, spill: try spill(scratch), markers: markers) { progress("metrics", $0) }
            try output.finish()
            try markers.finish()
            manifest.resolutions = export.plan.tiers.map(\.name)
            manifest.spans = export.plan.spans.map { BundleManifest.Span(resolution: $0.tier.name, from: $0.from, to: $0.to) }
            manifest.parts.append(
                part(output, name: SampleFormat.openmetrics.fileName, format: "openmetrics", kind: "metrics", count: totals.samples)
            )
            parts.append((SampleFormat.openmetrics.fileName, path))
            manifest.parts.append(part(markers, name: StalenessLine.fileName, format: "jsonl", kind: "staleness", count: totals.markers))
            parts.append((StalenessLine.fileName, markers.path))
        }
        var range = totals.first.map { first in BundleManifest.Range(from: first, to: totals.last ?? first) }
        for written in try recordParts(reader: reader, scratch: scratch) {
            manifest.parts.append(written.part)
            if let note = written.note { manifest.notes.append(note) }
            parts.append((written.part.name, written.path))
            if let covered = written.covered {
                range = BundleManifest.Range(from: min(range?.from ?? covered.from, covered.from), to: max(range?.to ?? covered.to, covered.to))
            }
        }
        manifest.covered = range
        let output = try OutputFile(creating: target, exclusive: true)
        let archive = TarWriter(gzip: try GzipWriter(output: output))
        let manifestBytes = try manifest.encoded()
        try archive.begin(name: BundleManifest.fileName, size: Int64(manifestBytes.count), modified: now / 1000)
        try archive.write(manifestBytes)
        for (index, part) in parts.enumerated() {
            progress("archive", Double(index) / Double(max(1, parts.count)))
            try copy(part.path, as: part.name, into: archive)
        }
        try archive.finish()
        progress("archive", 1)
        return ExportSummary(output: request.output, bytes: output.written, samples: totals.samples, series: totals.series, manifest: manifest)
    }

    /// The part entry for a finished file.
    func part(_ output: OutputFile, name: String, format: String, kind: String, count: Int64) -> BundleManifest.Part {
        BundleManifest.Part(name: name, format: format, kind: kind, count: count, bytes: output.written, sha256: output.digest?.hexDigest() ?? "")
    }

    private func spill(_ scratch: ScratchDirectory) throws(BundleError) -> SpillTable {
        try SpillTable(path: scratch.file("spill.db"))
    }

    /// The selected series in output order and the tiers to read.
    private func metrics(reader: StoreReader, scratch: ScratchDirectory) throws(BundleError) -> MetricsExport {
        do {
            let selected = try reader.series { key in request.selector?.matches(name: key.name, labels: key.labels) ?? true }
                .map { (id: $0.0, key: $0.1) }
                .sorted { ($0.key.name, $0.key.labels) < ($1.key.name, $1.key.labels) }
            var oldest: [Tier: Int64] = [:]
            for tier in Tier.allCases { oldest[tier] = try reader.oldestTimestamp(tier: tier) }
            let plan = ResolutionPlan(resolution: request.resolution, from: request.from, to: request.to) { oldest[$0] }
            return MetricsExport(reader: reader, series: selected, plan: plan)
        } catch {
            throw BundleError.io(path: request.storePath, reason: "\(error)")
        }
    }

    /// Copies a finished part file into the archive.
    private func copy(_ path: String, as name: String, into archive: TarWriter) throws(BundleError) {
        let input = try InputFile(path: path)
        try archive.begin(name: name, size: input.size() ?? 0, modified: now / 1000)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try buffer.withUnsafeMutableBytes { raw in Result { () throws(BundleError) -> Int in try input.read(into: raw) } }.get()
            if count == 0 { break }
            try buffer.withUnsafeBytes { raw in
                Result { () throws(BundleError) in try archive.write(UnsafeRawBufferPointer(rebasing: raw[0..<count])) }
            }.get()
        }
    }
}
