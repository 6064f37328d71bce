import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL
import EdgewatchWire
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The hub's HTTP surface: authenticated ingest, the fleet view, the Prometheus query API and
/// its own metrics.
struct HubRoutes: Sendable {
    let configuration: HubConfiguration
    let storage: any HubStorage
    let joinToken: String
    let metrics: HubMetrics
    let logger: Logger
    let reports = NodeReportCache()
    /// Where ingest commits wait for the writer: as many threads as ingests may run at once, so
    /// batches arriving together queue for one group commit (NIO's shared pool has one per core).
    var commits: NIOThreadPool = .singleton

    // Valid header names (the failable initializer refuses only non-token characters).
    static let nodeHeader = HTTPField.Name("X-Edgewatch-Node")
    static let secretHeader = HTTPField.Name("X-Edgewatch-Node-Secret")
    /// On ingest answers: this hub keeps series tables, so batches may name them by hash (format 4).
    static let seriesTablesHeader = HTTPField.Name("X-Edgewatch-Series-Tables")

    func router() -> Router<HubRequestContext> {
        let router = Router(context: HubRequestContext.self)
        router.get("/healthz") { _, _ in
            // A replica a newer one migrated past stores nothing: out of a load balancer's rotation.
            storage.writesRefused.map { Self.text($0 + "\n", status: .serviceUnavailable) } ?? Self.text("ok\n")
        }
        router.get("/metrics") { _, _ in
            let nodes = (try? await blocking { try storage.nodes() }) ?? []
            let queues = configuration.remoteWrite.isEmpty ? [:] : (try? await blocking { try storage.remoteWriteCounts() }) ?? [:]
            return Self.text(
                PrometheusTextWriter().render(
                    metrics.families(
                        nodes: nodes,
                        undecodableBlocks: storage.undecodableBlocks,
                        cachedSeries: storage.cachedSeries,
                        cachedBatchBlocks: storage.cachedBatchBlocks,
                        remoteWriteQueues: queues
                    )
                ),
                contentType: PrometheusTextWriter.contentType
            )
        }
        router.post("/api/v1/ingest") { request, context in await admitted(request) { await ingest(request, on: context.channel) } }
        router.post("/api/v1/import") { request, _ in await admitted(request) { await importBundle(request) } }
        router.get("/api/v1/nodes") { request, _ in await query(request) { try nodes($0) } }
        router.get("/api/v1/alerts") { request, _ in await query(request) { try alerts($0) } }
        router.get("/api/v1/series") { request, _ in await query(request) { try series($0) } }
        router.post("/api/v1/series") { request, _ in await query(request) { try series($0) } }
        router.get("/api/v1/labels") { request, _ in await query(request) { try labels($0, name: nil) } }
        router.post("/api/v1/labels") { request, _ in await query(request) { try labels($0, name: nil) } }
        router.get("/api/v1/label/:name/values") { request, context in
            let name = context.parameters.get("name") ?? ""
            return await query(request) { try labels($0, name: name) }
        }
        router.get("/api/v1/events") { request, _ in await query(request) { try events($0) } }
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

    /// A JSON answer already written as UTF-8.
    static func json(bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
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
        return Secrets.constantTimeEqual(String(header.dropFirst(7)), joinToken)
    }

    func authorized(_ request: Request, _ body: () async -> Response) async -> Response {
        guard tokenMatches(request) else { return unauthorized() }
        return await body()
    }

    /// The answer to a request without the join token (counted).
    func unauthorized() -> Response {
        metrics.reject("unauthorized")
        return Self.error(.unauthorized, "unauthorized", "missing or wrong join token (Authorization: Bearer <token from the hub's data directory>)")
    }

    /// Runs a write request (ingest, import) when its token matches and fewer than
    /// `max_concurrent_ingests` are in flight; otherwise answers 401 or 503 with Retry-After. Its
    /// decoding (inflating, parsing a batch) runs on Swift's global pool, not on the event loop that
    /// serves the connection (`LoopBoundChannel`), where it would hold up the loop's other sockets.
    func admitted(_ request: Request, _ body: () async -> Response) async -> Response {
        guard tokenMatches(request) else { return unauthorized() }
        let admitted = metrics.inFlight.withLock { count -> Bool in
            guard count < configuration.maxConcurrentIngests else { return false }
            count += 1
            return true
        }
        guard admitted else {
            metrics.counters.withLock { $0.overloaded += 1 }
            return Self.error(.serviceUnavailable, "unavailable", "too many requests at once; retry later", extra: [.retryAfter: "2"])
        }
        defer { metrics.inFlight.withLock { $0 -= 1 } }
        return await withTaskExecutorPreference(globalConcurrentExecutor) { await body() }
    }

}
