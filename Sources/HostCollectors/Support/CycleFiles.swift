import HostFS
import Synchronization

/// Files more than one collector reads (`/proc/stat` for `cpu` and `stat`), read once per cycle:
/// the first reader's text (or error) serves the others until the next cycle starts.
public final class CycleFiles: Sendable {
    private let texts = Mutex<[String: Result<String, CollectorError>]>([:])

    public init() {}

    /// Forgets last cycle's texts.
    func nextCycle() {
        texts.withLock { $0.removeAll(keepingCapacity: true) }
    }

    /// `relative` in `tree`, read at most once this cycle; a missing file makes the collector unavailable.
    func required(_ relative: String, in tree: FileTree) throws(CollectorError) -> String {
        let key = tree.path(relative)
        if let cached = texts.withLock({ $0[key] }) { return try cached.get() }
        let result: Result<String, CollectorError>
        do {
            result = .success(try tree.required(relative))
        } catch {
            result = .failure(error)
        }
        texts.withLock { $0[key] = result }
        return try result.get()
    }
}
