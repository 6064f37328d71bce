import EdgewatchCore
import EdgewatchEncoding
import EdgewatchYAML
import Foundation
import Testing

@testable import EdgewatchHub

/// Retention's summaries and settings.
@Suite struct RetentionRollupTests {
    func encoded(_ times: [Int64], _ columns: [[Double]]) -> [UInt8] {
        var codec = BlockCodec()
        return codec.encode(Block(timestamps: times, columns: columns.count, series: [BlockSeries(id: 0, present: nil, values: columns)]))
    }

    @Test func rawSamplesSummariseByMinuteWithCounterIncreases() throws {
        var rollup = RetentionRollup(tier: .raw, from: 0, to: 120_000)
        // A counter that resets in the second minute, and a sample outside the span (left out).
        let times: [Int64] = [0, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000]
        let added = rollup.add(ids: [7], data: encoded(times, [[10, 15, 20, 26, 3, 9, 1_000]]), counters: [7])
        let damaged = rollup.add(ids: [7], data: [0xff], counters: [])
        #expect(added && !damaged)
        let summary = try #require(rollup.rows().blocks(names: [7: "requests_total"]).first)
        #expect(summary.name == "requests_total" && summary.ids == [7] && summary.block.timestamps == [0, 60_000])
        let columns = summary.block.series[0].values
        // Per minute: min, max, increase (the first sample's is unknown: 0; a reset counts the new value), count, last.
        #expect(columns == [[10, 3], [20, 26], [10, 6 + 3 + 6], [3, 3], [20, 9]])
    }

    @Test func minuteSummariesCombineIntoHours() throws {
        var rollup = RetentionRollup(tier: .minute, from: 0, to: 3_600_000)
        let minutes = rollup.add(ids: [1], data: encoded([0, 60_000], [[1, 2], [5, 9], [10, 20], [3, 4], [4, 8]]), counters: [])
        // An imported summary carries only the last value: it counts as one sample.
        let imported = rollup.add(ids: [1], data: encoded([120_000], [[7]]), counters: [])
        #expect(minutes && imported)
        let summary = try #require(rollup.rows().blocks(names: [:]).first)
        #expect(summary.block.timestamps == [0])
        #expect(summary.block.series[0].values == [[1], [9], [37], [8], [7]])
    }

    @Test func settingsNameTheirTimes() throws {
        let base = HubConfiguration(listen: "127.0.0.1:0", dataDirectory: "/tmp", insecure: true)
        let parsed = try base.merging(yaml: "retention:\n  raw: 2d\n  1m: 0\n  1h: 400d\n", file: "hub.yaml")
        #expect(parsed.retention.raw == 2 * 86_400_000 && parsed.retention.minute == 0 && parsed.retention.hour == 400 * 86_400_000)
        #expect(base.retention == RetentionPolicy(), "defaults: 15 days raw, 90 days of minutes, 3 years of hours")
        #expect(RetentionPolicy().keep(.raw) == 15 * 86_400_000)
        do {
            _ = try base.merging(yaml: "retention:\n  raw: 5m\n", file: "hub.yaml")
            Issue.record("a retention under 10 minutes was accepted")
        } catch {
            #expect(
                error.description
                    == "hub.yaml:2:8: retention.raw: expected a duration like 15d (0 keeps raw samples for ever), got \"5m\" (0, or at least 10m)"
            )
        }
    }

    @Test func theShippedHubConfigParsesWithItsExamples() throws {
        let path = String(#filePath).components(separatedBy: "/Tests/")[0] + "/config/hub.yaml"
        let text = try LocalFiles.read(path)
        let base = HubConfiguration(listen: "", dataDirectory: "", insecure: false)
        let parsed = try base.merging(yaml: text, file: path)
        #expect(parsed.listen == "127.0.0.1:9910" && parsed.retention == RetentionPolicy() && parsed.remoteWrite.isEmpty)
        // The commented remote_write example, uncommented, parses too.
        var example: [String] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# remote_write:") {
                inside = true
            } else if inside, !line.hasPrefix("#   ") {
                break
            }
            if inside { example.append(String(line.dropFirst(2))) }
        }
        // (Its password file is a path on a hub; here the password stands in.)
        let yaml = example.joined(separator: "\n").replacingOccurrences(of: "password_file: /etc/edgewatch-hub/mimir-password", with: "password: x")
        let targets = try base.merging(yaml: yaml, file: path).remoteWrite
        #expect(targets.map(\.name) == ["mimir"] && targets.first?.rollups == .last)
    }

    /// A retention step's end: its period's, or a merged hour's reaching past it, within the cutoff.
    @Test func aStepReachesOverAMergedHourWithinTheCutoff() {
        let hour: Int64 = 3_600_000
        func span(_ min: Int64, _ max: Int64) -> StoredSpan { StoredSpan(id: 0, minTimestamp: min, maxTimestamp: max, ids: [], data: []) }
        #expect(HubRetention.span(from: 0, reaching: [], tier: .raw, cutoff: 10 * hour) == 600_000)
        #expect(HubRetention.span(from: 0, reaching: [span(0, 599_999)], tier: .raw, cutoff: 10 * hour) == 600_000)
        #expect(HubRetention.span(from: 0, reaching: [span(0, hour - 10_000)], tier: .raw, cutoff: 10 * hour) == hour)
        // From a mark inside the hour, to the hour's end; a block reaching over two hours stops at one.
        #expect(HubRetention.span(from: 1_200_000, reaching: [span(0, hour - 1)], tier: .raw, cutoff: 10 * hour) == hour)
        #expect(HubRetention.span(from: 0, reaching: [span(0, 3 * hour)], tier: .raw, cutoff: 10 * hour) == hour)
        // Never past the cutoff; 1 m summaries step by the hour.
        #expect(HubRetention.span(from: 0, reaching: [span(0, hour - 1)], tier: .raw, cutoff: 1_800_000) == 1_800_000)
        #expect(HubRetention.span(from: 0, reaching: [span(0, 5 * hour)], tier: .minute, cutoff: 10 * hour) == hour)
    }
}
