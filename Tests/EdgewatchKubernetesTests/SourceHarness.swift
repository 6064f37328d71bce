import EdgewatchCore
import FakeAPIServer
import Foundation
import Logging
import NIOPosix
import Synchronization
import Testing

@testable import EdgewatchKubernetes

/// The store's part, in memory: occurrences in arrival order and the last resourceVersion.
actor MemorySink: KubernetesEventSink {
    private(set) var events: [EventRecord] = []
    private(set) var version: String?
    var preset: [String: Int64] = [:]

    func record(_ events: [EventRecord], resourceVersion: String?) async {
        self.events += events
        if let resourceVersion { version = resourceVersion }
    }

    func resourceVersion() async -> String? { version }

    func knownCounts(since: Int64) async -> [String: Int64] {
        var counts = preset
        for event in events { counts[event.uid] = max(counts[event.uid] ?? 0, event.count) }
        return counts
    }
}

/// Log lines, for checking what an operator would read.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in CaptureHandler(capture: self) }
    }

    struct CaptureHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(event.metadata ?? [:])") }
        }
    }
}

/// Runs a source against a fake apiserver until `body` is done.
struct SourceHarness {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func run(
        _ settings: KubernetesSourceSettings,
        sink: MemorySink,
        metrics: KubernetesMetrics = KubernetesMetrics(),
        log: LogCapture = LogCapture(),
        _ body: () async throws -> Void
    ) async throws {
        let source = KubernetesEventSource(
            settings: settings,
            sink: sink,
            metrics: metrics,
            group: group,
            logger: log.logger,
            now: { Int64(Date().timeIntervalSince1970 * 1000) }
        )
        // The source keeps time (read timeouts, backoff) on threads no blocking test can hold.
        let task = Task(executorPreference: DedicatedExecutor.shared) { try await source.run() }
        defer { task.cancel() }
        try await withTaskExecutorPreference(DedicatedExecutor.shared) { try await body() }
        task.cancel()
        _ = await task.result
    }

    /// Waits for `condition`, polling every 50 ms, `seconds` worth of polls (at least that long).
    /// Counted, not timed: while the suite's blocking tests hold the cooperative pool, a deadline
    /// passes unpolled.
    static func eventually(_ seconds: Double = 60, _ condition: () async -> Bool) async -> Bool {
        for _ in 0..<Int(seconds * 20) {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// Every in-scope Event's occurrences add up to its current count, none twice.
    static func complete(_ sink: MemorySink, expected: [String: Int]) async -> Bool {
        let events = await sink.events
        var sums: [String: Int64] = [:]
        for event in events { sums[event.uid, default: 0] += event.delta }
        return expected.allSatisfy { sums[$0.key] == Int64($0.value) } && Set(sums.keys) == Set(expected.keys)
    }
}
