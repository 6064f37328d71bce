import EdgewatchBundle
import EdgewatchCore
import EdgewatchWire

extension BundleImport {
    /// Reads and verifies the bundle at `path` for `node`, filing its samples into a spill at
    /// `scratch`. Any error (with the part and offset) leaves nothing behind but the scratch file,
    /// which the caller removes.
    static func prepare(
        path: String,
        node: String,
        limits: UplinkBatch.Limits,
        bundleLimits: BundleReader.Limits,
        scratch: String
    )
        throws(BundleError) -> BundleImport
    {
        let spill = try SpillTable(path: scratch)
        // One transaction for the whole filing: the scratch file has no journal, so this only saves a lock per chunk.
        try spill.begin()
        var reader: BundlePartReader?
        let manifest = try BundleReader.read(
            path: path,
            limits: bundleLimits,
            opened: { (manifest) throws(BundleError) in
                guard manifest.node == node else {
                    throw BundleError.manifest("the bundle is of node \"\(manifest.node)\", but these credentials are node \"\(node)\"")
                }
                if let uplink = manifest.uplink, !(0...ImportLayout.longestWindowSeconds).contains(uplink.windowSeconds) {
                    throw BundleError.manifest(
                        "uplink.windowSeconds \(uplink.windowSeconds): expected 0 to \(ImportLayout.longestWindowSeconds) (a year)"
                    )
                }
                reader = BundlePartReader(layout: ImportLayout(manifest: manifest), limits: limits, spill: spill)
            },
            visit: { (line, position) throws(BundleError) in try reader?.take(line, at: position) }
        )
        guard var reader else { throw BundleError.manifest("missing") }
        try reader.finish()
        try spill.commit()
        return BundleImport(
            manifest: manifest,
            spill: spill,
            windows: Dictionary(uniqueKeysWithValues: reader.groups.map { ($0.value, $0.key) }),
            series: reader.series,
            events: reader.events,
            gaps: reader.gaps(),
            skippedWindows: reader.skipped.count,
            samples: reader.samples
        )
    }
}
