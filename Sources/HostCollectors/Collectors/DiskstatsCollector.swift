import EdgewatchCore

/// node_exporter's `diskstats`: I/O counters per block device from /proc/diskstats, plus
/// node_disk_info and udev-derived info from `<rootfs>/run/udev/data`.
public struct DiskstatsCollector: Collector {
    public let name = "diskstats"
    /// node_exporter's default device exclusion (partitions, RAM and loop devices).
    public static let defaultExclude = "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme[0-9]+n[0-9]+p)[0-9]+$"
    let exclude = Exclusion(Self.defaultExclude)

    public init() {}

    static let sectorBytes = 512.0
    /// (metric, help, type, scale) per diskstats column.
    static let columns: [(String, String, MetricType, Double)] = [
        ("node_disk_reads_completed_total", "The total number of reads completed successfully.", .counter, 1),
        ("node_disk_reads_merged_total", "The total number of reads merged.", .counter, 1),
        ("node_disk_read_bytes_total", "The total number of bytes read successfully.", .counter, sectorBytes),
        ("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", .counter, 0.001),
        ("node_disk_writes_completed_total", "The total number of writes completed successfully.", .counter, 1),
        ("node_disk_writes_merged_total", "The number of writes merged.", .counter, 1),
        ("node_disk_written_bytes_total", "The total number of bytes written successfully.", .counter, sectorBytes),
        ("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", .counter, 0.001),
        ("node_disk_io_now", "The number of I/Os currently in progress.", .gauge, 1),
        ("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", .counter, 0.001),
        ("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", .counter, 0.001),
        ("node_disk_discards_completed_total", "The total number of discards completed successfully.", .counter, 1),
        ("node_disk_discards_merged_total", "The total number of discards merged.", .counter, 1),
        ("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", .counter, 1),
        ("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", .counter, 0.001),
        ("node_disk_flush_requests_total", "The total number of flush requests completed successfully.", .counter, 1),
        ("node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", .counter, 0.001),
    ]

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let excluded = try exclude.regex()
        let text = try context.proc.tree.required("diskstats")
        let parsed = DiskstatsParser.parse(text, file: context.proc.tree.path("diskstats"))
        issues += parsed.issues
        for disk in parsed.value {
            if excluded.matches(disk.device) { continue }
            let labels: Labels = ["device": disk.device]
            for (index, value) in disk.counters.prefix(Self.columns.count).enumerated() {
                let column = Self.columns[index]
                metrics.add(column.0, column.1, column.2, value * column.3, labels)
            }
            collectUdev(disk, into: &metrics, context: context)
        }
    }

    private func collectUdev(_ disk: DiskStats, into metrics: inout MetricSet, context: CollectionContext) {
        let path = "run/udev/data/b\(disk.major):\(disk.minor)"
        let udevText = context.cache.value("udev/" + path) { try? context.rootfs.tree.readText(path) } ?? ""
        let udev = UdevDataParser.properties(udevText)
        metrics.add(
            "node_disk_info",
            "Info of /sys/block/<block_device>.",
            .gauge,
            1,
            Labels([
                Label("device", disk.device), Label("major", disk.major), Label("minor", disk.minor),
                Label("path", udev["ID_PATH"] ?? ""), Label("wwn", udev["ID_WWN"] ?? ""),
                Label("model", udev["ID_MODEL"] ?? ""), Label("serial", udev["ID_SERIAL_SHORT"] ?? ""),
                Label("revision", udev["ID_REVISION"] ?? ""),
            ])
        )
        if let type = udev["ID_FS_TYPE"] {
            metrics.add(
                "node_disk_filesystem_info",
                "Info about disk filesystem.",
                .gauge,
                1,
                Labels([
                    Label("device", disk.device), Label("type", type), Label("usage", udev["ID_FS_USAGE"] ?? ""),
                    Label("uuid", udev["ID_FS_UUID"] ?? ""), Label("version", udev["ID_FS_VERSION"] ?? ""),
                ])
            )
        }
        if let name = udev["DM_NAME"] {
            metrics.add(
                "node_disk_device_mapper_info",
                "Info about disk device mapper.",
                .gauge,
                1,
                Labels([
                    Label("device", disk.device), Label("name", name), Label("uuid", udev["DM_UUID"] ?? ""),
                    Label("vg_name", udev["DM_VG_NAME"] ?? ""), Label("lv_name", udev["DM_LV_NAME"] ?? ""),
                    Label("lv_layer", udev["DM_LV_LAYER"] ?? ""),
                ])
            )
        }
        // ATA properties count only for disks udev identified as ATA (node_exporter does the same).
        guard udev["ID_ATA"] == "1" else { return }
        if let text = udev["ID_ATA_ROTATION_RATE_RPM"], let rpm = NumberParsing.decimal(text) {
            metrics.add("node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs).", .gauge, rpm, ["device": disk.device])
        }
        if let text = udev["ID_ATA_WRITE_CACHE"] {
            metrics.add("node_disk_ata_write_cache", "ATA disk has a write cache.", .gauge, text == "1" ? 1 : 0, ["device": disk.device])
        }
        if let text = udev["ID_ATA_WRITE_CACHE_ENABLED"] {
            metrics.add(
                "node_disk_ata_write_cache_enabled",
                "ATA disk has its write cache enabled.",
                .gauge,
                text == "1" ? 1 : 0,
                ["device": disk.device]
            )
        }
    }
}
