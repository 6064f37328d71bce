import EdgewatchNodeEvents
import HostCollectors
import HostFS

extension FuzzTarget {
    /// /proc, /sys and cgroup content: the first byte picks the parser, the rest is the file.
    static let hostTargets: [FuzzTarget] = [
        FuzzTarget(name: "procfs") { bytes in
            let (parser, text) = FuzzInput.parserAndFile(bytes, parsers: 12)
            switch parser {
            case 0: _ = ProcStatParser.parse(text, file: "stat")
            case 1: _ = MeminfoParser.parse(text, file: "meminfo")
            case 2: _ = KeyValueParser.parse(text, file: "vmstat")
            case 3: _ = LoadavgParser.parse(text, file: "loadavg")
            case 4: _ = PressureParser.parse(text, file: "pressure/cpu")
            case 5: _ = SockstatParser.parse(text, file: "net/sockstat")
            case 6: _ = NetDevParser.parse(text, file: "net/dev")
            case 7: _ = DiskstatsParser.parse(text, file: "diskstats")
            case 8: _ = MountsParser.parseMountinfo(text, file: "self/mountinfo")
            case 9: _ = MountsParser.parseMounts(text, file: "mounts")
            case 10: _ = MemoryMapLine.cleanReadOnlyMappings(text)
            default:
                for line in TextScanning.lines(text) { _ = KernelLogRecord.parse(line) }
            }
        },
        FuzzTarget(name: "sysfs") { bytes in
            let (parser, text) = FuzzInput.parserAndFile(bytes, parsers: 5)
            switch parser {
            case 0: _ = OSReleaseParser.parse(text, file: "os-release")
            case 1: _ = UdevDataParser.properties(text)
            case 2:
                _ = HwmonNaming.explode(text)
                _ = HwmonNaming.clean(text)
                _ = HwmonNaming.chipName(resolvedDevicePath: text)
            case 3: _ = ThrottledFlags(text: text)
            default:
                _ = NumberParsing.decimal(text)
                _ = NumberParsing.unsigned(text)
                _ = NumberParsing.signed(text)
                _ = NumberParsing.hexadecimal(text)
            }
        },
        FuzzTarget(name: "netlink") { bytes in _ = NetlinkLinkParser.parse(bytes) },
        FuzzTarget(name: "cgroup") { bytes in
            let (parser, text) = FuzzInput.parserAndFile(bytes, parsers: 7)
            switch parser {
            case 0: _ = CgroupFileParsers.values(text, ["usage_usec", "user_usec", "system_usec", "nr_periods", "total_rss", "oom_kill"])
            case 1: _ = CgroupFileParsers.single(text)
            case 2: _ = CgroupFileParsers.ioStat(text)
            case 3: _ = CgroupFileParsers.blkioServiceBytes(text)
            case 4: _ = CgroupFileParsers.cpuMax(text)
            case 5:
                _ = CgroupFileParsers.lineCount(text)
                _ = CgroupFileParsers.shares(fromWeight: NumberParsing.decimal(text) ?? 0)
            default:
                _ = KubepodsNaming.podUID(text)
                _ = KubepodsNaming.containerID(text)
            }
        },
    ]
}
