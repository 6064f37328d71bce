import NIOCore
import NIOPosix

/// A thread of its own for one database's blocking work — statements, commits and their fsync —
/// so that work never holds a thread of Swift's cooperative pool. An actor that owns a connection
/// runs on it by returning ``unownedExecutor`` from its own `unownedExecutor`.
public final class DatabaseThread: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    public init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    /// The thread as a serial executor for an actor.
    public var unownedExecutor: UnownedSerialExecutor { loop.executor.asUnownedSerialExecutor() }

    /// Ends the thread once the work queued on it has run.
    public func shutdown() async {
        try? await group.shutdownGracefully()
    }
}
