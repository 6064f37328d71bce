/// The store's tables. Samples never get a row each: a block row holds one flush of all series,
/// Gorilla-compressed, and belongs to a segment (one hour of raw data, one day of 1 m rollups,
/// thirty days of 1 h rollups) that is evicted as a whole.
enum StoreSchema {
    static let version: Int64 = 1

    static let create = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS series(
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, type INTEGER NOT NULL,
            UNIQUE(name, labels));
        CREATE TABLE IF NOT EXISTS boots(seq INTEGER PRIMARY KEY, boot_id TEXT NOT NULL, first_ts INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS segments(
            id INTEGER PRIMARY KEY, tier INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
            boot_seq INTEGER NOT NULL, synced INTEGER NOT NULL, offset_ms INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0, samples INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS segments_by_tier ON segments(tier, min_ts);
        CREATE TABLE IF NOT EXISTS blocks(
            segment_id INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(segment_id, seq));
        CREATE TABLE IF NOT EXISTS cycles(
            ts INTEGER NOT NULL, boot_seq INTEGER NOT NULL, monotonic_ns INTEGER NOT NULL, synced INTEGER NOT NULL,
            duration_us INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS cycles_by_ts ON cycles(ts);
        CREATE TABLE IF NOT EXISTS gaps(
            id INTEGER PRIMARY KEY, tier INTEGER NOT NULL, kind TEXT NOT NULL, start_ts INTEGER NOT NULL,
            end_ts INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS events(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
        """
}
