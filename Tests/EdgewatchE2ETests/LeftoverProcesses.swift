import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Child processes still running when the test process exits: a shared fixture held in a static
/// is never deinitialised, so its servers are killed (and their files removed) at exit, as are
/// the directories such a fixture names.
enum LeftoverProcesses {
    private static let running = Mutex<[Int32: [String]]>([:])
    private static let directories = Mutex<[String]>([])
    private static let registered: Bool = atexit { LeftoverProcesses.killAll() } == 0

    /// Tracks `pid` until ``untrack(_:)``; `paths` are removed if it is still running at exit.
    static func track(_ pid: Int32, removing paths: [String]) {
        _ = registered
        running.withLock { $0[pid] = paths }
    }

    /// Removes `path` when the test process exits (a static fixture's scratch directory).
    static func remove(atExit path: String) {
        _ = registered
        directories.withLock { $0.append(path) }
    }

    static func untrack(_ pid: Int32) {
        _ = running.withLock { $0.removeValue(forKey: pid) }
    }

    private static func killAll() {
        let left = running.withLock { $0 }
        for (pid, paths) in left {
            kill(pid, SIGKILL)
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
        }
        for path in directories.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}
