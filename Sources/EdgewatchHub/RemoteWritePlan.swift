import EdgewatchCore
import EdgewatchRemoteWrite

/// The requests that send a run of queued blocks to one target. Blocks are grouped, whole, up to
/// `maxSamples` a group; within a group each series' samples are merged oldest first, one per
/// instant (a raw sample winning over a rollup), and samples at or before what the target already
/// holds for the series (`highWater`, by ``Labels/fingerprint``) are left out, since Prometheus refuses a whole request for
/// one sample out of order. A group larger than `maxSamples` (one big block) takes several requests.
struct RemoteWritePlan {
    /// One group of blocks and the requests that carry its samples.
    struct Group {
        var blocks: [Int64]
        var requests: [[RemoteWriteSeries]]
        /// Samples left out as older than what the target holds.
        var skipped = 0
    }

    var groups: [Group] = []
    /// Blocks whose stored bytes could not be decoded.
    var undecodable: [Int64] = []

    init(blocks: [QueuedBlock], rollups: RemoteWriteTarget.Rollups, maxSamples: Int, highWater: [UInt64: Int64]) {
        var pending: [(id: Int64, tier: Int, series: [RemoteWriteSeries])] = []
        var count = 0
        for block in blocks {
            guard let series = block.remoteWriteSeries(rollups: rollups) else {
                undecodable.append(block.id)
                continue
            }
            let samples = series.reduce(0) { $0 + $1.samples.count }
            if !pending.isEmpty, count + samples > maxSamples {
                groups.append(Self.group(pending, maxSamples: maxSamples, highWater: highWater))
                pending = []
                count = 0
            }
            pending.append((block.id, block.tier.rawValue, series))
            count += samples
        }
        if !pending.isEmpty { groups.append(Self.group(pending, maxSamples: maxSamples, highWater: highWater)) }
    }

    private static func group(
        _ blocks: [(id: Int64, tier: Int, series: [RemoteWriteSeries])],
        maxSamples: Int,
        highWater: [UInt64: Int64]
    ) -> Group {
        var merged: [Labels: (type: MetricType, points: [(timestamp: Int64, tier: Int, value: Double)])] = [:]
        for block in blocks {
            for series in block.series {
                var entry = merged[series.labels] ?? (series.type, [])
                entry.points += series.samples.map { ($0.timestamp, block.tier, $0.value) }
                merged[series.labels] = entry
            }
        }
        var group = Group(blocks: blocks.map(\.id), requests: [])
        var request: [RemoteWriteSeries] = []
        var room = maxSamples
        for labels in merged.keys.sorted() {
            guard let entry = merged[labels] else { continue }
            let floor = highWater[labels.fingerprint] ?? Int64.min
            var samples: [RemoteWriteSeries.Sample] = []
            for point in entry.points.sorted(by: { ($0.timestamp, $0.tier) < ($1.timestamp, $1.tier) }) {
                if point.timestamp <= floor {
                    group.skipped += 1
                } else if samples.last?.timestamp != point.timestamp {
                    samples.append(RemoteWriteSeries.Sample(point.timestamp, point.value))
                }
            }
            // Split the series where the request is full; its parts stay in order across requests.
            while !samples.isEmpty {
                let part = Array(samples.prefix(room))
                samples.removeFirst(part.count)
                request.append(RemoteWriteSeries(labels: labels, type: entry.type, samples: part))
                room -= part.count
                if room == 0 {
                    group.requests.append(request)
                    request = []
                    room = maxSamples
                }
            }
        }
        if !request.isEmpty { group.requests.append(request) }
        return group
    }
}
