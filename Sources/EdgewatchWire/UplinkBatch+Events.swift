import EdgewatchCore
import EdgewatchEncoding

/// Events on the wire. The node is the batch's; first-seen travels as its distance from last-seen.
extension UplinkBatch {
    static func encode(_ event: EventRecord, into writer: inout ByteWriter) {
        writer.signed(event.time)
        writer.signed(event.time &- event.firstSeen)
        writer.signed(event.recorded)
        writer.byte(event.source == .kubernetes ? 0 : 1)
        writer.string(event.type)
        writer.string(event.reason)
        writer.string(event.object.kind)
        writer.string(event.object.namespace)
        writer.string(event.object.name)
        writer.string(event.message)
        writer.signed(event.count)
        writer.signed(event.delta)
        writer.string(event.uid)
    }

    static func decodeEvent(_ reader: inout ByteReader, node: String, limits: Limits) throws(DecodingError) -> EventRecord {
        let time = try reader.signed()
        let firstSeen = time &- (try reader.signed())
        let recorded = try reader.signed()
        let sourceCode = try reader.byte()
        guard sourceCode <= 1 else { throw .malformed("unknown event source code \(sourceCode)") }
        let type = try reader.string(limit: limits.maxNameLength, "event type")
        let reason = try reader.string(limit: limits.maxNameLength, "event reason")
        let kind = try reader.string(limit: limits.maxNameLength, "event object kind")
        let namespace = try reader.string(limit: limits.maxNameLength, "event object namespace")
        let name = try reader.string(limit: limits.maxLabelValueLength, "event object name")
        let message = try reader.string(limit: EventRecord.maxMessageBytes * 2, "event message")
        let count = try reader.signed()
        let delta = try reader.signed()
        guard count >= 1, delta >= 0, delta <= count else { throw .malformed("event count \(count) with increase \(delta)") }
        let uid = try reader.string(limit: limits.maxNameLength, "event uid")
        guard !uid.isEmpty else { throw .malformed("event without uid") }
        return EventRecord(
            time: time,
            firstSeen: firstSeen,
            source: sourceCode == 0 ? .kubernetes : .node,
            type: type,
            reason: reason,
            object: EventRecord.InvolvedObject(kind: kind, namespace: namespace, name: name),
            message: message,
            count: count,
            delta: delta,
            uid: uid,
            node: node,
            recorded: recorded
        )
    }

    /// Versions 1 and 2 carried only clock jumps and boots as `(time, kind, detail)`.
    static func decodeVersion2Event(_ reader: inout ByteReader, node: String, limits: Limits) throws(DecodingError) -> EventRecord {
        let time = try reader.signed()
        let kind = try reader.string(limit: limits.maxNameLength, "event kind")
        let detail = try reader.string(limit: limits.maxLabelValueLength, "event detail")
        // The uid is built from the kind: it must fit the limit a current batch's uid is read with,
        // or the batch would decode here and be refused once forwarded in the current format.
        let uid = "v2-\(kind)-\(time)"
        guard uid.utf8.count <= limits.maxNameLength else {
            throw .limit("event uid length \(uid.utf8.count) exceeds the limit of \(limits.maxNameLength)")
        }
        return EventRecord(
            time: time,
            source: .node,
            type: "Warning",
            reason: kind == "boot" ? "NodeRebooted" : "ClockJump",
            object: EventRecord.InvolvedObject(kind: "Node", name: node),
            message: detail,
            uid: uid,
            node: node,
            recorded: time
        )
    }
}
