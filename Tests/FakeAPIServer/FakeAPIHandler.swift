import Foundation
import NIOCore
import NIOHTTP1

/// Answers one connection's request (the agent's client sends one per connection).
struct FakeAPIHandler: Sendable {
    let server: FakeAPIServer

    typealias Outbound = NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>

    struct Request {
        var path: String
        var query: [String: String]
        var watch: Bool { query["watch"] == "1" || query["watch"] == "true" }
        var isEvents: Bool { path == "/api/v1/events" || path == "/apis/events.k8s.io/v1/events" }
        var isEventsAPI: Bool { path.hasPrefix("/apis/events.k8s.io") }
    }

    func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                if case .head(let value) = part { head = value }
                if case .end = part { break }
            }
            guard let head else { return }
            try await respond(head, outbound, channel: connection.channel)
        }
    }

    func respond(_ head: HTTPRequestHead, _ outbound: Outbound, channel: any Channel) async throws {
        let request = Self.parse(head.uri)
        server.state.withLock { $0.requests.append("GET \(head.uri)") }
        if let token = server.token, head.headers["Authorization"].first != "Bearer " + token {
            return try await status(401, "Unauthorized", outbound)
        }
        let fault = server.state.withLock { $0.takeFault(watch: request.watch, path: request.path) }
        if case .status(let code, _) = fault {
            let message =
                code == 410
                ? "too old resource version"
                : code == 403 ? "events is forbidden: User \"system:node:x\" cannot list resource \"events\"" : "internal error"
            return try await status(code, message, outbound)
        }
        guard request.isEvents || request.path == "/api/v1/pods" else {
            return try await status(404, "the server could not find the requested resource", outbound)
        }
        if request.watch {
            try await watch(request, fault: fault, outbound, channel: channel)
        } else {
            try await list(request, outbound)
        }
    }

    func list(_ request: Request, _ outbound: Outbound) async throws {
        let limit = Int(request.query["limit"] ?? "") ?? Int.max
        let (items, revision, compacted) = server.state.withLock { state -> ([[String: Any]], Int, Int) in
            if request.isEvents {
                return (
                    state.events.values.sorted { $0.resourceVersion < $1.resourceVersion }.map { Self.render($0, request) }, state.revision,
                    state.compactedBelow
                )
            }
            let node = Self.nodeSelector(request)
            return (
                state.pods.values.filter { $0.nodeName == node }.sorted { $0.resourceVersion < $1.resourceVersion }.map(\.json), state.revision,
                state.compactedBelow
            )
        }
        var offset = 0
        var listRevision = revision
        if let token = request.query["continue"] {
            let parts = token.split(separator: ":").compactMap { Int($0) }
            guard parts.count == 2 else { return try await status(400, "invalid continue token", outbound) }
            offset = parts[0]
            listRevision = parts[1]
            guard listRevision >= compacted else { return try await status(410, "The provided continue parameter is too old", outbound) }
        }
        let page = Array(items.dropFirst(offset).prefix(limit))
        var metadata: [String: Any] = ["resourceVersion": String(listRevision)]
        if offset + page.count < items.count { metadata["continue"] = "\(offset + page.count):\(listRevision)" }
        let body: [String: Any] = ["kind": request.isEvents ? "EventList" : "PodList", "apiVersion": "v1", "metadata": metadata, "items": page]
        try await send(200, try JSONSerialization.data(withJSONObject: body), outbound)
    }

    static func render(_ event: FakeEvent, _ request: Request) -> [String: Any] {
        var object = request.isEventsAPI ? event.eventsJSON : event.coreJSON
        object["kind"] = "Event"
        object["apiVersion"] = request.isEventsAPI ? "events.k8s.io/v1" : "v1"
        return object
    }

    static func nodeSelector(_ request: Request) -> String? {
        guard let selector = request.query["fieldSelector"], selector.hasPrefix("spec.nodeName=") else { return nil }
        return String(selector.dropFirst("spec.nodeName=".count))
    }

    func status(_ code: Int, _ message: String, _ outbound: Outbound) async throws {
        let reason = code == 410 ? "Expired" : code == 401 ? "Unauthorized" : code == 403 ? "Forbidden" : "InternalError"
        let body: [String: Any] = [
            "kind": "Status", "apiVersion": "v1", "metadata": [String: Any](), "status": "Failure", "message": message, "reason": reason,
            "code": code,
        ]
        try await send(code, try JSONSerialization.data(withJSONObject: body), outbound)
    }

    func send(_ code: Int, _ body: Data, _ outbound: Outbound) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: code), headers: headers)))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
        try await outbound.write(.end(nil))
    }

    static func parse(_ uri: String) -> Request {
        let parts = uri.split(separator: "?", maxSplits: 1)
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1)
                let value = keyValue.count > 1 ? String(keyValue[1]).removingPercentEncoding ?? "" : ""
                query[String(keyValue[0])] = value
            }
        }
        return Request(path: String(parts.first ?? ""), query: query)
    }
}
