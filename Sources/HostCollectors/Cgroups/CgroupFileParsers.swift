import HostFS

/// Parsers for cgroup v1/v2 interface files. Pure functions over text.
public enum CgroupFileParsers {
    /// The values of `keys` in `key value` lines (cpu.stat, memory.stat, memory.events), in the
    /// order asked, nil where absent; malformed lines are skipped, and lines of other keys are not
    /// split or converted (memory.stat has some 40 lines, a reader wants three of them).
    public static func values(_ text: String, _ keys: [String]) -> [Double?] {
        var result = [Double?](repeating: nil, count: keys.count)
        for line in TextScanning.lines(text) {
            let name = TextScanning.leadingField(line)
            guard !name.isEmpty, let slot = keys.firstIndex(where: { name.elementsEqual($0.utf8) }) else { continue }
            let fields = TextScanning.fields(line)
            guard fields.count == 2, let value = NumberParsing.decimal(fields[1]) else { continue }
            result[slot] = value
        }
        return result
    }

    /// A single number, or nil for `max` and anything unparsable.
    public static func single(_ text: String) -> Double? {
        NumberParsing.decimal(TextScanning.trimmed(text))
    }

    /// v2 `io.stat`: `8:0 rbytes=… wbytes=… rios=…` → per `major:minor` (read bytes, written bytes).
    public static func ioStat(_ text: String) -> [String: (read: Double, write: Double)] {
        var result: [String: (read: Double, write: Double)] = [:]
        for line in TextScanning.lines(text) {
            let fields = TextScanning.fields(line)
            guard let device = fields.first, device.utf8.contains(UInt8(ascii: ":")) else { continue }
            var read = 0.0
            var write = 0.0
            for field in fields.dropFirst() {
                if field.hasPrefix("rbytes="), let value = NumberParsing.decimal(field.dropFirst(7)) { read = value }
                if field.hasPrefix("wbytes="), let value = NumberParsing.decimal(field.dropFirst(7)) { write = value }
            }
            result[String(device)] = (read, write)
        }
        return result
    }

    /// v1 `blkio.throttle.io_service_bytes`: `8:0 Read 123` / `8:0 Write 456` lines → per device.
    public static func blkioServiceBytes(_ text: String) -> [String: (read: Double, write: Double)] {
        var result: [String: (read: Double, write: Double)] = [:]
        for line in TextScanning.lines(text) {
            let fields = TextScanning.fields(line)
            guard fields.count == 3, fields[0].utf8.contains(UInt8(ascii: ":")), let value = NumberParsing.decimal(fields[2]) else { continue }
            var entry = result[String(fields[0])] ?? (0, 0)
            switch fields[1] {
            case "Read": entry.read = value
            case "Write": entry.write = value
            default: continue
            }
            result[String(fields[0])] = entry
        }
        return result
    }

    /// v2 `cpu.max`: `max 100000` or `50000 100000` → (quota µs or nil when unlimited, period µs).
    public static func cpuMax(_ text: String) -> (quota: Double?, period: Double?) {
        let fields = TextScanning.fields(text)
        guard fields.count == 2 else { return (nil, nil) }
        return (NumberParsing.decimal(fields[0]), NumberParsing.decimal(fields[1]))
    }

    /// cgroup v2 `cpu.weight` (1–10000) as v1 `cpu.shares` (2–262144), the mapping kubelet uses backwards.
    public static func shares(fromWeight weight: Double) -> Double {
        (2 + ((weight - 1) * 262_142) / 9999).rounded()
    }

    /// Number of non-empty lines (`cgroup.procs`).
    public static func lineCount(_ text: String) -> Double {
        Double(TextScanning.lines(text).filter { !TextScanning.trimmed($0).isEmpty }.count)
    }
}
