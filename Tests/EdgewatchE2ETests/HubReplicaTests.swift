import Foundation
import TestServers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two real hub replicas on one real PostgreSQL behind a round-robin proxy, with real agents.
@Suite("Hub replicas on PostgreSQL", .serialized, .enabled(if: PostgresServer.usable))
struct HubReplicaTests {
    /// One replica killed with -9 mid-ingest and restarted, then PostgreSQL restarted: every
    /// sample and event of every acknowledged window is stored exactly once. The second replica
    /// starts with an empty data directory and accepts the token the first one created.
    @Test("replica killed -9 and PostgreSQL restarted: every acknowledged sample exactly once")
    func replicaAndDatabaseCrashes() throws {
        let database = try PostgresServer()
        defer { database.stop() }
        let url = database.url()
        let first = try HubProcess(extra: ["--postgres", url])
        let second = try HubProcess(extra: ["--postgres", url])
        let contents = try PostgresHubContents(url: url)
        let token = try contents.joinToken()
        #expect(!FileManager.default.fileExists(atPath: second.data + "/join-token"))
        #expect(first.log.contains("created the cluster join token in PostgreSQL"))
        #expect(second.log.contains("using the cluster join token stored in PostgreSQL"))
        let proxy = try FaultProxy(targets: [first.port, second.port])
        defer { proxy.stop() }
        let nodes = ["edge-a", "edge-b", "edge-c"]
        var agents: [(AgentScratch, AgentProcess)] = []
        for node in nodes {
            let scratch = try AgentScratch(node: node, interval: "200ms", flush: "400ms")
            try UplinkTests.agentConfig(scratch, token: token, port: proxy.port)
            agents.append((scratch, try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())))
        }
        sleep(3)
        first.kill9()
        sleep(2)
        try first.start()
        sleep(2)
        try database.restart()
        sleep(3)
        for ((scratch, agent), node) in zip(agents, nodes) {
            try UplinkTests.settleAndCompare(scratch, contents, agent: agent, node: node)
        }
        let replicas = [first.log, second.log]
        #expect(replicas.allSatisfy { !$0.contains("Fatal") }, "\(replicas.map { $0.suffix(800) })")
    }

    /// A rolling upgrade as the replica not yet upgraded sees it: once a newer replica has
    /// migrated the schema (here its version row, inserted by the test), the old one answers
    /// batches 503 and its health check 503 with the reason, and the agent keeps its windows;
    /// back on a schema it knows (as after a restore), every acknowledged sample is stored once.
    @Test("an older replica stops storing once a newer one migrated the schema; nothing acknowledged is lost")
    func olderReplicaDuringARollingUpgrade() throws {
        let database = try PostgresServer()
        defer { database.stop() }
        let url = database.url()
        let hub = try HubProcess(extra: ["--postgres", url])
        let contents = try PostgresHubContents(url: url)
        let scratch = try AgentScratch(node: "edge-a", interval: "200ms", flush: "400ms")
        try UplinkTests.agentConfig(scratch, token: try contents.joinToken(), port: hub.port)
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        sleep(2)
        try contents.execute("INSERT INTO edgewatch_schema SELECT max(version) + 1, now() FROM edgewatch_schema")
        let refused = try Self.health(hub, until: 503)
        #expect(refused.contains("a newer edgewatch replica migrated it"), "\(refused)")
        let storedBefore = try contents.rawSamplesCounted(node: "edge-a").stored
        sleep(2)
        #expect(try contents.rawSamplesCounted(node: "edge-a").stored == storedBefore, "the old replica stored while refused")
        #expect(hub.log.contains("this one stores nothing until it is upgraded"), "\(hub.log.suffix(800))")
        try contents.execute("DELETE FROM edgewatch_schema WHERE version = (SELECT max(version) FROM edgewatch_schema)")
        _ = try Self.health(hub, until: 200)
        try UplinkTests.settleAndCompare(scratch, contents, agent: agent, node: "edge-a")
    }

    /// The hub's `/healthz` once it answers `status` (within 15 s): its body.
    static func health(_ hub: HubProcess, until status: Int) throws -> String {
        let deadline = Date().addingTimeInterval(15)
        var last = (0, "")
        while Date() < deadline {
            last = try HTTPGet.fetch(port: hub.port, path: "/healthz")
            if last.0 == status { return last.1 }
            usleep(100_000)
        }
        Issue.record("/healthz answered \(last.0) \(last.1), not \(status)")
        return last.1
    }
}
