import EdgewatchCore

/// From a Kubernetes Event object (core/v1 or events.k8s.io/v1) to what an occurrence records:
/// count, times, object and the node the event names, with the fallbacks each API version needs.
enum KubernetesEventMapping {
    /// `count`, else `series.count`, else `deprecatedCount`, else 1.
    static func count(_ event: KubernetesObject) -> Int64 {
        for value in [event.count, event.series?.count, event.deprecatedCount] {
            if let value, value > 0 { return value }
        }
        return 1
    }

    /// `lastTimestamp`, else `series.lastObservedTime`, else `deprecatedLastTimestamp`, else `eventTime`.
    static func lastSeen(_ event: KubernetesObject) -> Int64? {
        firstTime([event.lastTimestamp, event.series?.lastObservedTime, event.deprecatedLastTimestamp, event.eventTime])
    }

    /// `firstTimestamp`, else `deprecatedFirstTimestamp`, else `eventTime`.
    static func firstSeen(_ event: KubernetesObject) -> Int64? {
        firstTime([event.firstTimestamp, event.deprecatedFirstTimestamp, event.eventTime])
    }

    private static func firstTime(_ texts: [String?]) -> Int64? {
        for text in texts {
            if let text, let time = RFC3339.milliseconds(text), time > 0 { return time }
        }
        return nil
    }

    /// The object the event is about (`involvedObject` or `regarding`).
    static func object(_ event: KubernetesObject) -> KubernetesObject.Reference? {
        event.involvedObject ?? event.regarding
    }

    /// The hosts an event names as where it was reported (`source.host`, `deprecatedSource.host`,
    /// `reportingInstance`).
    static func reportingHosts(_ event: KubernetesObject) -> [String] {
        [event.source?.host, event.deprecatedSource?.host, event.reportingInstance].compactMap { $0 }.filter { !$0.isEmpty }
    }

    /// The occurrence an Event's count rising from `previous` to its current count records; nil
    /// when the object has no uid or its count did not rise.
    static func occurrence(_ event: KubernetesObject, previous: Int64, node: String, now: Int64) -> EventRecord? {
        guard let uid = event.metadata?.uid, !uid.isEmpty else { return nil }
        let count = count(event)
        guard count > previous else { return nil }
        let reference = object(event)
        let last = lastSeen(event) ?? now
        return EventRecord(
            time: last,
            firstSeen: firstSeen(event) ?? last,
            source: .kubernetes,
            type: event.type ?? "Normal",
            reason: event.reason ?? "",
            object: EventRecord.InvolvedObject(kind: reference?.kind ?? "", namespace: reference?.namespace ?? "", name: reference?.name ?? ""),
            message: event.message ?? event.note ?? "",
            count: count,
            delta: count - previous,
            uid: uid,
            node: node
        )
    }
}
