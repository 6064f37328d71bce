import EdgewatchCore
import FakeAPIServer
import Foundation
import Testing

@testable import EdgewatchKubernetes

/// The event source against the fake apiserver: TLS as k3s sets it up, list pages, watches with
/// bookmarks, and every fault a real apiserver or link shows.
@Suite("Kubernetes event source", .serialized)
struct EventSourceTests {
    /// A two-node cluster: pods on pi-1 and pi-2, events from kubelets, the scheduler and the node controller.
    struct Cluster {
        let server: FakeAPIServer
        let directory: String
        let certificates: FakeCertificates
        var web = FakePod(name: "web-0", nodeName: "pi-1")
        var db = FakePod(name: "db-0", nodeName: "pi-2")
        /// uids of events this node keeps, and of all.
        var local: [String] = []
        var all: [String] = []

        init(token: String? = nil, clientCertificates: Bool = true, backlog: Int = 0) async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-apiserver-\(UUID().uuidString)").path
            certificates = try FakeCertificates(directory: directory, node: "pi-1")
            let tls = clientCertificates ? try certificates.serverContext() : try certificates.serverContextWithoutClientCertificates()
            server = try await FakeAPIServer(tls: tls, token: token, bookmarkMilliseconds: 300)
            server.add(web)
            server.add(db)
            for index in 0..<backlog {
                let event = server.add(
                    FakeEvent(
                        reason: "Pulled",
                        message: "Container image \"nginx:1.27\" already present on machine (\(index))",
                        involvedKind: "Pod",
                        involvedName: web.name,
                        involvedUID: web.uid,
                        reporter: .kubelet(host: "pi-1")
                    )
                )
                local.append(event.uid)
                all.append(event.uid)
            }
            addMixed()
        }

        /// One event of each shape, for this node and for the other.
        mutating func addMixed() {
            let mine = [
                FakeEvent(
                    reason: "BackOff",
                    message: "Back-off restarting failed container app in pod web-0_default",
                    type: "Warning",
                    involvedKind: "Pod",
                    involvedName: web.name,
                    involvedUID: web.uid,
                    reporter: .kubelet(host: "pi-1")
                ),
                FakeEvent(
                    reason: "Scheduled",
                    message: "Successfully assigned default/web-0 to pi-1",
                    involvedKind: "Pod",
                    involvedName: web.name,
                    involvedUID: web.uid,
                    reporter: .scheduler
                ),
                FakeEvent(
                    reason: "NodeNotReady",
                    message: "Node pi-1 status is now: NodeNotReady",
                    type: "Warning",
                    involvedKind: "Node",
                    involvedName: "pi-1",
                    involvedUID: "6f1c2b8e-node-pi-1",
                    reporter: .controller("node-controller")
                ),
            ]
            let theirs = [
                FakeEvent(
                    reason: "BackOff",
                    message: "Back-off pulling image",
                    type: "Warning",
                    involvedKind: "Pod",
                    involvedName: db.name,
                    involvedUID: db.uid,
                    reporter: .kubelet(host: "pi-2")
                ),
                FakeEvent(
                    reason: "NodeNotReady",
                    message: "Node pi-2 status is now: NodeNotReady",
                    type: "Warning",
                    involvedKind: "Node",
                    involvedName: "pi-2",
                    involvedUID: "node-pi-2",
                    reporter: .controller("node-controller")
                ),
                FakeEvent(
                    reason: "SuccessfulCreate",
                    message: "Created pod: web-0",
                    involvedKind: "ReplicaSet",
                    involvedName: "web-5d4f",
                    involvedUID: "rs-1",
                    reporter: .controller("replicaset-controller")
                ),
            ]
            for event in mine { local.append(server.add(event).uid) }
            for event in theirs { all.append(server.add(event).uid) }
            all += local.suffix(mine.count)
        }

        /// Raises the count of some events of both nodes.
        func repeatSome(_ rounds: Int = 1) {
            for _ in 0..<rounds {
                for uid in local.suffix(3) + all.prefix(2) { server.repeatEvent(uid) }
            }
        }

        func expected(_ uids: [String]) -> [String: Int] {
            let counts = server.currentCounts
            return Dictionary(uniqueKeysWithValues: Set(uids).compactMap { uid in counts[uid].map { (uid, $0) } })
        }

        func settings(scope: EventScope = .node, api: KubernetesSourceSettings.API = .core) throws -> KubernetesSourceSettings {
            let file = directory + "/k3s.yaml"
            try certificates.kubeconfig(port: server.port).write(toFile: file, atomically: true, encoding: .utf8)
            let credentials = try #require(try CredentialDiscovery(kubeconfig: file, environment: [:]).discover())
            var settings = KubernetesSourceSettings(credentials: credentials, node: "pi-1", scope: scope, api: api)
            settings.pageSize = 50
            settings.watchTimeoutSeconds = 2
            settings.readTimeout = .seconds(2)
            settings.refusedRetry = .milliseconds(300)
            return settings
        }

        func stop() {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    @Test("client certificates as k3s issues them; paged list, then watch with repeats: this node's occurrences once each, no gap")
    func nodeScopeOverTLS() async throws {
        var cluster = try await Cluster(backlog: 120)
        defer { cluster.stop() }
        let sink = MemorySink()
        let log = LogCapture()
        try await SourceHarness.run(try cluster.settings(), sink: sink, log: log) {
            #expect(
                await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) },
                "\(log.lines.withLock { $0 })"
            )
            cluster.repeatSome(3)
            cluster.addMixed()
            #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) })
        }
        #expect(cluster.server.requests.contains { $0.contains("continue=") }, "the list was not paged")
        #expect(cluster.server.requests.contains { $0.contains("allowWatchBookmarks=true") && $0.contains("timeoutSeconds=2") })
        #expect(cluster.server.requests.first?.hasPrefix("GET /api/v1/pods?fieldSelector=spec.nodeName%3Dpi-1") == true)
        let events = await sink.events
        let scheduled = try #require(events.first { $0.reason == "Scheduled" })
        #expect(scheduled.object == EventRecord.InvolvedObject(kind: "Pod", namespace: "default", name: "web-0") && scheduled.source == .kubernetes)
        #expect(events.allSatisfy { $0.node == "pi-1" && $0.time >= $0.firstSeen && $0.time > 1_700_000_000_000 })
    }

    @Test("scope cluster keeps every event; events.k8s.io/v1 fields (deprecatedCount, series) read the same")
    func clusterScopeAndEventsAPI() async throws {
        for api in KubernetesSourceSettings.API.allCases {
            let cluster = try await Cluster()
            defer { cluster.stop() }
            let sink = MemorySink()
            try await SourceHarness.run(try cluster.settings(scope: .cluster, api: api), sink: sink) {
                #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.all)) })
                cluster.repeatSome(2)
                #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.all)) }, "\(api)")
            }
            #expect(cluster.server.requests.allSatisfy { !$0.contains("/pods") })
            #expect(cluster.server.requests.contains { $0.hasPrefix("GET " + api.path) })
        }
    }

    @Test(
        "410 by HTTP and mid-stream, 500s, a stream cut mid-line, garbage lines and a hung stream: relist or reconnect, nothing twice, nothing lost"
    )
    func faults() async throws {
        var cluster = try await Cluster(backlog: 10)
        defer { cluster.stop() }
        let sink = MemorySink()
        let metrics = KubernetesMetrics()
        try await SourceHarness.run(try cluster.settings(), sink: sink, metrics: metrics) {
            let faults: [FakeFault] = [.expireMidStream(afterLines: 1), .cutMidLine(afterLines: 1), .status(500, watch: true), .garbage, .hang]
            for fault in faults {
                cluster.server.inject(fault)
                #expect(await SourceHarness.eventually { cluster.server.pendingFaults == 0 }, "\(fault) not met")
                cluster.repeatSome()
                cluster.addMixed()
                #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) }, "\(fault)")
            }
            // An HTTP 410 after compaction: the watch relists.
            cluster.server.compact()
            cluster.server.inject(.status(410, watch: true))
            #expect(await SourceHarness.eventually { cluster.server.pendingFaults == 0 })
            cluster.repeatSome()
            #expect(await SourceHarness.eventually(30) { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) })
        }
        let snapshot = metrics.snapshot
        #expect(snapshot.relists >= 3, "\(snapshot)")
        #expect(snapshot.skipped["malformed"] == 1 && snapshot.skipped["oversized"] == 1, "\(snapshot)")
        #expect((snapshot.errors["server"] ?? 0) >= 1 && (snapshot.errors["transport"] ?? 0) >= 2, "\(snapshot)")
        let events = await sink.events
        #expect(Set(events.map { "\($0.uid)#\($0.count)" }).count == events.count, "an occurrence was recorded twice")
    }

    @Test("bearer tokens: a wrong one gets 401 and a clear error, the rotated file is read again; 403 names the missing permission")
    func tokensAndPermissions() async throws {
        let cluster = try await Cluster(token: "good-token", clientCertificates: false)
        defer { cluster.stop() }
        var settings = try cluster.settings()
        settings.credentials.clientCertificate = nil
        settings.credentials.clientKey = nil
        let tokenFile = cluster.directory + "/token"
        try "stale-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        settings.credentials.tokenFile = tokenFile
        let sink = MemorySink()
        let metrics = KubernetesMetrics()
        let log = LogCapture()
        try await SourceHarness.run(settings, sink: sink, metrics: metrics, log: log) {
            #expect(await SourceHarness.eventually { (metrics.snapshot.errors["unauthorized"] ?? 0) > 0 })
            try "good-token\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
            #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) })
            cluster.server.inject(.status(403, watch: true))
            #expect(await SourceHarness.eventually { cluster.server.pendingFaults == 0 })
            cluster.repeatSome()
            #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) })
        }
        let lines = log.lines.withLock { $0 }
        #expect(lines.contains { $0.contains("(401)") && $0.contains("need permission to list, watch pods") })
        #expect(lines.contains { $0.contains("(403)") && $0.contains("need permission to list, watch events") })
        #expect(metrics.snapshot.errors["forbidden"] == 1)
    }

    @Test("an event about a pod the pod watch has not delivered yet is judged again when it arrives")
    func podArrivesAfterItsEvent() async throws {
        let cluster = try await Cluster()
        defer { cluster.stop() }
        let sink = MemorySink()
        try await SourceHarness.run(try cluster.settings(), sink: sink) {
            #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) })
            let late = FakePod(name: "late-0", nodeName: "pi-1")
            let scheduled = cluster.server.add(
                FakeEvent(
                    reason: "Scheduled",
                    message: "Successfully assigned default/late-0 to pi-1",
                    involvedKind: "Pod",
                    involvedName: late.name,
                    involvedUID: late.uid,
                    reporter: .scheduler
                )
            )
            try await Task.sleep(for: .milliseconds(700))
            cluster.server.add(late)
            #expect(await SourceHarness.eventually(10) { await sink.events.contains { $0.uid == scheduled.uid } })
        }
    }

    @Test("a restart resumes from the stored resourceVersion: replayed states add nothing, rises while down are recorded once")
    func resumeAfterRestart() async throws {
        let cluster = try await Cluster()
        defer { cluster.stop() }
        let sink = MemorySink()
        try await SourceHarness.run(try cluster.settings(), sink: sink) {
            #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) })
        }
        let listsBefore = cluster.server.requests.filter { $0.contains("/events?limit=") }.count
        cluster.repeatSome(2)
        try await SourceHarness.run(try cluster.settings(), sink: sink) {
            #expect(await SourceHarness.eventually { await SourceHarness.complete(sink, expected: cluster.expected(cluster.local)) })
        }
        #expect(cluster.server.requests.filter { $0.contains("/events?limit=") }.count == listsBefore, "restart relisted instead of resuming")
    }
}
