import EdgewatchCore
import EdgewatchWire
import HTTPTypes
import Hummingbird
import NIOCore
import NIOSSL

extension HubRoutes {
    /// An ingest refused before storage: the answer to send, already counted in the metrics.
    struct Refusal: Error {
        var response: Response
    }

    /// `POST /api/v1/ingest` (token and admission checked by ``admitted(_:_:)``): node identity and
    /// secret, body limits, batch decoding, then one durable commit; a replay is answered 2xx and stored once.
    func ingest(_ request: Request, on channel: any Channel) async -> Response {
        var node = ""
        do {
            let identity = try nodeIdentity(request)
            node = identity.node
            try await checkClientCertificate(on: channel, node: node)
            let report = try nodeReport(request)
            let now = HubClock.now()
            try await authenticate(node: identity.node, secret: identity.secret, at: now)
            let batch = try await resolved(try await batch(of: request, from: identity.node), node: identity.node, at: now)
            let stored = try await commits.runIfActive { try storage.ingest(batch, receivedAt: now) }
            await keep(report, node: identity.node)
            let samples = batch.sampleCount
            metrics.counters.withLock {
                if stored {
                    $0.accepted += 1
                    $0.samples += Int64(samples)
                } else {
                    $0.duplicates += 1
                }
            }
            return Self.json(
                PrometheusJSON.Success(data: IngestReply(stored: stored, duplicate: !stored, samples: samples)),
                extra: Self.seriesTablesHeader.map { [$0: "1"] } ?? [:]
            )
        } catch let refusal as Refusal {
            return refusal.response
        } catch {
            logger.error("ingest failed", metadata: ["node": "\(node)", "error": "\(error)"])
            metrics.reject("storage")
            return Self.error(.serviceUnavailable, "unavailable", "the hub could not store the batch; retry later", extra: [.retryAfter: "5"])
        }
    }

    /// With `tls.client_ca_file`, the agent must present a certificate that CA signed (the TLS
    /// handshake checked it) whose common name is the node it writes as.
    func checkClientCertificate(on channel: any Channel, node: String) async throws(Refusal) {
        guard !configuration.tlsClientCAFile.isEmpty else { return }
        let certificate = try? await channel.nioSSL_peerCertificate().get()
        guard let certificate else {
            throw refuse("client_certificate_required", .forbidden, "forbidden", "this hub requires a client certificate signed by its client CA")
        }
        let name = (try? certificate.toDERBytes()).flatMap(CertificateSubject.commonName(der:))
        guard name == node else {
            throw refuse(
                "client_certificate_mismatch",
                .forbidden,
                "forbidden",
                "the client certificate is for \"\(name ?? "")\" but the batch is sent as node \"\(node)\""
            )
        }
    }

    /// What the agent says of itself: `X-Edgewatch-Cluster`, `-Backlog`, `-Dead-Letters` and
    /// `-Slot` (each optional; an agent before the fleet view sends none).
    func nodeReport(_ request: Request) throws(Refusal) -> NodeReport {
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headers[$0] } }
        var report = NodeReport()
        if let cluster = header("X-Edgewatch-Cluster") {
            guard NodeReport.isValidCluster(cluster) else {
                throw refuse(
                    "bad_cluster",
                    .badRequest,
                    "bad_data",
                    "header X-Edgewatch-Cluster: expected a cluster name (letters, digits, - . _; at most 63 bytes)"
                )
            }
            report.cluster = cluster
        }
        for (name, field) in [
            ("X-Edgewatch-Backlog", \NodeReport.backlogWindows), ("X-Edgewatch-Dead-Letters", \.deadLetters),
            ("X-Edgewatch-Slot", \.slotMilliseconds),
        ] {
            guard let text = header(name) else { continue }
            guard let value = Int64(text), value >= 0 else {
                throw refuse("bad_report", .badRequest, "bad_data", "header \(name): expected a non-negative integer, got \"\(text.prefix(40))\"")
            }
            report[keyPath: field] = value
        }
        return report
    }

    /// Stores the node's report when it changed; a failure is logged, never fails the batch.
    func keep(_ report: NodeReport, node: String) async {
        guard reports.changed(report, node: node) else { return }
        do {
            try await blocking { try storage.report(report, node: node) }
        } catch {
            reports.forget(node: node)
            logger.warning("cannot store the node's report", metadata: ["node": "\(node)", "error": "\(error)"])
        }
    }

    /// The node name and secret headers, checked for form.
    func nodeIdentity(_ request: Request) throws(Refusal) -> (node: String, secret: String) {
        guard let node = Self.nodeHeader.flatMap({ request.headers[$0] }), !node.isEmpty, node.utf8.count <= 253,
            node.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" })
        else {
            throw refuse(
                "bad_node",
                .badRequest,
                "bad_data",
                "header X-Edgewatch-Node: expected the node name (letters, digits, - . _; at most 253 bytes)"
            )
        }
        guard let secret = Self.secretHeader.flatMap({ request.headers[$0] }), secret.utf8.count >= 16, secret.utf8.count <= 256 else {
            throw refuse(
                "bad_node_secret",
                .badRequest,
                "bad_data",
                "header X-Edgewatch-Node-Secret: expected the node's secret (16 to 256 characters)"
            )
        }
        return (node, secret)
    }

    /// A known node must present its secret; an unknown one joins with it (its hash is kept).
    func authenticate(node: String, secret: String, at now: Int64) async throws {
        if let stored = try await blocking({ try storage.nodeSecretHash(node) }) {
            guard Secrets.constantTimeEqual(Secrets.sha256(secret), stored) else {
                throw refuse(
                    "node_secret_mismatch",
                    .forbidden,
                    "forbidden",
                    "node \"\(node)\" joined with a different node secret; one node cannot write as another"
                )
            }
        } else {
            let hash = Secrets.sha256(secret)
            try await blocking { try storage.registerNode(node, secretHash: hash, at: now) }
            logger.info("node joined", metadata: ["node": "\(node)"])
        }
    }

    /// The request's batch: body and inflated size within their limits, decoded with the batch
    /// limits, and sent by the node it names.
    func batch(of request: Request, from node: String) async throws(Refusal) -> (batch: UplinkBatch, format4: Bool) {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch {
            throw refuse("body_too_large", .contentTooLarge, "limit", "compressed body exceeds max_body_bytes (\(configuration.maxBodyBytes) bytes)")
        }
        let decoded: (batch: UplinkBatch, format4: Bool)
        do {
            decoded = try IngestBody.decode(
                Array(buffer: body),
                maxDecompressedBytes: configuration.maxDecompressedBytes,
                limits: configuration.batchLimits
            )
        } catch {
            switch error {
            case .inflatedTooLarge:
                throw refuse(
                    "inflated_too_large",
                    .contentTooLarge,
                    "limit",
                    "decompressed body exceeds max_decompressed_bytes (\(configuration.maxDecompressedBytes) bytes)"
                )
            case .badCompression: throw refuse("bad_compression", .badRequest, "bad_data", error.message)
            case .batchLimit: throw refuse("batch_limit", .contentTooLarge, "limit", error.message)
            case .malformed: throw refuse("malformed", .badRequest, "bad_data", error.message)
            }
        }
        let batch = decoded.batch
        guard batch.node == node else {
            throw refuse("node_mismatch", .forbidden, "forbidden", "the batch is from node \"\(batch.node)\" but was sent as \"\(node)\"")
        }
        return decoded
    }

    /// The batch with its series table: a referenced table filled in from those kept for the node
    /// (409 `unknown_series_table` when not kept: the agent sends it inline), an inline one of a
    /// format 4 sender kept for its next batches.
    func resolved(_ decoded: (batch: UplinkBatch, format4: Bool), node: String, at now: Int64) async throws -> UplinkBatch {
        var batch = decoded.batch
        if let reference = batch.seriesReference {
            if let count = storage.resolvableSeriesCount(node: node, hash: reference) {
                do {
                    try UplinkBatch.checkSeriesIDs(batch.block, count: count)
                } catch {
                    throw refuse("malformed", .badRequest, "bad_data", "batch: \(error)")
                }
                return batch
            }
            guard let table = try await blocking({ try storage.seriesTable(node: node, hash: reference) }) else {
                throw refuse(
                    "unknown_series_table",
                    .conflict,
                    "unknown_series_table",
                    "series table \(SHA256.hex(reference)) is not kept for node \"\(node)\"; send the batch with its table inline"
                )
            }
            do {
                try IngestBody.resolve(&batch, table: table, limits: configuration.batchLimits)
            } catch {
                throw refuse("malformed", .badRequest, "bad_data", error.message)
            }
            batch.seriesReference = reference
        } else if decoded.format4, !batch.series.isEmpty {
            let table = UplinkBatch.seriesTable(batch.series)
            var hash = SHA256()
            hash.update(table)
            let digest = hash.finalize()
            if storage.resolvableSeriesCount(node: node, hash: digest) == nil,
                try await blocking({ try storage.seriesTable(node: node, hash: digest) }) == nil
            {
                try await blocking { try storage.keepSeriesTable(node: node, hash: digest, table: table, at: now) }
            }
            batch.seriesReference = digest
        }
        return batch
    }

    /// Counts the refusal under `reason` and builds its Prometheus-style error answer.
    private func refuse(_ reason: String, _ status: HTTPResponse.Status, _ type: String, _ message: String) -> Refusal {
        metrics.reject(reason)
        return Refusal(response: Self.error(status, type, message))
    }
}
