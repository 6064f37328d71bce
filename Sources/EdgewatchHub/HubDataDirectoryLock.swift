#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<data>/hub.lock`, held while an SQLite hub runs: its writer must be
/// the database's only one (series are unique by what it knows, not by an index), so a second hub
/// on the same directory refuses to start. The kernel drops the lock when the process dies.
struct HubDataDirectoryLock {
    private let descriptor: Int32

    /// Takes the lock, or throws naming the directory when another process holds it.
    init(directory: String) throws(HubError) {
        let path = directory + "/hub.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HubError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            guard reason == EWOULDBLOCK else { throw HubError("cannot lock \(path): \(String(cString: strerror(reason)))") }
            throw HubError(
                "another edgewatch hub is using \(directory) (\(path) is locked): one hub per SQLite data directory; several replicas share storage.postgres"
            )
        }
        self.descriptor = descriptor
    }

    /// Lets the lock go.
    func release() {
        close(descriptor)
    }
}
