import EdgewatchCore
import EdgewatchEncoding
import EdgewatchRemoteWrite
import EdgewatchYAML
import Testing

@testable import EdgewatchHub

/// remote_write's pieces: the body (protobuf in snappy), the plan of requests, and the config.
@Suite struct RemoteWriteTests {
    @Test func bodiesRoundTripThroughSnappyAndProtobuf() throws {
        let series = [
            RemoteWriteSeries(
                labels: ["__name__": "node_load1", "node": "pi-1"],
                type: .gauge,
                samples: [.init(1_000, 0.5), .init(2_000, .nan), .init(3_000, -.infinity)]
            ),
            RemoteWriteSeries(
                labels: ["__name__": "node_cpu_seconds_total", "cpu": "0", "mode": "idle"],
                type: .counter,
                samples: [.init(1_000, 7)]
            ),
        ]
        let body = try RemoteWriteRequest.body(series)
        #expect(try RemoteWriteRequest.series(of: body, limit: 1 << 20) == series)
        let plain = Array(repeating: UInt8(ascii: "a"), count: 10_000)
        let compressed = try Snappy.compress(plain)
        #expect(compressed.count < 1_000)
        #expect(try Snappy.decompress(compressed, limit: 10_000) == plain)
        #expect(throws: RemoteWriteError.self) { try Snappy.decompress(compressed, limit: 9_999) }
        #expect(throws: RemoteWriteError.self) { try Snappy.decompress([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], limit: 100) }
    }

    @Test func base64EncodesAsRFC4648() {
        #expect(Base64.encode(Array("".utf8)) == "")
        #expect(Base64.encode(Array("f".utf8)) == "Zg==")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("user:pa55".utf8)) == "dXNlcjpwYTU1")
    }

    /// A stored block of `name` with rows at `times`: raw values, or rollup columns (min, max, sum, count, last).
    func block(_ id: Int64, tier: Tier, _ times: [Int64], name: String = "node_load1") -> QueuedBlock {
        let columns = tier == .raw ? 1 : 5
        let values = (0..<columns).map { column in times.map { Double($0) + Double(column) } }
        var codec = BlockCodec()
        let data = codec.encode(Block(timestamps: times, columns: columns, series: [BlockSeries(id: 0, present: nil, values: values)]))
        return QueuedBlock(id: id, tier: tier, series: [QueuedBlock.Series(labels: ["__name__": name, "node": "a"], type: .gauge)], data: data)
    }

    @Test func planMergesSeriesSkipsWhatTheTargetHoldsAndSplitsAtTheLimit() {
        let blocks = [block(1, tier: .raw, [10, 20, 30]), block(2, tier: .minute, [30, 60]), block(3, tier: .raw, [40, 50])]
        let plan = RemoteWritePlan(
            blocks: blocks,
            rollups: .last,
            maxSamples: 100,
            highWater: [(["__name__": "node_load1", "node": "a"] as Labels).fingerprint: 10]
        )
        #expect(plan.groups.count == 1)
        let group = plan.groups[0]
        #expect(group.blocks == [1, 2, 3])
        #expect(group.skipped == 1, "the sample at 10 is held already")
        // One per instant, oldest first; at 30 the raw sample wins over the rollup's last value (34).
        #expect(group.requests.map { $0.map(\.samples) } == [[[.init(20, 20), .init(30, 30), .init(40, 40), .init(50, 50), .init(60, 64)]]])

        let small = RemoteWritePlan(blocks: blocks, rollups: .last, maxSamples: 2, highWater: [:])
        #expect(small.groups.map(\.blocks) == [[1], [2], [3]], "whole blocks per group")
        #expect(small.groups[0].requests.map { $0.map(\.samples.count) } == [[2], [1]], "a block over the limit takes several requests")
    }

    @Test func rollupsGoAsMinMaxAndAverageWhenAsked() {
        let plan = RemoteWritePlan(blocks: [block(1, tier: .hour, [3_600_000])], rollups: .summary, maxSamples: 100, highWater: [:])
        let series = plan.groups.flatMap { $0.requests.flatMap { $0 } }
        // Columns: min t, max t+1, sum t+2, count t+3, last t+4.
        let t = 3_600_000.0
        #expect(series.map { $0.labels["__name__"] ?? "" } == ["node_load1_avg", "node_load1_max", "node_load1_min"])
        #expect(series.map { $0.samples[0].value } == [(t + 2) / (t + 3), t + 1, t])
        var damaged = block(2, tier: .raw, [1])
        damaged.data = [0xff]
        #expect(RemoteWritePlan(blocks: [damaged], rollups: .last, maxSamples: 10, highWater: [:]).undecodable == [2])
    }

    @Test func outcomesFollowTheStatus() {
        #expect(RemoteWriteSender.Outcome.of(status: 204, body: "", retryAfter: nil) == .accepted)
        #expect(RemoteWriteSender.Outcome.of(status: 503, body: "", retryAfter: 7) == .retry(after: 7))
        #expect(RemoteWriteSender.Outcome.of(status: 429, body: "", retryAfter: nil) == .retry(after: nil))
        #expect(
            RemoteWriteSender.Outcome.of(status: 400, body: "out of order sample", retryAfter: nil)
                == .refused(status: 400, reason: "out of order sample")
        )
    }

    @Test func configNamesEachTargetAndLocatesMistakes() throws {
        let base = HubConfiguration(listen: "127.0.0.1:0", dataDirectory: "/tmp", insecure: true)
        let parsed = try base.merging(
            yaml: """
                remote_write:
                  - url: http://127.0.0.1:9090/api/v1/write
                  - url: https://mimir.example:443/api/v1/push
                    name: mimir
                    headers: {X-Scope-OrgID: fleet}
                    basic_auth: {username: edge, password: s3cret}
                    tls: {ca_file: /etc/ca.pem}
                    queue: {max_samples_per_send: 500, min_backoff: 50ms, max_backoff: 10s}
                    rollups: summary
                    remote_timeout: 10s
                """,
            file: "hub.yaml"
        )
        #expect(parsed.remoteWrite.map(\.name) == ["http://127.0.0.1:9090/api/v1/write", "mimir"])
        let mimir = parsed.remoteWrite[1]
        #expect(mimir.url.secure && mimir.url.host == "mimir.example" && mimir.url.pathPrefix == "/api/v1/push")
        #expect(mimir.headers.map { "\($0.name)=\($0.value)" } == ["X-Scope-OrgID=fleet"])
        #expect(mimir.basicAuth?.username == "edge" && mimir.basicAuth?.password == "s3cret" && mimir.caFile == "/etc/ca.pem")
        #expect(mimir.maxSamplesPerSend == 500 && mimir.minBackoffMilliseconds == 50 && mimir.maxBackoffMilliseconds == 10_000)
        #expect(mimir.rollups == .summary && mimir.timeoutMilliseconds == 10_000)

        let mistakes: [(String, String)] = [
            ("remote_write:\n  - name: x\n", "hub.yaml:2:5: remote_write[0]: url is required"),
            ("remote_write:\n  - url: ftp://x/\n", "hub.yaml:2:10: remote_write[0].url: expected http(s)://host[:port]/path, got \"ftp://x/\""),
            (
                "remote_write:\n  - url: http://a/\n    rollups: mean\n",
                "hub.yaml:3:14: remote_write[0].rollups: expected last or summary, got \"mean\""
            ),
            (
                "remote_write:\n  - url: http://a/\n    headers: {Content-Encoding: gzip}\n",
                "hub.yaml:3:14: remote_write[0].headers: Content-Encoding is set by the protocol and cannot be configured"
            ),
            (
                "remote_write:\n  - url: http://a/\n    tls: {ca_file: /ca.pem}\n",
                "hub.yaml:3:10: remote_write[0].tls: TLS settings need an https:// url"
            ),
            (
                "remote_write:\n  - url: http://a/\n  - url: http://a/\n",
                "hub.yaml:3:5: remote_write[1]: a second target named \"http://a/\"; names must differ"
            ),
            (
                "remote_write:\n  - url: http://a/\n    queue: {max_samples_per_send: 0}\n",
                "hub.yaml:3:35: remote_write[0].queue.max_samples_per_send: expected 1 to 1000000, got \"0\""
            ),
            (
                "remote_write:\n  - url: http://a/\n    basic_auth: {username: u}\n",
                "hub.yaml:3:17: remote_write[0].basic_auth: expected password or password_file (one of them)"
            ),
        ]
        for (text, message) in mistakes {
            #expect(throws: ConfigError.self) { try base.merging(yaml: text, file: "hub.yaml") }
            do {
                _ = try base.merging(yaml: text, file: "hub.yaml")
            } catch {
                #expect(error.description == message)
            }
        }
    }
}
