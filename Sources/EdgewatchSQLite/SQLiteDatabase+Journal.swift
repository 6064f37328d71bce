/// The journal and checkpoint policy every edgewatch database shares: write-ahead log, and a
/// commit is on disk before it returns (`synchronous=FULL`), so whatever was acknowledged survives
/// a crash or power cut.
extension SQLiteDatabase {
    /// How the write-ahead log is folded back into the database.
    public enum Checkpointing: Sendable {
        /// SQLite's own: a passive checkpoint once the log reaches 1000 pages.
        case automatic
        /// Only when the owner calls ``checkpoint()`` (the store does it by size, for its byte budget).
        case manual
    }

    /// Switches to WAL with full synchronous commits and the given checkpointing.
    public func useWriteAheadLog(checkpointing: Checkpointing = .automatic) throws(SQLiteError) {
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
        if case .manual = checkpointing {
            try execute("PRAGMA wal_autocheckpoint=0")
            try execute("PRAGMA journal_size_limit=0")
        }
    }

    /// Folds the whole log into the database and truncates it; readers in the way make it partial,
    /// which is harmless (the next checkpoint continues).
    public func checkpoint() {
        try? execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
