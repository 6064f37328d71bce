import EdgewatchEncoding
import EdgewatchHTTPClient
import EdgewatchStore
import EdgewatchWire
import HostFS

extension UplinkService {
    /// Sends `slots` slots from `first`: first their alerts and events, then their metrics (split by
    /// series when a batch exceeds the size limit); each part is its own idempotent batch. Rows the
    /// store has not flushed yet are read from its memory.
    func send(first: Int64, slots: Int64, era: Int64, notBefore: Int64?, reader: StoreReader, state: UplinkState) async throws -> Outcome {
        let from = first * settings.slotMilliseconds
        let to = from + slots * settings.slotMilliseconds
        let dataFrom = max(from, notBefore ?? from)
        let head = await pending?(settings.tier, dataFrom, to, era)
        let builder = UplinkBatchBuilder(reader: reader, node: settings.node)
        var sent = 0
        for alerts in [true, false] {
            let stream = settings.stream(slots: slots, alerts: alerts, era: era)
            let batch = try builder.batch(
                stream: stream,
                sequence: from,
                from: dataFrom,
                to: to,
                tier: settings.tier,
                era: era,
                alerts: alerts,
                pending: head
            )
            guard let batch else { continue }
            switch try await send(batch, state: state) {
            case .delivered(let bytes): sent += bytes
            case .retry(let after): return .retry(afterMilliseconds: after)
            }
            if let downgraded = batch.downgradedFrom {
                try await state.downgrade(stream: stream, sequence: from, from: downgraded, to: batch.tier, at: Self.now())
            }
        }
        return .delivered(bytes: sent)
    }

    /// Sends a batch, in parts when it is over `maxBatchBytes`; a part the hub refuses for good is
    /// dead-lettered with the hub's reason and the rest goes on.
    func send(_ batch: UplinkBatch, state: UplinkState) async throws -> Outcome {
        let format4 = tables.hubKeepsTables
        let parts = Self.parts(of: batch, maxBytes: settings.maxBatchBytes, format4: format4)
        var sent = 0
        for (part, inline) in parts {
            let reply: HTTPPost.Reply
            let body: Int
            do {
                (reply, body) = try await post(part, inline: inline, format4: format4)
            } catch {
                metrics.update { $0.failures += 1 }
                logger.debug("uplink send failed", metadata: ["stream": "\(part.stream)", "window": "\(part.sequence)", "error": "\(error)"])
                return .retry(afterMilliseconds: nil)
            }
            switch reply.status {
            case 200..<300:
                sent += body
                metrics.update {
                    $0.batches += 1
                    $0.bytes += Int64(body)
                    $0.samples += Int64(part.sampleCount)
                }
            case 408, 429, 500...:
                metrics.update { $0.failures += 1 }
                logger.info(
                    "hub asked to retry",
                    metadata: ["status": "\(reply.status)", "retry_after": "\(reply.retryAfter.map(String.init) ?? "-")"]
                )
                return .retry(afterMilliseconds: reply.retryAfter.map { Int64($0) * 1000 })
            default:
                // Refused for good: keep the reason, do not block the queue.
                try await state.deadLetter(stream: part.stream, sequence: part.sequence, status: reply.status, reason: reply.body, at: Self.now())
                logger.error(
                    "hub refused a batch; dead-lettered",
                    metadata: [
                        "stream": "\(part.stream)", "window": "\(part.sequence)", "status": "\(reply.status)", "reason": "\(reply.body.prefix(300))",
                    ]
                )
            }
        }
        return .delivered(bytes: sent)
    }

    /// Posts a part naming its series table by hash when the hub holds it, else carrying it (in
    /// format 4 once the hub said it keeps tables); a hub that no longer holds the table (409) gets
    /// it inline at once. Returns the answer and the bytes of the body it answered.
    private func post(_ part: UplinkBatch, inline: [UInt8], format4: Bool) async throws -> (HTTPPost.Reply, Int) {
        let hash = UplinkBatch.seriesTableHash(part.series)
        if format4, tables.isKnown(hash) {
            var referencing = part
            referencing.seriesReference = hash
            let body = referencing.compressed()
            let reply = try await post(body)
            guard reply.status == 409, reply.body.contains("unknown_series_table") else {
                acknowledge(reply, hash: hash, format4: true)
                return (reply, body.count)
            }
            tables.forget(hash)
        }
        let reply = try await post(inline)
        acknowledge(reply, hash: hash, format4: format4)
        return (reply, inline.count)
    }

    private func acknowledge(_ reply: HTTPPost.Reply, hash: [UInt8], format4: Bool) {
        guard (200..<300).contains(reply.status) else { return }
        tables.acknowledged(hash, hubKeepsTables: reply.edgewatchHeaders["x-edgewatch-series-tables"] == "1", sentInFormat4: format4)
    }

    private func post(_ body: [UInt8]) async throws -> HTTPPost.Reply {
        let now = metrics.snapshot
        var headers = [
            ("Content-Type", "application/x-edgewatch-batch"), ("Authorization", "Bearer " + settings.token),
            ("X-Edgewatch-Node", settings.node), ("X-Edgewatch-Node-Secret", settings.nodeSecret),
            // What the hub's fleet view shows of this node besides its data.
            ("X-Edgewatch-Backlog", String(now.backlogWindows)), ("X-Edgewatch-Dead-Letters", String(now.deadLetters)),
            ("X-Edgewatch-Slot", String(settings.slotMilliseconds)),
        ]
        if !settings.cluster.isEmpty { headers.append(("X-Edgewatch-Cluster", settings.cluster)) }
        return try await HTTPPost.send(
            host: settings.url.host,
            port: settings.url.port,
            path: settings.url.pathPrefix + "/api/v1/ingest",
            body: body,
            headers: headers,
            timeout: .seconds(30),
            group: group,
            tls: settings.tls
        )
    }

    /// The batch and its compressed body, halved by series until each part fits `maxBytes` (or
    /// holds one series); parts get `/partNofM` stream names, the same on every retry.
    static func parts(of batch: UplinkBatch, maxBytes: Int, format4: Bool = true) -> [(UplinkBatch, [UInt8])] {
        var parts = [batch]
        var bodies = [batch.compressed(version4: format4)]
        while let largest = bodies.indices.max(by: { bodies[$0].count < bodies[$1].count }), bodies[largest].count > maxBytes,
            parts[largest].series.count > 1
        {
            let (a, b) = split(parts[largest])
            parts.replaceSubrange(largest...largest, with: [a, b])
            bodies.replaceSubrange(largest...largest, with: [a.compressed(version4: format4), b.compressed(version4: format4)])
        }
        guard parts.count > 1 else { return [(batch, bodies[0])] }
        return parts.enumerated().map { number, part in
            var named = part
            named.stream += "/part\(number + 1)of\(parts.count)"
            return (named, named.compressed(version4: format4))
        }
    }

    /// Two halves by series (deterministic: series order is the store's).
    static func split(_ batch: UplinkBatch) -> (UplinkBatch, UplinkBatch) {
        let half = batch.series.count / 2
        func part(_ range: Range<Int>) -> UplinkBatch {
            var copy = batch
            copy.series = Array(batch.series[range])
            copy.block.series = batch.block.series.filter { range.contains(Int($0.id)) }.map {
                BlockSeries(id: $0.id - Int64(range.lowerBound), present: $0.present, values: $0.values)
            }
            return copy
        }
        var first = part(0..<half)
        first.gaps = batch.gaps
        first.events = batch.events
        var second = part(half..<batch.series.count)
        second.gaps = []
        second.events = []
        return (first, second)
    }

    static func now() -> Int64 { LiveHostKernel().wallTime().milliseconds }
}
