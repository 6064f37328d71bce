import EdgewatchCore
import EdgewatchEncoding

/// What a hub stored, read from its database (SQLite in its data directory, or PostgreSQL).
protocol HubContents {
    /// Every stored row of `node` at `tier`, decoded: "name{labels}@ts" (labels without `node`) and its columns.
    func rows(node: String, tier: Int64, _ visit: (String, [Double]) -> Void) throws
    /// The `uid#count` keys of a node's stored events.
    func eventKeys(node: String) throws -> [String]
}

extension HubContents {
    /// Samples the hub stored for `node` at the raw tier: "name{labels}@ts" → value (labels without `node`).
    func rawSamples(node: String) throws -> [String: Double] { try rawSamplesCounted(node: node).samples }

    /// The raw samples and how many were stored in all (more than the keys means duplicates).
    func rawSamplesCounted(node: String) throws -> (samples: [String: Double], stored: Int) {
        var result: [String: Double] = [:]
        var stored = 0
        try rows(node: node, tier: 0) { key, columns in
            result[key] = columns[0]
            stored += 1
        }
        return (result, stored)
    }
}

/// Decoding the hub's series rows and blocks, whichever database holds them.
enum HubContentsDecoding {
    /// Records series `id` as "name{labels}" (without `node`) when it belongs to `node`.
    static func name(id: Int64, name: String, labels text: String, node: String, into names: inout [Int64: String]) {
        guard let labels = SeriesKey.decodeLabels(text), labels["node"] == node else { return }
        names[id] = name + SeriesKey(name: name, labels: labels.removingNode(), type: .gauge).encodedLabels
    }

    /// Visits every row of a stored block whose series are `ids`.
    static func visit(ids: [Int64], data: [UInt8], names: [Int64: String], _ visit: (String, [Double]) -> Void) throws {
        var codec = BlockCodec()
        let block = try codec.decode(data)
        for entry in block.series {
            guard let name = names[ids[Int(entry.id)]] else { continue }
            var index = 0
            for (row, timestamp) in block.timestamps.enumerated() where entry.present?[row] ?? true {
                visit("\(name)@\(timestamp)", entry.values.map { $0[index] })
                index += 1
            }
        }
    }
}
