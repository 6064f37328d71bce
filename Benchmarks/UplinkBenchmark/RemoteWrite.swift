/// Prometheus remote_write 1.0 `WriteRequest` protobuf encoding (hand-written: timeseries = 1,
/// labels = 1, samples = 2, label name = 1, value = 2, sample value = 1 (double), timestamp = 2).
enum RemoteWrite {
    struct TimeSeries {
        var labels: [(String, String)]
        var samples: [(Double, Int64)]
    }

    static func varint(_ value: UInt64, _ out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    static func lengthDelimited(_ field: UInt64, _ payload: [UInt8], _ out: inout [UInt8]) {
        varint(field << 3 | 2, &out)
        varint(UInt64(payload.count), &out)
        out += payload
    }

    static func encode(_ series: [TimeSeries]) -> [UInt8] {
        var request: [UInt8] = []
        for entry in series {
            var message: [UInt8] = []
            for (name, value) in entry.labels {
                var label: [UInt8] = []
                lengthDelimited(1, Array(name.utf8), &label)
                lengthDelimited(2, Array(value.utf8), &label)
                lengthDelimited(1, label, &message)
            }
            for (value, timestamp) in entry.samples {
                var sample: [UInt8] = []
                varint(1 << 3 | 1, &sample)
                withUnsafeBytes(of: value.bitPattern.littleEndian) { sample += $0 }
                varint(2 << 3, &sample)
                varint(UInt64(bitPattern: timestamp), &sample)
                lengthDelimited(2, sample, &message)
            }
            lengthDelimited(1, message, &request)
        }
        return request
    }
}
