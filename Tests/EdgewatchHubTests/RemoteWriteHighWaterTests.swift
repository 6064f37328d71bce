import EdgewatchCore
import EdgewatchRemoteWrite
import Testing

@testable import EdgewatchHub

/// What a remote_write target holds per series, as the sender keeps it between the hub's database
/// and its requests.
@Suite struct RemoteWriteHighWaterTests {
    static let load1: Labels = ["__name__": "node_load1", "node": "a"]
    static let load5: Labels = ["__name__": "node_load5", "node": "a"]

    func request(_ labels: Labels, _ times: [Int64]) -> [RemoteWriteSeries] {
        [RemoteWriteSeries(labels: labels, type: .gauge, samples: times.map { RemoteWriteSeries.Sample($0, 1) })]
    }

    @Test func fingerprintsAreStableAcrossProcessesAndReleases() {
        // FNV-1a 64 over "__name__" ff "node_load1" ff "node" ff "a" ff: stored in hubs' databases, so it must never change.
        #expect(Self.load1.fingerprint == 0x0baf_175b_4996_e5e9)
        #expect(Self.load1.fingerprint != Self.load5.fingerprint)
        #expect((["a": "bc"] as Labels).fingerprint != (["ab": "c"] as Labels).fingerprint, "names and values are delimited")
        #expect(Labels().fingerprint == 0xcbf2_9ce4_8422_2325)
    }

    @Test func raisesAreKeptUntilRecordedAndOnlyGoForward() {
        var highWater = RemoteWriteHighWater()
        #expect(!highWater.loaded)
        highWater.load([Self.load1.fingerprint: 100])
        highWater.accepted(request(Self.load1, [40, 90]))
        #expect(highWater.times == [Self.load1.fingerprint: 100] && highWater.unrecorded.isEmpty, "an older send does not lower it")
        highWater.accepted(request(Self.load1, [110]) + request(Self.load5, [30]))
        let raises = highWater.unrecorded
        #expect(raises == [Self.load1.fingerprint: 110, Self.load5.fingerprint: 30])
        highWater.accepted(request(Self.load5, [40]))
        highWater.recorded(raises)
        #expect(highWater.unrecorded == [Self.load5.fingerprint: 40], "a raise after the recorded one waits for the next record")
        highWater.release()
        #expect(!highWater.loaded && highWater.times.isEmpty)
    }

    /// Series whose newest time sent is a day old leave memory, once an hour, the first time
    /// right after loading; raises waiting to be recorded go the same way.
    @Test func seriesNotSentForADayAreForgottenHourly() {
        let day = RemoteWriteHighWater.horizon
        var highWater = RemoteWriteHighWater()
        highWater.load([Self.load1.fingerprint: 1_000])
        highWater.accepted(request(Self.load5, [2_000]))
        #expect(highWater.forget(now: 1_000 + day) == 1_000)
        #expect(highWater.times.count == 2, "a day after, to the millisecond, it stays")
        #expect(highWater.forget(now: 1_500 + day) == nil, "not due again within the hour")
        let hour = RemoteWriteHighWater.forgetEvery
        #expect(highWater.forget(now: 1_000 + day + hour) == 1_000 + hour)
        #expect(highWater.times.isEmpty && highWater.unrecorded.isEmpty)
        highWater.load([Self.load1.fingerprint: 1_000])
        #expect(highWater.forget(now: 2_000) == 2_000 - day && highWater.times.count == 1, "due again after a load")
        #expect(highWater.forget(now: 1_000) == 1_000 - day, "a clock stepped back makes it due")
    }
}
