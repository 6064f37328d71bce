import Foundation
import NIOCore
import NIOHTTP1

/// Watch streams: the changes after the asked resourceVersion, then live ones, bookmarks in
/// between, until `timeoutSeconds`; a compacted resourceVersion gets an ERROR 410 line.
extension FakeAPIHandler {
    func watch(_ request: Request, fault: FakeFault?, _ outbound: Outbound, channel: any Channel) async throws {
        let from = Int(request.query["resourceVersion"] ?? "") ?? server.state.withLock { $0.revision }
        let timeout = min(Double(request.query["timeoutSeconds"] ?? "") ?? 1800, 1800)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)))
        if server.state.withLock({ from < $0.compactedBelow }) {
            try await line(["type": "ERROR", "object": Self.expired], outbound)
            try await outbound.write(.end(nil))
            return
        }
        if case .hang = fault {
            while channel.isActive { try await Task.sleep(for: .milliseconds(50)) }
            return
        }
        if case .garbage = fault {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(string: "{\"type\":\"ADDED\",\"object\":{nope\n"))))
            try await outbound.write(
                .body(.byteBuffer(ByteBuffer(string: "{\"type\":\"ADDED\",\"x\":\"" + String(repeating: "x", count: 1_100_000) + "\"}\n")))
            )
        }
        let deadline = Date().addingTimeInterval(timeout)
        var last = from
        var sent = 0
        var lastBookmark = Date()
        let node = Self.nodeSelector(request)
        while Date() < deadline, channel.isActive {
            let (changes, revision) = server.state.withLock { state in (state.history.filter { $0.revision > last }, state.revision) }
            for change in changes {
                last = change.revision
                let object: [String: Any]
                if request.isEvents, let event = change.event {
                    object = Self.render(event, request)
                } else if !request.isEvents, let pod = change.pod, pod.nodeName == node {
                    object = pod.json
                } else {
                    continue
                }
                if case .expireMidStream(let after) = fault, sent >= after {
                    try await line(["type": "ERROR", "object": Self.expired], outbound)
                    try await outbound.write(.end(nil))
                    return
                }
                if case .cutMidLine(let after) = fault, sent >= after {
                    let bytes = try JSONSerialization.data(withJSONObject: ["type": change.type, "object": object])
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes.prefix(bytes.count / 2)))))
                    try await channel.close()
                    return
                }
                try await line(["type": change.type, "object": object], outbound)
                sent += 1
            }
            last = max(last, revision)
            if Date().timeIntervalSince(lastBookmark) * 1000 >= Double(server.bookmarkMilliseconds) {
                lastBookmark = Date()
                let kind = request.isEvents ? "Event" : "Pod"
                try await line(
                    ["type": "BOOKMARK", "object": ["kind": kind, "apiVersion": "v1", "metadata": ["resourceVersion": String(last)]]],
                    outbound
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await outbound.write(.end(nil))
    }

    static var expired: [String: Any] {
        [
            "kind": "Status", "apiVersion": "v1", "metadata": [String: Any](), "status": "Failure",
            "message": "too old resource version: 1000 (1200)", "reason": "Expired", "code": 410,
        ]
    }

    func line(_ object: [String: Any], _ outbound: Outbound) async throws {
        var data = try JSONSerialization.data(withJSONObject: object)
        data.append(UInt8(ascii: "\n"))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: data))))
    }
}
