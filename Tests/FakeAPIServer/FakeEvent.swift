import Foundation

/// An Event the fake apiserver holds, rendered as a real apiserver would: core/v1 for
/// `/api/v1/events`, converted to events.k8s.io/v1 (deprecated* fields, or `series` for the
/// scheduler) for `/apis/events.k8s.io/v1/events`.
public struct FakeEvent: Sendable {
    public enum Reporter: Sendable {
        /// kubelet on `host`: source.host set, count in `count`.
        case kubelet(host: String)
        /// default-scheduler: series (count, lastObservedTime), reportingInstance `default-scheduler-<host>`.
        case scheduler
        /// a controller (replicaset-controller, node-controller): no host.
        case controller(String)
    }

    public var uid: String
    public var namespace: String
    public var name: String
    public var reason: String
    public var message: String
    public var type: String
    public var involvedKind: String
    public var involvedNamespace: String
    public var involvedName: String
    public var involvedUID: String
    public var count: Int
    public var first: Date
    public var last: Date
    public var reporter: Reporter
    public var resourceVersion = 0

    public init(
        uid: String = UUID().uuidString.lowercased(),
        namespace: String = "default",
        reason: String,
        message: String,
        type: String = "Normal",
        involvedKind: String,
        involvedNamespace: String = "default",
        involvedName: String,
        involvedUID: String,
        count: Int = 1,
        at time: Date = Date(),
        reporter: Reporter
    ) {
        self.uid = uid
        self.namespace = involvedKind == "Node" ? "default" : namespace
        self.name = "\(involvedName).\(String(uid.prefix(8)))"
        self.reason = reason
        self.message = message
        self.type = type
        self.involvedKind = involvedKind
        self.involvedNamespace = involvedKind == "Node" ? "" : involvedNamespace
        self.involvedName = involvedName
        self.involvedUID = involvedUID
        self.count = count
        self.first = time
        self.last = time
        self.reporter = reporter
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func microTime(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date).replacingOccurrences(of: "Z", with: "000Z")
    }

    var involved: [String: Any] {
        var object: [String: Any] = ["kind": involvedKind, "name": involvedName, "uid": involvedUID, "apiVersion": "v1"]
        if !involvedNamespace.isEmpty { object["namespace"] = involvedNamespace }
        if involvedKind == "Pod" { object["fieldPath"] = "spec.containers{app}" }
        return object
    }

    var metadata: [String: Any] {
        ["name": name, "namespace": namespace, "uid": uid, "resourceVersion": String(resourceVersion), "creationTimestamp": Self.time(first)]
    }

    /// core/v1 Event.
    public var coreJSON: [String: Any] {
        var object: [String: Any] = [
            "metadata": metadata, "involvedObject": involved, "reason": reason, "message": message, "type": type,
            "firstTimestamp": Self.time(first), "lastTimestamp": Self.time(last), "count": count,
            "eventTime": NSNull(), "reportingComponent": "", "reportingInstance": "",
        ]
        switch reporter {
        case .kubelet(let host):
            object["source"] = ["component": "kubelet", "host": host]
        case .scheduler:
            object["source"] = [String: Any]()
            object["firstTimestamp"] = NSNull()
            object["lastTimestamp"] = NSNull()
            object["eventTime"] = Self.microTime(first)
            object["reportingComponent"] = "default-scheduler"
            object["reportingInstance"] = "default-scheduler-server-0"
            object["action"] = "Binding"
            if count > 1 {
                object["series"] = ["count": count, "lastObservedTime": Self.microTime(last)]
                object.removeValue(forKey: "count")
            } else {
                object.removeValue(forKey: "count")
            }
        case .controller(let component):
            object["source"] = ["component": component]
        }
        return object
    }

    /// events.k8s.io/v1 Event, as the apiserver converts it.
    public var eventsJSON: [String: Any] {
        var object: [String: Any] = [
            "metadata": metadata, "regarding": involved, "reason": reason, "note": message, "type": type,
        ]
        switch reporter {
        case .scheduler:
            object["eventTime"] = Self.microTime(first)
            object["reportingController"] = "default-scheduler"
            object["reportingInstance"] = "default-scheduler-server-0"
            object["action"] = "Binding"
            if count > 1 { object["series"] = ["count": count, "lastObservedTime": Self.microTime(last)] }
        case .kubelet(let host):
            object["eventTime"] = NSNull()
            object["deprecatedSource"] = ["component": "kubelet", "host": host]
            object["deprecatedFirstTimestamp"] = Self.time(first)
            object["deprecatedLastTimestamp"] = Self.time(last)
            object["deprecatedCount"] = count
        case .controller(let component):
            object["eventTime"] = NSNull()
            object["deprecatedSource"] = ["component": component]
            object["deprecatedFirstTimestamp"] = Self.time(first)
            object["deprecatedLastTimestamp"] = Self.time(last)
            object["deprecatedCount"] = count
        }
        return object
    }
}
