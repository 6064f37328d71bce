import EdgewatchSQLite
import Foundation

extension UplinkTests {
    /// What a failing budget test needs to see: the agent's store metrics, and the store's
    /// segments and gaps (tier, count, span, bytes).
    static func storeState(_ scratch: AgentScratch, agent: AgentProcess) -> String {
        let metrics = (try? HTTPGet.fetch(port: agent.port, path: "/metrics").1) ?? "(no /metrics)"
        var lines = metrics.split(separator: "\n").filter { $0.hasPrefix("edgewatch_store_") }.map(String.init)
        guard let store = try? SQLiteDatabase(path: scratch.store, readOnly: true) else { return lines.joined(separator: "\n") }
        defer { store.close() }
        let queries = [
            "SELECT 'segments tier ' || tier, count(*), min(min_ts), max(max_ts), sum(bytes) FROM segments GROUP BY tier",
            "SELECT 'gaps tier ' || tier || ' ' || kind, count(*), min(start_ts), max(end_ts), 0 FROM gaps GROUP BY tier, kind",
            "SELECT 'pages', page_count, freelist_count, page_size, 0 FROM pragma_page_count, pragma_freelist_count, pragma_page_size",
        ]
        for query in queries {
            guard let statement = try? store.statement(query) else { continue }
            while (try? statement.step()) == true {
                lines.append((1..<5).reduce(statement.string(0)) { $0 + " " + String(statement.int64(Int32($1))) })
            }
        }
        return lines.joined(separator: "\n")
    }
}
