import EdgewatchSQLite
import EdgewatchWire
import Foundation
import Testing

/// The hub reading a damaged database, and query forms over the limit.
@Suite("Hub damage and query limits", .serialized)
struct HubDamageTests {
    @Test("a stored block that cannot be decoded is skipped, counted in /metrics and logged; the query answers with the rest")
    func undecodableBlock() throws {
        let hub = try HubProcess()
        let headers = HubSecurityTests.headers(hub, node: "pi-a", secret: HubSecurityTests.secretA)
        let first: Int64 = 1_800_000_000_000
        for sequence in [first, first + 60_000] {
            let (status, text) = try RawPost.send(
                port: hub.port,
                path: "/api/v1/ingest",
                headers: headers,
                body: HubSecurityTests.batch(node: "pi-a", sequence: sequence).compressed()
            )
            #expect(status == 200, "\(text)")
        }
        hub.stop()
        let database = try SQLiteDatabase(path: hub.data + "/hub.db")
        try database.execute("UPDATE blocks SET data = x'01020304' WHERE id = (SELECT min(id) FROM blocks)")
        database.close()
        try hub.start()
        let auth = [("Authorization", "Bearer " + hub.token)]
        let (status, body) = try HTTPGet.fetch(
            port: hub.port,
            path: "/api/v1/query_range?query=node_load1&start=1799999990&end=1800000070&step=1",
            accept: "application/json",
            headers: auth
        )
        #expect(status == 200 && body.contains("1800000060"), "\(body.prefix(400))")
        #expect(!body.contains("[1800000000,"), "the damaged block's samples are not invented")
        let metrics = try HTTPGet.fetch(port: hub.port, path: "/metrics").1
        #expect(metrics.contains("edgewatch_hub_undecodable_blocks_total 1\n"), "\(metrics)")
        #expect(metrics.contains("edgewatch_hub_cached_series{cache=\"query\"} 3\n"), "the three label sets the query read")
        #expect(hub.log.contains("cannot be decoded"), "\(hub.log.suffix(400))")
    }

    @Test("a query form over 1 MiB is answered 413, not 'missing query'")
    func oversizedForm() throws {
        let hub = try HubProcess()
        let form = Array(("query=up&pad=" + String(repeating: "x", count: 2 << 20)).utf8)
        let (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/query",
            headers: [("Authorization", "Bearer " + hub.token), ("Content-Type", "application/x-www-form-urlencoded")],
            body: form
        )
        #expect(status == 413 && text.contains("form body exceeds"), "\(text.prefix(300))")
    }

    @Test("an offset, range or time that reaches past a millisecond time is answered 422 and the hub keeps serving")
    func hostileReach() throws {
        let hub = try HubProcess()
        let auth = [("Authorization", "Bearer " + hub.token)]
        let edge = "9223372036854000"
        let paths = [
            "/api/v1/query_range?query=rate(up%5B200000000y%5D%20offset%20200000000y)&start=0&end=60&step=1",
            "/api/v1/query?query=up%20offset%20-200000000y&time=\(edge)",
            "/api/v1/query?query=up&time=-9223372036854775",
        ]
        for path in paths {
            let (status, body) = try HTTPGet.fetch(port: hub.port, path: path, accept: "application/json", headers: auth)
            #expect(status == 422 && body.contains("reach past the times a query can read"), "\(path): \(status) \(body.prefix(300))")
        }
        #expect(hub.process.isRunning)
        let (status, body) = try HTTPGet.fetch(port: hub.port, path: "/api/v1/labels?start=-\(edge)&end=\(edge)", headers: auth)
        #expect(status == 200, "\(body.prefix(300))")
    }
}
