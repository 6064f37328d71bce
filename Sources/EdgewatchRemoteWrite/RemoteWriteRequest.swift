import EdgewatchCore
import SwiftProtobuf

/// remote_write 1.0 bodies: a `WriteRequest` in protobuf, snappy-compressed.
public enum RemoteWriteRequest {
    /// The headers every request carries besides its length (the specification's).
    public static let headers: [(String, String)] = [
        ("Content-Type", "application/x-protobuf"),
        ("Content-Encoding", "snappy"),
        ("X-Prometheus-Remote-Write-Version", "0.1.0"),
    ]

    /// Header names a target's configured headers may not set: the protocol's own, and HTTP's.
    public static let reservedHeaders: Set<String> = [
        "content-type", "content-encoding", "content-length", "x-prometheus-remote-write-version", "host", "connection",
        "transfer-encoding", "user-agent",
    ]

    /// The compressed body carrying `series` (each with its samples oldest first), with one
    /// metadata entry (its type) per metric name.
    public static func body(_ series: [RemoteWriteSeries]) throws(RemoteWriteError) -> [UInt8] {
        var request = Prometheus_WriteRequest()
        var types: [String: MetricType] = [:]
        request.timeseries.reserveCapacity(series.count)
        for entry in series {
            var message = Prometheus_TimeSeries()
            message.labels = entry.labels.map { label in
                var field = Prometheus_Label()
                field.name = label.name
                field.value = label.value
                return field
            }
            message.samples = entry.samples.map { sample in
                var field = Prometheus_Sample()
                field.timestamp = sample.timestamp
                field.value = sample.value
                return field
            }
            request.timeseries.append(message)
            if let name = entry.labels["__name__"] { types[name] = entry.type }
        }
        request.metadata = types.sorted { $0.key < $1.key }.map { name, type in
            var metadata = Prometheus_MetricMetadata()
            metadata.metricFamilyName = name
            metadata.type = type.remoteWriteType
            return metadata
        }
        let encoded: [UInt8]
        do {
            encoded = try request.serializedBytes()
        } catch {
            throw RemoteWriteError("cannot encode the write request: \(error)")
        }
        return try Snappy.compress(encoded)
    }

    /// The series a compressed body carries (a receiver's view: tests, and checks of what was sent);
    /// the body may inflate to at most `limit` bytes.
    public static func series(of body: [UInt8], limit: Int) throws(RemoteWriteError) -> [RemoteWriteSeries] {
        let bytes = try Snappy.decompress(body, limit: limit)
        let request: Prometheus_WriteRequest
        do {
            request = try Prometheus_WriteRequest(serializedBytes: bytes)
        } catch {
            throw RemoteWriteError("not a remote_write WriteRequest: \(error)")
        }
        var types: [String: MetricType] = [:]
        for metadata in request.metadata { types[metadata.metricFamilyName] = MetricType(metadata.type) }
        return request.timeseries.map { message in
            let labels = Labels(message.labels.map { Label($0.name, $0.value) })
            return RemoteWriteSeries(
                labels: labels,
                type: types[labels["__name__"] ?? ""] ?? .unknown,
                samples: message.samples.map { RemoteWriteSeries.Sample($0.timestamp, $0.value) }
            )
        }
    }
}

extension MetricType {
    fileprivate var remoteWriteType: Prometheus_MetricMetadata.MetricType {
        switch self {
        case .counter: return .counter
        case .gauge: return .gauge
        case .unknown: return .unknown
        }
    }

    fileprivate init(_ type: Prometheus_MetricMetadata.MetricType) {
        switch type {
        case .counter: self = .counter
        case .gauge: self = .gauge
        default: self = .unknown
        }
    }
}
