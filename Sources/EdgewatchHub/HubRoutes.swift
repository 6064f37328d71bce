import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL
import EdgewatchWire
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The hub's HTTP surface: authenticated ingest, the fleet view, the Prometheus query API and
/// its own metrics.
struct HubRoutes: Sendable {
    let configuration: HubConfiguration
    let storage: any HubStorage
    let joinToken: String
    let metrics: HubMetrics
    let logger: Logger

    static let nodeHeader = HTTPField.Name("X-Edgewatch-Node")!
    static let secretHeader = HTTPField.Name("X-Edgewatch-Node-Secret")!

    func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/metrics") { _, _ in
            let nodes = (try? await blocking { try storage.nodes().count }) ?? 0
            return Self.text(
                PrometheusTextWriter().render(metrics.families(nodes: nodes, undecodableBlocks: storage.undecodableBlocks)),
                contentType: PrometheusTextWriter.contentType
            )
        }
        router.post("/api/v1/ingest") { request, _ in await ingest(request) }
        router.get("/api/v1/nodes") { request, _ in await authorized(request) { await nodes() } }
        router.get("/api/v1/series") { request, _ in await query(request) { try series($0) } }
        router.post("/api/v1/series") { request, _ in await query(request) { try series($0) } }
        router.get("/api/v1/labels") { request, _ in await query(request) { try labels($0, name: nil) } }
        router.post("/api/v1/labels") { request, _ in await query(request) { try labels($0, name: nil) } }
        router.get("/api/v1/label/:name/values") { request, context in
            let name = context.parameters.get("name") ?? ""
            return await query(request) { try labels($0, name: name) }
        }
        router.get("/api/v1/query") { request, _ in await query(request) { try instantQuery($0) } }
        router.post("/api/v1/query") { request, _ in await query(request) { try instantQuery($0) } }
        router.get("/api/v1/query_range") { request, _ in await query(request) { try rangeQuery($0) } }
        router.post("/api/v1/query_range") { request, _ in await query(request) { try rangeQuery($0) } }
        return router
    }

    // MARK: - Responses

    static func text(
        _ body: String,
        status: HTTPResponse.Status = .ok,
        contentType: String = "text/plain; charset=utf-8",
        extra: HTTPFields = [:]
    ) -> Response {
        var headers = extra
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// `{"status":"error","errorType":…,"error":…}` as the Prometheus API writes errors.
    static func error(_ status: HTTPResponse.Status, _ type: String, _ message: String, extra: HTTPFields = [:]) -> Response {
        json(PrometheusJSON.Failure(errorType: type, error: message), status: status, extra: extra)
    }

    /// `{"status":"success","data":…}`.
    static func success(_ data: some Encodable) -> Response {
        json(PrometheusJSON.Success(data: data))
    }

    /// `document` as JSON; a document that cannot be encoded is a 500 naming why.
    static func json(_ document: some Encodable, status: HTTPResponse.Status = .ok, extra: HTTPFields = [:]) -> Response {
        do {
            return text(try JSONDocument.encode(document), status: status, contentType: "application/json", extra: extra)
        } catch {
            return text("cannot encode the answer: \(error)\n", status: .internalServerError)
        }
    }

    func tokenMatches(_ request: Request) -> Bool {
        if configuration.insecure { return true }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        // Hashing cannot fail here: the hub checks at start that SHA-256 is available.
        return (try? Secrets.constantTimeEqual(String(header.dropFirst(7)), joinToken)) ?? false
    }

    func authorized(_ request: Request, _ body: () async -> Response) async -> Response {
        guard tokenMatches(request) else {
            metrics.reject("unauthorized")
            return Self.error(
                .unauthorized,
                "unauthorized",
                "missing or wrong join token (Authorization: Bearer <token from the hub's data directory>)"
            )
        }
        return await body()
    }

    // MARK: - Ingest

    func ingest(_ request: Request) async -> Response {
        guard tokenMatches(request) else {
            metrics.reject("unauthorized")
            return Self.error(
                .unauthorized,
                "unauthorized",
                "missing or wrong join token (Authorization: Bearer <token from the hub's data directory>)"
            )
        }
        let admitted = metrics.inFlight.withLock { count -> Bool in
            guard count < configuration.maxConcurrentIngests else { return false }
            count += 1
            return true
        }
        guard admitted else {
            metrics.counters.withLock { $0.overloaded += 1 }
            return Self.error(.serviceUnavailable, "unavailable", "too many ingest requests at once; retry later", extra: [.retryAfter: "2"])
        }
        defer { metrics.inFlight.withLock { $0 -= 1 } }
        guard let node = request.headers[Self.nodeHeader], !node.isEmpty, node.utf8.count <= 253,
            node.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" })
        else {
            metrics.reject("bad_node")
            return Self.error(.badRequest, "bad_data", "header X-Edgewatch-Node: expected the node name (letters, digits, - . _; at most 253 bytes)")
        }
        guard let secret = request.headers[Self.secretHeader], secret.utf8.count >= 16, secret.utf8.count <= 256 else {
            metrics.reject("bad_node_secret")
            return Self.error(.badRequest, "bad_data", "header X-Edgewatch-Node-Secret: expected the node's secret (16 to 256 characters)")
        }
        do {
            let now = HubClock.now()
            if let stored = try await blocking({ try storage.nodeSecretHash(node) }) {
                guard try Secrets.constantTimeEqual(Secrets.sha256(secret), stored) else {
                    metrics.reject("node_secret_mismatch")
                    return Self.error(
                        .forbidden,
                        "forbidden",
                        "node \"\(node)\" joined with a different node secret; one node cannot write as another"
                    )
                }
            } else {
                let hash = try Secrets.sha256(secret)
                try await blocking { try storage.registerNode(node, secretHash: hash, at: now) }
                logger.info("node joined", metadata: ["node": "\(node)"])
            }
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: configuration.maxBodyBytes)
            } catch {
                metrics.reject("body_too_large")
                return Self.error(.contentTooLarge, "limit", "compressed body exceeds max_body_bytes (\(configuration.maxBodyBytes) bytes)")
            }
            let inflated: [UInt8]
            do {
                inflated = try Zlib.decompress(Array(buffer: body), limit: configuration.maxDecompressedBytes)
            } catch {
                switch error {
                case .tooLarge:
                    metrics.reject("inflated_too_large")
                    return Self.error(
                        .contentTooLarge,
                        "limit",
                        "decompressed body exceeds max_decompressed_bytes (\(configuration.maxDecompressedBytes) bytes)"
                    )
                case .corrupt(let reason):
                    metrics.reject("bad_compression")
                    return Self.error(.badRequest, "bad_data", "body is not valid zlib data: \(reason)")
                }
            }
            let batch: UplinkBatch
            do {
                batch = try UplinkBatch.decode(inflated, limits: configuration.batchLimits)
            } catch {
                if case .limit(let message) = error {
                    metrics.reject("batch_limit")
                    return Self.error(.contentTooLarge, "limit", message)
                }
                metrics.reject("malformed")
                return Self.error(.badRequest, "bad_data", "batch: \(error)")
            }
            guard batch.node == node else {
                metrics.reject("node_mismatch")
                return Self.error(.forbidden, "forbidden", "the batch is from node \"\(batch.node)\" but was sent as \"\(node)\"")
            }
            let stored = try await blocking { try storage.ingest(batch, receivedAt: now) }
            let samples = batch.sampleCount
            metrics.counters.withLock {
                if stored {
                    $0.accepted += 1
                    $0.samples += Int64(samples)
                } else {
                    $0.duplicates += 1
                }
            }
            return Self.success(IngestReply(stored: stored, duplicate: !stored, samples: samples))
        } catch {
            logger.error("ingest failed", metadata: ["node": "\(node)", "error": "\(error)"])
            metrics.reject("storage")
            return Self.error(.serviceUnavailable, "unavailable", "the hub could not store the batch; retry later", extra: [.retryAfter: "5"])
        }
    }

    func nodes() async -> Response {
        do {
            let now = HubClock.now()
            let items = try await blocking { try storage.nodes() }.map { NodeJSON($0, now: now) }
            return Self.success(items)
        } catch {
            return Self.error(.internalServerError, "internal", "\(error)")
        }
    }
}
