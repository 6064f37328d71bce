/// The lines of /proc/PID/smaps that tell which mappings hold only clean file pages.
public enum MemoryMapLine {
    /// The read-only file mappings of a whole smaps text that hold no anonymous (relocated or
    /// otherwise private) page: their pages can all be read again from their files.
    public static func cleanReadOnlyMappings(_ smaps: String) -> [Mapping] {
        var result: [Mapping] = []
        var candidate: Mapping?
        for line in TextScanning.lines(smaps) {
            if let mapping = mapping(line) {
                candidate = mapping.readOnlyFile ? mapping : nil
            } else if let anonymous = anonymousKilobytes(line), let found = candidate {
                candidate = nil
                if anonymous == 0 { result.append(found) }
            }
        }
        return result
    }

    /// One mapping's header line.
    public struct Mapping: Equatable, Sendable {
        public var start: UInt
        public var end: UInt
        /// Private, not writable, backed by a file (an inode and an absolute path): its pages
        /// can be read again from the file, unless the loader relocated some (see `Anonymous:`).
        public var readOnlyFile: Bool

        public init(start: UInt, end: UInt, readOnlyFile: Bool) {
            self.start = start
            self.end = end
            self.readOnlyFile = readOnlyFile
        }
    }

    /// A mapping's header, `start-end perms offset dev inode [path]`; nil for any other line.
    public static func mapping(_ line: Substring) -> Mapping? {
        let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, fields[1].count == 4 else { return nil }
        let range = fields[0].split(separator: "-")
        guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), end > start else {
            return nil
        }
        let path = fields.count > 5 ? fields[5].drop { $0 == " " } : ""
        let readOnly = fields[1] == "r-xp" || fields[1] == "r--p"
        return Mapping(start: start, end: end, readOnlyFile: readOnly && fields[4] != "0" && path.hasPrefix("/"))
    }

    /// The `Anonymous:` field in kB (pages the process holds a private copy of); nil for any other line.
    public static func anonymousKilobytes(_ line: Substring) -> Int? {
        let prefix = "Anonymous:"
        guard line.hasPrefix(prefix) else { return nil }
        return line.dropFirst(prefix.count).split(separator: " ").first.flatMap { Int($0) }
    }
}
