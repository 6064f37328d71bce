import EdgewatchBundle
import EdgewatchCore
import EdgewatchWire
import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

extension HubRoutes {
    /// `POST /api/v1/import`: a bundle from `edgewatch export`, with the same token, admission and
    /// node credentials as ingest. The body is spooled to the data directory (within
    /// `max_import_bytes`), verified whole — gzip, tar, manifest, sizes, SHA-256, syntax — and only
    /// then stored window by window under the uplink's keys, so nothing is stored twice and a
    /// damaged bundle stores nothing.
    func importBundle(_ request: Request) async -> Response {
        let spool = configuration.dataDirectory + "/import-\(Secrets.randomToken(bytes: 8))"
        defer {
            unlink(spool + ".tar.gz")
            unlink(spool + ".spill")
        }
        do {
            let identity = try nodeIdentity(request)
            let now = HubClock.now()
            try await authenticate(node: identity.node, secret: identity.secret, at: now)
            try await receive(request, into: spool + ".tar.gz")
            let reply = try await verifyAndStore(spool, node: identity.node, at: now)
            logger.info(
                "bundle imported",
                metadata: [
                    "node": "\(identity.node)", "stored": "\(reply.stored)", "duplicates": "\(reply.duplicates)", "samples": "\(reply.samples)",
                ]
            )
            return Self.success(reply)
        } catch let refusal as Refusal {
            return refusal.response
        } catch {
            logger.error("import failed", metadata: ["error": "\(error)"])
            metrics.reject("storage")
            return Self.error(.serviceUnavailable, "unavailable", "the hub could not store the bundle; retry later", extra: [.retryAfter: "5"])
        }
    }

    /// Writes the request body to `path`, refusing more than `max_import_bytes`.
    private func receive(_ request: Request, into path: String) async throws {
        let output = try await blocking { try ImportSpool(path: path) }
        var total: Int64 = 0
        for try await buffer in request.body {
            total += Int64(buffer.readableBytes)
            guard total <= configuration.maxImportBytes else {
                metrics.reject("body_too_large")
                throw Refusal(
                    response: Self.error(.contentTooLarge, "limit", "bundle exceeds max_import_bytes (\(configuration.maxImportBytes) bytes)")
                )
            }
            let bytes = Array(buffer: buffer)
            try await blocking { try output.write(bytes) }
        }
        try await blocking { try output.finish() }
    }

    /// Checks the manifest's node, verifies and files the bundle, then stores it.
    private func verifyAndStore(_ spool: String, node: String, at now: Int64) async throws -> ImportReply {
        let configuration = self.configuration
        let storage = self.storage
        let outcome: Result<ImportReply, BundleError> = try await blocking {
            var bundleLimits = BundleReader.Limits()
            bundleLimits.maxInflatedBytes = configuration.maxImportInflatedBytes
            let bundle: BundleImport
            do throws(BundleError) {
                let manifest = try BundleReader.manifest(path: spool + ".tar.gz", limits: bundleLimits)
                guard manifest.node == node else {
                    throw BundleError.manifest("the bundle is of node \"\(manifest.node)\", but these credentials are node \"\(node)\"")
                }
                bundle = try BundleImport.prepare(
                    path: spool + ".tar.gz",
                    node: node,
                    limits: configuration.batchLimits,
                    bundleLimits: bundleLimits,
                    scratch: spool + ".spill"
                )
            } catch {
                return .failure(error)
            }
            defer { bundle.spill.remove() }
            return .success(try bundle.store(into: storage, receivedAt: now))
        }
        switch outcome {
        case .failure(let error):
            let mismatch = error.description.contains("but these credentials are node")
            metrics.reject(mismatch ? "node_mismatch" : "bad_bundle")
            throw Refusal(response: Self.error(mismatch ? .forbidden : .badRequest, mismatch ? "forbidden" : "bad_data", "bundle: \(error)"))
        case .success(let reply):
            return reply
        }
    }
}
