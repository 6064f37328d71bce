/// One `/dev/kmsg` record: `priority,sequence,microseconds,flags;message` (continuation lines
/// that start with a space are dropped), with what the node-local events read from it.
public struct KernelLogRecord: Sendable, Equatable {
    public var sequence: UInt64
    /// Microseconds since boot (CLOCK_MONOTONIC).
    public var microseconds: UInt64
    public var message: String

    public init(sequence: UInt64, microseconds: UInt64, message: String) {
        self.sequence = sequence
        self.microseconds = microseconds
        self.message = message
    }

    /// Parses one record; nil for a continuation line or a malformed one.
    public static func parse(_ line: Substring) -> KernelLogRecord? {
        // Byte-wise: the header is ASCII, and the message is kept as it came.
        let utf8 = line.utf8
        guard let semicolon = utf8.firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let fields = utf8[..<semicolon].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count >= 3, let sequence = UInt64(Substring(fields[1])), let microseconds = UInt64(Substring(fields[2])) else { return nil }
        var message = utf8[utf8.index(after: semicolon)...]
        if message.last == UInt8(ascii: "\n") { message = message.dropLast() }
        return KernelLogRecord(sequence: sequence, microseconds: microseconds, message: String(Substring(message)))
    }

    /// What an `oom-kill:` line says: the killed task's memory cgroup, its name and pid.
    public var oomKill: (cgroup: String, task: String, pid: Int)? {
        guard message.utf8.starts(with: "oom-kill:".utf8) else { return nil }
        var fields: [Substring: Substring] = [:]
        for pair in message.dropFirst("oom-kill:".count).split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            fields[pair[..<equals]] = pair[pair.index(after: equals)...]
        }
        guard let cgroup = fields["task_memcg"], let task = fields["task"], let pid = fields["pid"].flatMap({ Int($0) }) else { return nil }
        return (String(cgroup), String(task), pid)
    }

    /// An NVIDIA driver Xid line (`NVRM: Xid (PCI:0000:01:00): 79, pid=…, GPU has fallen off the bus.`):
    /// the PCI address, the Xid number and the text after it.
    public var xid: (pci: String, code: Int, text: String)? {
        // Searched byte-wise: every kernel log line is looked at, few are NVIDIA's.
        let marker = "NVRM: Xid (".utf8
        let utf8 = message.utf8
        var start = utf8.startIndex
        while start != utf8.endIndex, !utf8[start...].starts(with: marker) { start = utf8.index(after: start) }
        guard start != utf8.endIndex else { return nil }
        let rest = Substring(utf8[utf8.index(start, offsetBy: marker.count)...])
        guard let close = rest.firstIndex(of: ")") else { return nil }
        let pci = rest[..<close]
        let after = rest[rest.index(after: close)...].drop { $0 == ":" || $0 == " " }
        let digits = after.prefix { $0.isNumber }
        guard let code = Int(digits) else { return nil }
        let text = after.dropFirst(digits.count).drop { $0 == "," || $0 == " " }
        return (String(pci.hasPrefix("PCI:") ? pci.dropFirst(4) : pci), code, String(text))
    }
}
