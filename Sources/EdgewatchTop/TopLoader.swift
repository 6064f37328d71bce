import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore

/// Reads a `top` snapshot from the store (read-only, while the agent writes or after it stopped):
/// latest values from the newest cycle, rates from the last two, history from raw data for the
/// 15 minute window and from the 1 m / 1 h rollups beyond. A refresh that finds no new cycle
/// reuses the last snapshot (only the ages move), so an idle screen costs almost nothing.
public final class TopLoader {
    let reader: StoreReader
    let uplinkPath: String
    private var cached: (last: Int64, window: Int64, snapshot: TopSnapshot)?

    /// Families `top` reads.
    static let names: Set<String> = [
        "node_cpu_seconds_total", "node_load1", "node_load5", "node_load15", "node_pressure_cpu_waiting_seconds_total",
        "node_pressure_memory_waiting_seconds_total", "node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes",
        "node_memory_Cached_bytes", "node_memory_SwapTotal_bytes", "node_memory_SwapFree_bytes", "node_disk_read_bytes_total",
        "node_disk_written_bytes_total", "node_filesystem_size_bytes", "node_filesystem_avail_bytes",
        "node_network_receive_bytes_total", "node_network_transmit_bytes_total", "node_thermal_zone_temp", "node_hwmon_temp_celsius",
        "edgewatch_rpi_throttle_state", "edgewatch_gpu_up", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE",
        "DCGM_FI_DEV_GPU_TEMP", "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_SM_CLOCK", "edgewatch_board_info", "node_uname_info",
        "node_boot_time_seconds", "edgewatch_clock_synchronized", "container_cpu_usage_seconds_total", "container_cpu_cfs_periods_total",
        "container_cpu_cfs_throttled_periods_total", "container_memory_working_set_bytes", "container_spec_memory_limit_bytes",
        "container_oom_events_total", "edgewatch_container_gpu_memory_used_bytes", "ALERTS", "ALERTS_FOR_STATE",
    ]

    /// Opens the store at `path`; the uplink's state is read from `<path>-uplink.db` when present.
    public init(storePath: String) throws(StoreError) {
        reader = try StoreReader(path: storePath)
        uplinkPath = storePath + "-uplink.db"
    }

    /// The history windows `h`/`l` step through.
    public static let windows: [Int64] = [900_000, 3_600_000, 6 * 3_600_000, 24 * 3_600_000]

    /// The tier history is read from for a window.
    static func tier(for window: Int64) -> Tier {
        window <= 900_000 ? .raw : (window <= 6 * 3_600_000 ? .minute : .hour)
    }

    /// The snapshot at `now` with `window` of history.
    public func load(now: Int64, window: Int64) throws(StoreError) -> TopSnapshot {
        guard let bounds = try reader.cycleBounds() else {
            var empty = TopSnapshot()
            empty.header.now = now
            empty.header.node = nodeName
            return empty
        }
        if let cached, cached.last == bounds.last, cached.window == window {
            var snapshot = cached.snapshot
            stampHeader(&snapshot, now: now, last: bounds.last)
            return snapshot
        }
        var snapshot = try read(last: bounds.last, window: window)
        stampHeader(&snapshot, now: now, last: bounds.last)
        cached = (bounds.last, window, snapshot)
        return snapshot
    }

    private func read(last: Int64, window: Int64) throws(StoreError) -> TopSnapshot {
        let recentCycles = try reader.cycleTimestamps(from: last - 600_000, to: last)
        let interval = recentCycles.count >= 2 ? recentCycles[recentCycles.count - 1] - recentCycles[recentCycles.count - 2] : 10_000
        let series = try reader.series { Self.names.contains($0.name) }
        let ids = Set(series.map(\.0))
        let recent = try reader.points(ids: ids, tier: .raw, from: last - 3 * interval - 500, to: last)
        let tier = Self.tier(for: window)
        let historyIDs = Set(series.filter { Self.historyNames.contains($0.1.name) }.map(\.0))
        let history = try reader.points(ids: historyIDs, tier: tier, from: last - window, to: last)
        var table: [String: [SeriesPoints]] = [:]
        for (id, key) in series {
            var points = SeriesPoints(labels: key.labels, isCounter: key.type == .counter)
            points.recent = (recent[id] ?? []).compactMap { point in point.1.first.map { (point.0, $0) } }
            points.history = history[id] ?? []
            table[key.name, default: []].append(points)
        }
        var snapshot = TopSnapshot()
        snapshot.windowMilliseconds = window
        snapshot.historyTier = tier.name
        let view = TableView(table: table, rollup: tier != .raw, last: last)
        readHost(view, into: &snapshot)
        readPods(view, into: &snapshot)
        try readEventsAndAlerts(view, last: last, into: &snapshot)
        snapshot.header.node = nodeName
        snapshot.uplink = readUplink(last: last)
        snapshot.header.lastCycle = last
        agentInterval = interval
        return snapshot
    }

    /// The node name the agent was configured with (kept in the store's meta table).
    private var nodeName: String { ((try? reader.meta("node_name")) ?? nil) ?? "" }

    /// The collection interval seen in the store (for the agent-running judgement).
    private var agentInterval: Int64 = 10_000

    private func stampHeader(_ snapshot: inout TopSnapshot, now: Int64, last: Int64) {
        snapshot.header.now = now
        snapshot.header.lastCycleAgeSeconds = Double(now - last) / 1000
        // Cycles reach the store at each flush (60 s by default): allow one flush and three cycles.
        snapshot.header.agentRunning = now - last <= 3 * agentInterval + 75_000
    }

    /// Families whose history is read (sparklines).
    static let historyNames: Set<String> = [
        "node_cpu_seconds_total", "node_memory_MemTotal_bytes", "node_memory_MemAvailable_bytes", "container_cpu_usage_seconds_total",
        "container_memory_working_set_bytes",
    ]
}
