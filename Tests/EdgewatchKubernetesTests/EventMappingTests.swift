import EdgewatchCore
import FoundationEssentials
import Testing

@testable import EdgewatchKubernetes

@Suite("Kubernetes Event fields")
struct EventMappingTests {
    func decode(_ json: String) throws -> KubernetesObject {
        try JSONDecoder().decode(KubernetesObject.self, from: Data(json.utf8))
    }

    @Test("core/v1 kubelet event: count, first and last timestamps, source host")
    func coreKubelet() throws {
        let event = try decode(
            """
            {"metadata":{"name":"web-0.17f3","namespace":"default","uid":"a1","resourceVersion":"5512"},
             "involvedObject":{"kind":"Pod","namespace":"default","name":"web-0","uid":"p1","fieldPath":"spec.containers{app}"},
             "reason":"BackOff","message":"Back-off restarting failed container","source":{"component":"kubelet","host":"pi-1"},
             "firstTimestamp":"2026-11-30T08:00:00Z","lastTimestamp":"2026-11-30T08:05:00Z","count":7,"type":"Warning",
             "eventTime":null,"reportingComponent":"kubelet","reportingInstance":"pi-1"}
            """
        )
        let record = try #require(KubernetesEventMapping.occurrence(event, previous: 4, node: "pi-1", now: 0))
        #expect(record.count == 7 && record.delta == 3 && record.type == "Warning" && record.reason == "BackOff")
        #expect(record.time == 1796025900000 && record.firstSeen == 1796025600000)
        #expect(record.object == EventRecord.InvolvedObject(kind: "Pod", namespace: "default", name: "web-0"))
        #expect(KubernetesEventMapping.occurrence(event, previous: 7, node: "pi-1", now: 0) == nil)
    }

    @Test("events.k8s.io/v1: series (scheduler, microsecond times), deprecatedCount (kubelet), eventTime alone")
    func eventsAPI() throws {
        let scheduler = try decode(
            """
            {"metadata":{"uid":"s1"},"regarding":{"kind":"Pod","namespace":"default","name":"web-1"},"reason":"FailedScheduling",
             "note":"0/2 nodes are available","type":"Warning","eventTime":"2026-11-30T08:00:00.123456Z",
             "series":{"count":4,"lastObservedTime":"2026-11-30T08:10:00.654321Z"},"reportingController":"default-scheduler",
             "reportingInstance":"default-scheduler-server-0"}
            """
        )
        #expect(KubernetesEventMapping.count(scheduler) == 4)
        #expect(KubernetesEventMapping.lastSeen(scheduler) == 1796026200654)
        #expect(KubernetesEventMapping.firstSeen(scheduler) == 1796025600123)
        #expect(KubernetesEventMapping.occurrence(scheduler, previous: 0, node: "n", now: 0)?.message == "0/2 nodes are available")
        let kubelet = try decode(
            """
            {"metadata":{"uid":"k1"},"regarding":{"kind":"Node","name":"pi-1"},"reason":"NodeHasSufficientMemory","type":"Normal",
             "deprecatedSource":{"component":"kubelet","host":"pi-1"},"deprecatedFirstTimestamp":"2026-11-30T07:00:00Z",
             "deprecatedLastTimestamp":"2026-11-30T07:30:00Z","deprecatedCount":3,"eventTime":null}
            """
        )
        #expect(KubernetesEventMapping.count(kubelet) == 3 && KubernetesEventMapping.reportingHosts(kubelet) == ["pi-1"])
        #expect(KubernetesEventMapping.lastSeen(kubelet) == 1796023800000)
        let bare = try decode(#"{"metadata":{"uid":"b1"},"eventTime":"2026-11-30T08:00:00.000001Z","reason":"X"}"#)
        #expect(KubernetesEventMapping.count(bare) == 1 && KubernetesEventMapping.lastSeen(bare) == 1796025600000)
    }

    @Test("scope node: this Node, pods bound here, events reported from here; not the other node's")
    func scope() throws {
        var pods = PodIndex()
        pods.apply("ADDED", try decode(#"{"metadata":{"uid":"p1","name":"web-0","namespace":"default"},"spec":{"nodeName":"pi-1"}}"#), now: 0)
        let reflector = EventReflector(node: "pi-1", scope: .node, known: [:], resourceVersion: nil, now: 0)
        let cases: [(String, Bool)] = [
            (#"{"involvedObject":{"kind":"Node","name":"pi-1"}}"#, true),
            (#"{"involvedObject":{"kind":"Node","name":"pi-2"}}"#, false),
            (#"{"involvedObject":{"kind":"Pod","namespace":"default","name":"web-0","uid":"p1"}}"#, true),
            (#"{"involvedObject":{"kind":"Pod","namespace":"default","name":"db-0","uid":"p2"}}"#, false),
            (#"{"involvedObject":{"kind":"Pod","namespace":"x","name":"y"},"source":{"host":"pi-1"}}"#, true),
            (#"{"regarding":{"kind":"Pod","name":"y"},"reportingInstance":"default-scheduler-pi-1"}"#, false),
        ]
        for (json, expected) in cases {
            #expect(reflector.inScope(try decode(json), pods: pods) == expected, "\(json)")
        }
    }

    @Test("first list counts each event once at its count; replays add nothing; memory is bounded by age")
    func reflectorCounts() throws {
        var reflector = EventReflector(node: "pi-1", scope: .cluster, known: ["old": 2], resourceVersion: nil, now: 0)
        let event = { (uid: String, count: Int) in try self.decode(#"{"metadata":{"uid":"\#(uid)"},"count":\#(count),"reason":"R"}"#) }
        #expect(reflector.observe(try event("new", 5), pods: PodIndex(), now: 0)?.delta == 5)
        #expect(reflector.observe(try event("new", 5), pods: PodIndex(), now: 0) == nil)
        #expect(reflector.observe(try event("old", 2), pods: PodIndex(), now: 0) == nil)
        #expect(reflector.observe(try event("old", 6), pods: PodIndex(), now: 0)?.delta == 4)
        #expect(reflector.observe(try event("old", 3), pods: PodIndex(), now: 0) == nil)
        for index in 0..<1_000 { _ = reflector.observe(try event("e\(index)", 1), pods: PodIndex(), now: EventReflector.retentionMilliseconds + 1) }
        #expect(reflector.known["new"] == nil && reflector.known["e1"] != nil)
    }
}
