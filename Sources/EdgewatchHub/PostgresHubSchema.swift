import EdgewatchPostgres

/// The hub's tables in PostgreSQL, as numbered migrations. A series is unique by `key`, the
/// SHA-256 of its name and encoded labels (labels can outgrow what a B-tree index entry holds). Each hub applies the ones its database
/// lacks at start, under an advisory lock, so replicas starting together migrate once.
enum PostgresHubSchema {
    /// The key of the session advisory lock held while migrating ("edgewatch" in ASCII, truncated).
    static let migrationLock: Int64 = 0x6564_6765_7761_7463

    static let all: [String] = [
        """
        CREATE TABLE nodes(name text PRIMARY KEY, secret_hash text NOT NULL, first_seen int8 NOT NULL, last_seen int8 NOT NULL,
            last_sample_ts int8 NOT NULL DEFAULT 0, batches int8 NOT NULL DEFAULT 0, duplicates int8 NOT NULL DEFAULT 0,
            samples int8 NOT NULL DEFAULT 0, gaps int8 NOT NULL DEFAULT 0, clock_events int8 NOT NULL DEFAULT 0,
            downgraded int8 NOT NULL DEFAULT 0);
        CREATE TABLE batches(node text NOT NULL, stream text NOT NULL, sequence int8 NOT NULL, received_at int8 NOT NULL,
            samples int8 NOT NULL, tier int8 NOT NULL, downgraded_from int8, PRIMARY KEY(node, stream, sequence));
        CREATE TABLE series(id bigserial PRIMARY KEY, key text NOT NULL UNIQUE, name text NOT NULL, labels text NOT NULL,
            type int8 NOT NULL);
        CREATE INDEX series_by_name ON series(name);
        CREATE TABLE blocks(id bigserial PRIMARY KEY, node text NOT NULL, tier int8 NOT NULL, min_ts int8 NOT NULL, max_ts int8 NOT NULL,
            series int8[] NOT NULL, data bytea NOT NULL);
        CREATE INDEX blocks_by_time ON blocks(max_ts, min_ts);
        CREATE INDEX blocks_by_series ON blocks USING gin(series);
        CREATE TABLE gaps(node text NOT NULL, from_ts int8 NOT NULL, to_ts int8 NOT NULL, reason text NOT NULL,
            UNIQUE(node, from_ts, to_ts, reason));
        CREATE TABLE events(node text NOT NULL, uid text NOT NULL, count int8 NOT NULL, ts int8 NOT NULL, first_ts int8 NOT NULL,
            recorded_ts int8 NOT NULL, source text NOT NULL, type text NOT NULL, reason text NOT NULL, kind text NOT NULL,
            namespace text NOT NULL, name text NOT NULL, message text NOT NULL, delta int8 NOT NULL, PRIMARY KEY(node, uid, count));
        CREATE INDEX events_by_time ON events(ts);
        CREATE TABLE series_tables(node text NOT NULL, hash bytea NOT NULL, data bytea NOT NULL, stored_at int8 NOT NULL,
            PRIMARY KEY(node, hash));
        CREATE TABLE settings(key text PRIMARY KEY, value text NOT NULL);
        """,
        """
        ALTER TABLE nodes ADD COLUMN cluster text NOT NULL DEFAULT '', ADD COLUMN backlog int8 NOT NULL DEFAULT 0,
            ADD COLUMN dead_letters int8 NOT NULL DEFAULT 0, ADD COLUMN slot_ms int8 NOT NULL DEFAULT 0;
        """,
        """
        CREATE TABLE remote_write_targets(name text PRIMARY KEY);
        CREATE TABLE remote_write_queue(target text NOT NULL, block int8 NOT NULL, PRIMARY KEY(target, block));
        CREATE TABLE remote_write_refused(target text NOT NULL, block int8 NOT NULL, at int8 NOT NULL, status int8 NOT NULL,
            reason text NOT NULL, PRIMARY KEY(target, block));
        """,
        """
        ALTER TABLE blocks ADD COLUMN name text NOT NULL DEFAULT '';
        CREATE TABLE maintenance_marks(node text NOT NULL, kind text NOT NULL, mark int8 NOT NULL, PRIMARY KEY(node, kind));
        CREATE INDEX blocks_by_node ON blocks(node, tier, max_ts);
        CREATE INDEX blocks_by_name ON blocks(name, max_ts);
        CREATE INDEX blocks_by_node_name ON blocks(node, tier, name, max_ts);
        """,
        """
        CREATE TABLE remote_write_high_water(target text NOT NULL, series int8 NOT NULL, ts int8 NOT NULL, PRIMARY KEY(target, series));
        CREATE INDEX remote_write_queue_by_block ON remote_write_queue(block);
        CREATE TABLE compaction_deferred(block int8 PRIMARY KEY, node text NOT NULL, tier int8 NOT NULL);
        CREATE INDEX compaction_deferred_by_node ON compaction_deferred(node, tier, block);
        """,
        """
        ALTER TABLE blocks ADD COLUMN series_index bytea;
        """,
        """
        ALTER TABLE blocks ADD COLUMN series_digest bytea;
        """,
        // A query's metric ids by an index-only scan (the series table only grows, so vacuum keeps
        // its pages all-visible); the name-only index had fetched every row from the heap.
        """
        CREATE INDEX series_by_name_id ON series(name, id);
        DROP INDEX series_by_name;
        """,
        // Upkeep replaces batch blocks with metric blocks all day. By default autovacuum waits for a
        // fifth of a table to be dead rows, and those pile up where queries read: the index entries
        // of folded batches in the recent span, each visited in the heap (a fleet query at 100
        // nodes read 2300 entries for its 300 rows). Vacuumed after a thousand, and the insert-only
        // series table after its own few, so that its pages stay all-visible for index-only scans.
        """
        ALTER TABLE blocks SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000,
            autovacuum_analyze_scale_factor = 0.02);
        ALTER TABLE series SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
        """,
        // A metric block (a few kilobytes) stays in its row instead of the TOAST table, so a fleet
        // query reads its 2000 rows' data without 2000 TOAST lookups; block data is compressed
        // already, so PostgreSQL does not try again, and a batch block's ranges are read from its
        // TOAST chunks without decompressing it from the start.
        """
        ALTER TABLE blocks ALTER COLUMN data SET STORAGE EXTERNAL, SET (toast_tuple_target = 8160);
        """,
        // Which series have a point per node and hour (``SeriesPresence``, the list as delta
        // varints, a quarter of an int8[]); blocks stored before have no rows, so the presence
        // mark is set past the last of them.
        """
        CREATE TABLE series_presence(hour int8 NOT NULL, node text NOT NULL, digest bytea NOT NULL, min_ts int8 NOT NULL,
            max_ts int8 NOT NULL, series bytea NOT NULL, PRIMARY KEY(hour, node, digest));
        INSERT INTO maintenance_marks(node, kind, mark)
            SELECT '', 'presence/since', coalesce(max(max_ts) + 1, -9223372036854775807 - 1) FROM blocks;
        """,
        // How often retention deleted series of a node (``PrunedSeries``): a replica takes the ids it
        // remembers for the node's series only at the epoch it read them at.
        """
        ALTER TABLE nodes ADD COLUMN series_epoch int8 NOT NULL DEFAULT 0;
        """,
        // Retention now deletes series too: vacuumed after a thousand dead rows, as `blocks` is, so
        // that the pages a query's index-only scan of a metric's ids meets stay all-visible (the
        // default waits for a fifth of the table).
        """
        ALTER TABLE series SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 1000);
        """,
        // The longest time between a presence row's consecutive points (``SeriesPresence/Row/gap``),
        // so that a window inside a row's span can be known to hold a point; rows stored before
        // have none (not known).
        """
        ALTER TABLE series_presence ADD COLUMN gap int8;
        """,
        // A query's batch blocks by an index-only scan of their ids (``BatchBlockCache``): their rows
        // are wide (a series list each), and listing them had read the heap for every one.
        """
        CREATE INDEX IF NOT EXISTS blocks_batches ON blocks(max_ts, min_ts, id) WHERE name = '';
        """,
        // The transaction that added a series (``MetricIDsCache``): a query reads of a metric's ids
        // those added since it last read them. Series added before have none, and are read whole.
        """
        ALTER TABLE series ADD COLUMN IF NOT EXISTS added int8;
        ALTER TABLE series ALTER COLUMN added SET DEFAULT pg_current_xact_id()::text::int8;
        CREATE INDEX IF NOT EXISTS series_added ON series(name, added) WHERE added IS NOT NULL;
        """,
        // Whether each series of a presence row has a point at all its times (``SeriesPresence/Row/dense``),
        // so that a window inside the row's span can be known to hold a point of every one; rows
        // stored before are not known to be.
        """
        ALTER TABLE series_presence ADD COLUMN IF NOT EXISTS dense boolean NOT NULL DEFAULT false;
        """,
        // A presence row's number, and the transaction that last wrote it, so that a replica
        // holding an hour's rows (``PresenceMirror``) reads again only those written since; and
        // per node how often upkeep deleted rows (merged into one): a replica forgets what it
        // held when the sum moves. Rows stored before have no transaction: read with their hour.
        """
        ALTER TABLE series_presence ADD COLUMN IF NOT EXISTS id bigserial;
        ALTER TABLE series_presence ADD COLUMN IF NOT EXISTS changed int8;
        ALTER TABLE series_presence ALTER COLUMN changed SET DEFAULT pg_current_xact_id()::text::int8;
        ALTER TABLE nodes ADD COLUMN IF NOT EXISTS presence_epoch int8 NOT NULL DEFAULT 0;
        """,
        // Every query reads retention's marks past its start (``PostgresHubStorage/QueryContext/floors``):
        // an index range, where a fleet's marks had all been scanned and sent.
        """
        CREATE INDEX IF NOT EXISTS maintenance_marks_by_kind ON maintenance_marks(kind, mark);
        """,
        // What a presence row's series are labelled (``PresenceContentDigest``), so that a listing
        // looks up one list per content and cluster; rows stored before have none (looked up).
        """
        ALTER TABLE series_presence ADD COLUMN IF NOT EXISTS content bytea;
        """,
        // The sums every query compares with what it keeps (``PostgresHubStorage/QueryContext``),
        // in one row kept by triggers on `nodes`: summed over a fleet's rows they had been 0.4-0.7
        // ms of every query at 2000 nodes. The triggers come first: they lock `nodes` against
        // writes until the sums taken over its rows commit with them. A row's cluster is hashed
        // seeded by its name's hash, so a cluster moved from one node to another changes the sum.
        """
        CREATE TABLE IF NOT EXISTS node_facts(one boolean PRIMARY KEY DEFAULT true CHECK (one), series_epochs numeric NOT NULL,
            presence_epochs numeric NOT NULL, clusters numeric NOT NULL);
        CREATE OR REPLACE FUNCTION node_facts_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            series_delta numeric := 0;
            presence_delta numeric := 0;
            clusters_delta numeric := 0;
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                UPDATE node_facts SET series_epochs = 0, presence_epochs = 0, clusters = 0;
                RETURN NULL;
            END IF;
            IF TG_OP <> 'INSERT' THEN
                series_delta := -OLD.series_epoch::numeric;
                presence_delta := -OLD.presence_epoch::numeric;
                clusters_delta := -hashtextextended(OLD.cluster, hashtextextended(OLD.name, 0))::numeric;
            END IF;
            IF TG_OP <> 'DELETE' THEN
                series_delta := series_delta + NEW.series_epoch;
                presence_delta := presence_delta + NEW.presence_epoch;
                clusters_delta := clusters_delta + hashtextextended(NEW.cluster, hashtextextended(NEW.name, 0));
            END IF;
            UPDATE node_facts SET series_epochs = series_epochs + series_delta,
                presence_epochs = presence_epochs + presence_delta, clusters = clusters + clusters_delta;
            RETURN NULL;
        END $$;
        DROP TRIGGER IF EXISTS node_facts_rows ON nodes;
        DROP TRIGGER IF EXISTS node_facts_changes ON nodes;
        DROP TRIGGER IF EXISTS node_facts_truncate ON nodes;
        CREATE TRIGGER node_facts_rows AFTER INSERT OR DELETE ON nodes FOR EACH ROW EXECUTE FUNCTION node_facts_change();
        CREATE TRIGGER node_facts_changes AFTER UPDATE OF name, cluster, series_epoch, presence_epoch ON nodes FOR EACH ROW
            WHEN ((OLD.name, OLD.cluster, OLD.series_epoch, OLD.presence_epoch) IS DISTINCT FROM
                (NEW.name, NEW.cluster, NEW.series_epoch, NEW.presence_epoch))
            EXECUTE FUNCTION node_facts_change();
        CREATE TRIGGER node_facts_truncate AFTER TRUNCATE ON nodes FOR EACH STATEMENT EXECUTE FUNCTION node_facts_change();
        INSERT INTO node_facts SELECT true, coalesce(sum(series_epoch), 0), coalesce(sum(presence_epoch), 0),
            coalesce(sum(hashtextextended(cluster, hashtextextended(name, 0))), 0) FROM nodes
            ON CONFLICT (one) DO UPDATE SET series_epochs = excluded.series_epochs, presence_epochs = excluded.presence_epochs,
                clusters = excluded.clusters;
        """,
        // A listing reads of an hour a replica holds the presence rows written since
        // (``PostgresHubStorage/presenceRefresh``): by this index a range of the few changed, where
        // every row of the table had been read and filtered (1 ms of PostgreSQL's time a listing at
        // 2000 nodes and one hour of rows, growing with the hours kept).
        """
        CREATE INDEX IF NOT EXISTS series_presence_changed ON series_presence(hour, changed);
        """,
    ]

    /// The schema's version: the last migration applied.
    static let versionQuery = "SELECT coalesce(max(version), 0)::int8 FROM edgewatch_schema"

    /// Applies the migrations the database lacks; returns how many it applied. The lock is taken
    /// only when some are missing: it waits for every replica's writes in flight (they hold it
    /// shared), so a replica restarting on an up-to-date schema does not pause the others.
    @discardableResult
    static func migrate(_ pool: PostgresPool, migrations: [String] = all) throws(PostgresError) -> Int {
        try pool.withConnection { connection throws(PostgresError) -> Int in
            let exists = try connection.query("SELECT to_regclass('edgewatch_schema') IS NOT NULL").bool(0, 0)
            if exists, try connection.query(versionQuery).int(0, 0) == Int64(migrations.count) { return 0 }
            try connection.execute("SELECT pg_advisory_lock($1)", [.int(migrationLock)])
            defer { _ = try? connection.execute("SELECT pg_advisory_unlock($1)", [.int(migrationLock)]) }
            try connection.execute("CREATE TABLE IF NOT EXISTS edgewatch_schema(version int8 PRIMARY KEY, applied_at timestamptz NOT NULL)")
            let current = try connection.query(versionQuery).int(0, 0)
            guard current <= Int64(migrations.count) else {
                throw PostgresError(
                    .result,
                    "the database has schema version \(current); this hub knows \(migrations.count): a newer edgewatch created it"
                )
            }
            var applied = 0
            for (index, migration) in migrations.enumerated() where Int64(index + 1) > current {
                try connection.transaction { connection throws(PostgresError) in
                    try connection.executeScript(migration)
                    try connection.execute("INSERT INTO edgewatch_schema VALUES ($1, now())", [.int(Int64(index + 1))])
                }
                applied += 1
            }
            return applied
        }
    }
}
