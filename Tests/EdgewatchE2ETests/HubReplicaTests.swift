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
}
