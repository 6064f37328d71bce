import EdgewatchBundle

/// What an export wrote.
public struct ExportSummary: Sendable {
    public var output: String
    public var bytes: Int64
    public var samples: Int64
    public var series: Int
    public var manifest: BundleManifest?
}
