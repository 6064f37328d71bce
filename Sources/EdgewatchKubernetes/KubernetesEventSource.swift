import EdgewatchCore
import FoundationEssentials
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Kubernetes Events into the store, the way client-go's reflector keeps a cache: list in pages,
/// then watch from the list's resourceVersion with bookmarks; a 410 relists; a closed, failed
/// or hung stream reconnects with backoff and full jitter; a restart resumes from the stored
/// resourceVersion. Each rise of an Event's count becomes one occurrence (``EventReflector``).
/// In scope `node`, the pods bound to this node are listed first and watched alongside.
public struct KubernetesEventSource: Service, CustomStringConvertible {
    public var description: String { "KubernetesEventSource(\(settings.credentials.origin), scope \(settings.scope.rawValue))" }

    let settings: KubernetesSourceSettings
    let sink: any KubernetesEventSink
    let metrics: KubernetesMetrics
    let group: any EventLoopGroup
    let logger: Logger
    let now: @Sendable () -> Int64
    /// Called with the pod index whenever the pod watch changed it (names for container metrics).
    let podsChanged: @Sendable (PodIndex) -> Void

    public init(
        settings: KubernetesSourceSettings,
        sink: any KubernetesEventSink,
        metrics: KubernetesMetrics,
        group: any EventLoopGroup,
        logger: Logger,
        now: @escaping @Sendable () -> Int64,
        podsChanged: @escaping @Sendable (PodIndex) -> Void = { _ in }
    ) {
        self.settings = settings
        self.sink = sink
        self.metrics = metrics
        self.group = group
        self.logger = logger
        self.now = now
        self.podsChanged = podsChanged
    }

    public func run() async throws {
        let client: KubernetesClient
        do {
            client = try KubernetesClient(credentials: settings.credentials, group: group, readTimeout: settings.readTimeout)
        } catch {
            logger.error("kubernetes events off: \(error)")
            try? await gracefulShutdown()
            return
        }
        logger.info(
            "kubernetes events on",
            metadata: ["from": "\(settings.credentials.origin)", "scope": "\(settings.scope.rawValue)", "api": "\(settings.api.rawValue)"]
        )
        let pods = PodIndexBox()
        // Graceful shutdown cancels the loops: an open watch stream ends at once.
        await cancelWhenGracefulShutdown { await watchAll(client, pods: pods) }
        metrics.update { $0.watching = 0 }
    }

    /// The pod and event loops side by side, events starting once pods are synced.
    private func watchAll(_ client: KubernetesClient, pods: PodIndexBox) async {
        await withTaskGroup(of: Void.self) { tasks in
            let (synced, signal) = AsyncStream<Void>.makeStream()
            if settings.scope == .node {
                tasks.addTask { await podLoop(client, pods: pods, synced: signal) }
            } else {
                signal.finish()
            }
            tasks.addTask {
                // Pods first: a replayed event about a pod bound while the agent was down is judged with it known.
                for await _ in synced { break }
                await eventLoop(client, pods: pods)
            }
            await tasks.next()
            tasks.cancelAll()
        }
    }

    /// Lists and watches events until shutdown.
    func eventLoop(_ client: KubernetesClient, pods: PodIndexBox) async {
        let start = now()
        var reflector = EventReflector(
            node: settings.node,
            scope: settings.scope,
            known: await sink.knownCounts(since: start - EventReflector.retentionMilliseconds),
            resourceVersion: await sink.resourceVersion(),
            now: start
        )
        if reflector.resourceVersion != nil {
            logger.info("kubernetes events: resuming the watch", metadata: ["resource_version": "\(reflector.resourceVersion ?? "")"])
        }
        var backoff = Backoff(base: 1_000, cap: 30_000)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                if reflector.resourceVersion == nil { try await relist(client, &reflector, pods: pods) }
                try await watch(client, &reflector, pods: pods)
                backoff.reset()
            } catch {
                metrics.update { $0.watching = 0 }
                guard await recover(from: error, resourceVersion: &reflector.resourceVersion, backoff: &backoff, what: "events") else { return }
            }
        }
    }

    /// Lists all events page by page; the last page's resourceVersion is where the watch starts.
    func relist(_ client: KubernetesClient, _ reflector: inout EventReflector, pods: PodIndexBox) async throws {
        metrics.update { $0.relists += 1 }
        var token: String?
        repeat {
            var path = settings.api.path + "?limit=\(settings.pageSize)"
            if let token { path += "&continue=" + Self.percentEncoded(token) }
            let page = try await client.list(path)
            let index = pods.current
            let time = now()
            let occurrences = (page.items ?? []).compactMap { reflector.observe($0, pods: index, now: time) }
            token = page.metadata?.continue.flatMap { $0.isEmpty ? nil : $0 }
            let version = token == nil ? page.metadata?.resourceVersion : nil
            await sink.record(occurrences, resourceVersion: version)
            if token == nil { reflector.resourceVersion = version }
        } while token != nil
    }

    /// One watch stream, from the reflector's resourceVersion until the server ends it.
    func watch(_ client: KubernetesClient, _ reflector: inout EventReflector, pods: PodIndexBox) async throws {
        guard let version = reflector.resourceVersion else { return }
        metrics.update { $0.watchRestarts += 1 }
        var state = reflector
        defer { reflector = state }
        try await client.watch(watchPath(settings.api.path, from: version)) { bytes in
            metrics.update { $0.watching = 1 }
            guard let line = WatchLine.parse(bytes) else {
                metrics.update { $0.skipped["malformed", default: 0] += 1 }
                return
            }
            try await apply(line, to: &state, pods: pods)
        } oversized: {
            metrics.update { $0.skipped["oversized", default: 0] += 1 }
        }
    }

    /// One watch line: an occurrence and the new resourceVersion, or a 410 to relist.
    func apply(_ line: WatchLine, to reflector: inout EventReflector, pods: PodIndexBox) async throws {
        let version = line.object.metadata?.resourceVersion
        switch line.type {
        case "ADDED", "MODIFIED":
            let index = pods.current
            let time = now()
            let occurrence = reflector.observe(line.object, pods: index, now: time)
            await sink.record((occurrence.map { [$0] } ?? []) + reflector.retryDeferred(pods: index, now: time), resourceVersion: version)
        case "DELETED", "BOOKMARK":
            await sink.record(reflector.retryDeferred(pods: pods.current, now: now()), resourceVersion: version)
        case "ERROR":
            throw line.failure ?? KubernetesError.status(500, "watch error")
        default:
            metrics.update { $0.skipped["malformed", default: 0] += 1 }
            return
        }
        if let version { reflector.resourceVersion = version }
    }

    /// A watch of the collection at `base` (which may carry a query already) from `version`,
    /// with bookmarks and the server-side timeout.
    func watchPath(_ base: String, from version: String) -> String {
        base + (base.contains("?") ? "&" : "?") + "watch=1&allowWatchBookmarks=true&resourceVersion=" + Self.percentEncoded(version)
            + "&timeoutSeconds=\(settings.watchTimeoutSeconds)"
    }

    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || "-._~".unicodeScalars.contains(scalar)
            {
                result.unicodeScalars.append(scalar)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
