import HostFS

extension FileTree {
    /// Reads a file a collector cannot do without; a missing file makes the collector unavailable.
    func required(_ relative: String) throws(CollectorError) -> String {
        do {
            return try readText(relative)
        } catch {
            throw CollectorError(error)
        }
    }
}
