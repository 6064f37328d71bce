import EdgewatchCore

/// node_exporter's `os`: node_os_info and node_os_version from `<rootfs>/etc/os-release`
/// (falling back to `<rootfs>/usr/lib/os-release`).
public struct OSReleaseCollector: Collector {
    public let name = "os"
    public init() {}

    static let infoLabels: [(label: String, key: String)] = [
        ("build_id", "BUILD_ID"), ("id", "ID"), ("id_like", "ID_LIKE"), ("image_id", "IMAGE_ID"),
        ("image_version", "IMAGE_VERSION"), ("name", "NAME"), ("pretty_name", "PRETTY_NAME"),
        ("variant", "VARIANT"), ("variant_id", "VARIANT_ID"), ("version", "VERSION"),
        ("version_codename", "VERSION_CODENAME"), ("version_id", "VERSION_ID"),
    ]

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let tree = context.rootfs.tree
        // Read once per cache refresh period: it changes with an OS upgrade, not per cycle.
        guard
            let (path, text) = ["etc/os-release", "usr/lib/os-release"].lazy.compactMap({ candidate in
                context.slowText(candidate, in: tree).map { (candidate, $0) }
            }).first
        else {
            throw .unavailable("no os-release file under \(tree.path(""))")
        }
        let parsed = OSReleaseParser.parse(text, file: tree.path(path))
        issues += parsed.issues
        let values = parsed.value
        metrics.add(
            "node_os_info",
            "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id.",
            .gauge,
            1,
            Labels(Self.infoLabels.map { Label($0.label, values[$0.key] ?? "") })
        )
        metrics.add(
            "node_os_version",
            "Metric containing the major.minor part of the OS version.",
            .gauge,
            Self.versionNumber(values["VERSION_ID"] ?? ""),
            Labels([Label("id", values["ID"] ?? ""), Label("id_like", values["ID_LIKE"] ?? ""), Label("name", values["NAME"] ?? "")])
        )
    }

    /// The leading `major[.minor]` of VERSION_ID as a number (`22.04` → 22.04, `12` → 12), else 0.
    static func versionNumber(_ versionID: String) -> Double {
        var prefix = ""
        var sawDot = false
        for character in versionID {
            if character.isASCIIDigit {
                prefix.append(character)
            } else if character == ".", !sawDot, !prefix.isEmpty {
                sawDot = true
                prefix.append(character)
            } else {
                break
            }
        }
        if prefix.hasSuffix(".") { prefix.removeLast() }
        return NumberParsing.decimal(prefix) ?? 0
    }
}
