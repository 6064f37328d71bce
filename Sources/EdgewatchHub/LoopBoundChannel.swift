import HummingbirdCore
import Logging
import NIOCore

/// Serves each connection of `Base` with its tasks preferring the connection's event loop: the
/// request's handler runs where its bytes arrived, and its answer is written from there. Storage
/// work still leaves for the blocking pool (`HubRoutes.blocking`).
struct LoopBoundChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base

    init(_ base: Base) {
        self.base = base
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(loop: value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
