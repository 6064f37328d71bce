import EdgewatchBundle
import EdgewatchEncoding
import EdgewatchWire

/// How an import files a bundle's samples: under the uplink's stream and window width (from the
/// manifest) when the node had an uplink, so keys match what it sends; samples finer than the
/// uplink's resolution are summarised to it (min, max, sum — for counters the reset-aware
/// increase —, count, last per bucket, as the agent's rollups), samples coarser keep their tier
/// and the batch says which tier it replaces, as a downgraded uplink backfill does. Without an
/// uplink layout each span keeps its resolution with the default window width.
struct ImportLayout {
    /// The longest uplink window a manifest may name (an import refuses a longer one).
    static let longestWindowSeconds: Int64 = 366 * 86_400

    let manifest: BundleManifest

    /// The uplink's resolution, nil when the bundle names none.
    var uplinkTier: Tier? {
        manifest.uplink.flatMap { uplink in Tier.allCases.first { $0.name == uplink.resolution } }
    }

    /// The tier a sample read at `spanTier` is stored at.
    func storedTier(for spanTier: Tier) -> Tier { uplinkTier.map { max(spanTier, $0) } ?? spanTier }

    /// Whether samples read at `spanTier` are summarised into the uplink's buckets.
    func summarises(_ spanTier: Tier) -> Bool { uplinkTier.map { spanTier < $0 } ?? false }

    func width(_ tier: Tier) -> Int64 {
        if let uplink = manifest.uplink, uplink.resolution == tier.name, (1...Self.longestWindowSeconds).contains(uplink.windowSeconds) {
            return uplink.windowSeconds * 1000
        }
        switch tier {
        case .raw: return 60_000
        case .minute: return 600_000
        case .hour: return 21_600_000
        }
    }

    /// The window holding a value at `timestamp` stored at `tier`.
    func window(_ timestamp: Int64, tier: Tier, alerts: Bool) -> BundleImport.Window {
        let keyTier = uplinkTier ?? tier
        let width = width(keyTier)
        let start = alignDown(timestamp, width)
        return BundleImport.Window(
            stream: UplinkStream.name(kind: alerts ? "alerts" : "metrics", tier: keyTier, widthMilliseconds: width),
            sequence: start,
            tier: tier,
            width: width,
            downgradedFrom: tier > keyTier ? keyTier : nil
        )
    }

    /// Whether the bundle holds the whole window: inside the requested range and closed when exported.
    func isComplete(_ window: BundleImport.Window) -> Bool {
        window.sequence >= manifest.requested.from && window.sequence + window.width - 1 <= manifest.requested.to
            && window.sequence + window.width <= (manifest.lastCycle ?? manifest.exportedAt)
    }

    /// The tier a sample time was read at, from the manifest's spans.
    func spanTier(at timestamp: Int64) -> Tier? {
        guard let span = manifest.spans.first(where: { $0.from <= timestamp && timestamp <= $0.to }) else { return nil }
        return Tier.allCases.first { $0.name == span.resolution }
    }
}
