import EdgewatchExposition
import NIOCore
import NIOHTTP1

/// Serves GET /metrics (latest collection), GET /healthz, and the rules API (`/api/v1/alerts`,
/// `/api/v1/rules`); anything else is 404 or 405.
/// Request bodies are discarded; responses honour keep-alive.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let latest: LatestSnapshot
    private let staleAfter: Duration
    private let rules: RuleStatus?
    private var head: HTTPRequestHead?

    init(latest: LatestSnapshot, staleAfter: Duration, rules: RuleStatus?) {
        self.latest = latest
        self.staleAfter = staleAfter
        self.rules = rules
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        guard request.method == .GET || request.method == .HEAD else {
            return send(
                .methodNotAllowed,
                "text/plain; charset=utf-8",
                "only GET and HEAD\n",
                request: request,
                context: context,
                extra: [("Allow", "GET, HEAD")]
            )
        }
        switch path {
        case "/metrics":
            guard let snapshot = latest.snapshot else {
                return send(.serviceUnavailable, "text/plain; charset=utf-8", "no collection yet\n", request: request, context: context)
            }
            let accept = request.headers["Accept"].joined(separator: ",")
            if accept.contains("application/openmetrics-text") {
                send(.ok, OpenMetricsWriter.contentType, OpenMetricsWriter().render(snapshot.families), request: request, context: context)
            } else {
                send(.ok, PrometheusTextWriter.contentType, PrometheusTextWriter().render(snapshot.families), request: request, context: context)
            }
        case "/healthz":
            if let last = latest.lastCycle, ContinuousClock.now - last < staleAfter {
                send(.ok, "text/plain; charset=utf-8", "ok\n", request: request, context: context)
            } else {
                send(.serviceUnavailable, "text/plain; charset=utf-8", "no recent collection cycle\n", request: request, context: context)
            }
        case "/api/v1/alerts":
            sendJSON(request: request, context: context) { try RulesAPI.alerts(rules ?? RuleStatus()) }
        case "/api/v1/rules":
            let query = request.uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            let type = query.split(separator: "&").compactMap { $0.hasPrefix("type=") ? String($0.dropFirst(5)) : nil }.first
            guard type == nil || type == "alert" || type == "record" else {
                return send(
                    .badRequest,
                    "application/json",
                    "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"type must be alert or record\"}",
                    request: request,
                    context: context
                )
            }
            sendJSON(request: request, context: context) { try RulesAPI.rules(rules ?? RuleStatus(), type: type) }
        default:
            send(
                .notFound,
                "text/plain; charset=utf-8",
                "not found: try /metrics, /healthz, /api/v1/alerts or /api/v1/rules\n",
                request: request,
                context: context
            )
        }
    }

    /// 200 with the JSON `document` makes, or 500 naming why it could not be encoded.
    private func sendJSON(request: HTTPRequestHead, context: ChannelHandlerContext, _ document: () throws -> String) {
        do {
            send(.ok, "application/json", try document(), request: request, context: context)
        } catch {
            send(.internalServerError, "text/plain; charset=utf-8", "cannot encode the answer: \(error)\n", request: request, context: context)
        }
    }

    private func send(
        _ status: HTTPResponseStatus,
        _ contentType: String,
        _ body: String,
        request: HTTPRequestHead,
        context: ChannelHandlerContext,
        extra: [(String, String)] = []
    ) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.utf8.count))] + extra)
        let keepAlive = request.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
            buffer.writeString(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Idle or slow clients (no complete request within the read timeout) are disconnected.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
