import NIOCore
import NIOPosix

/// A task executor on threads of its own, for the servers and clients the tests run in process.
///
/// Swift Testing runs many tests at once on the cooperative pool, which has one thread per core
/// (two in CI); a test that blocks in a process wait holds one of them. Work that must keep
/// time, such as a fake apiserver's bookmarks or a watch's read timeout, runs here instead, so a
/// test next to it that blocks cannot stall it.
public final class DedicatedExecutor: TaskExecutor {
    /// The one the suites share; its threads live as long as the test process.
    public static let shared = DedicatedExecutor(threads: 2)

    private let group: MultiThreadedEventLoopGroup

    init(threads: Int) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        group.next().execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
