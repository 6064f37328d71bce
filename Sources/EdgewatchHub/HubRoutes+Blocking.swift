import NIOPosix

extension HubRoutes {
    /// Runs storage work — SQLite statements, commits and their fsync, query evaluation over
    /// decoded blocks — on NIO's blocking-I/O pool, never on a thread of Swift's cooperative pool
    /// or an event loop.
    func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
