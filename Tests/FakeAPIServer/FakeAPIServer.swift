import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An apiserver written for the suite: `/api/v1/events`, `/apis/events.k8s.io/v1/events` and
/// `/api/v1/pods` with list pages (`limit`, `continue`), watch streams with bookmarks, and the
/// faults a real one shows (410 by HTTP or mid-stream, 401/403, 500, a cut or hung stream).
/// Over HTTPS with client certificates (as k3s issues them) or bearer tokens, or plain HTTP.
public final class FakeAPIServer: Sendable {
    public let port: Int
    let state = Mutex(FakeAPIState())
    let token: String?
    let channel: any Channel
    /// How often a watch sends a BOOKMARK.
    let bookmarkMilliseconds: Int

    /// Starts on a free loopback port. `tls` serves HTTPS; `token` requires that bearer token.
    public init(tls: NIOSSLContext? = nil, token: String? = nil, bookmarkMilliseconds: Int = 500) async throws {
        self.token = token
        self.bookmarkMilliseconds = bookmarkMilliseconds
        // NIO's shared group: never shut down, so a connection still open after stop() cannot
        // schedule onto a dead loop.
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        port = server.channel.localAddress?.port ?? 0
        channel = server.channel
        let handler = FakeAPIHandler(server: self)
        // On threads of its own: bookmarks and timeouts keep time while other tests block.
        Task(executorPreference: DedicatedExecutor.shared) {
            try? await server.executeThenClose { connections in
                for try await connection in connections {
                    Task(executorPreference: DedicatedExecutor.shared) { await handler.serve(connection) }
                }
            }
        }
    }

    /// Stops accepting connections; open ones end with their clients or their watch timeout.
    public func stop() {
        channel.close(promise: nil)
    }

    /// Creates an event (ADDED); returns it with its resourceVersion.
    @discardableResult
    public func add(_ event: FakeEvent) -> FakeEvent {
        state.withLock { state in
            var event = event
            event.resourceVersion = state.next()
            state.events[event.uid] = event
            state.record("ADDED", event: event)
            return event
        }
    }

    /// Raises an event's count (MODIFIED), as the event recorder does for a repeat.
    public func repeatEvent(_ uid: String, by increase: Int = 1, at time: Date = Date()) {
        state.withLock { state in
            guard var event = state.events[uid] else { return }
            event.count += increase
            event.last = time
            event.resourceVersion = state.next()
            state.events[uid] = event
            state.record("MODIFIED", event: event)
        }
    }

    /// Deletes an event (its TTL ran out).
    public func delete(_ uid: String) {
        state.withLock { state in
            guard var event = state.events.removeValue(forKey: uid) else { return }
            event.resourceVersion = state.next()
            state.record("DELETED", event: event)
        }
    }

    /// Binds a pod (ADDED to the pod watch).
    public func add(_ pod: FakePod) {
        state.withLock { state in
            var pod = pod
            pod.resourceVersion = state.next()
            state.pods[pod.uid] = pod
            state.history.append(FakeAPIState.Change(revision: pod.resourceVersion, type: "ADDED", event: nil, pod: pod))
        }
    }

    /// Forgets history up to now: watches from an older resourceVersion get 410.
    public func compact() {
        state.withLock { $0.compactedBelow = $0.revision }
    }

    public func inject(_ fault: FakeFault) {
        state.withLock { $0.faults.append(fault) }
    }

    /// Faults injected but not yet met by a request.
    public var pendingFaults: Int { state.withLock { $0.faults.count } }

    /// The request lines seen so far (`GET /api/v1/events?...`).
    public var requests: [String] { state.withLock { $0.requests } }

    /// Every event with its current count, by uid.
    public var currentCounts: [String: Int] { state.withLock { $0.events.mapValues(\.count) } }
}
