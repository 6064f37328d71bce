import HostFS

/// One mounted filesystem.
public struct MountEntry: Sendable, Hashable {
    public var device: String
    public var mountPoint: String
    public var fsType: String
    /// Per-mount options (`rw,relatime`).
    public var options: [String]

    /// Whether the mount is read-only.
    public var isReadOnly: Bool { options.contains("ro") }
}

/// Parses `/proc/<pid>/mountinfo` (preferred) and `/proc/mounts` (fallback).
public enum MountsParser {
    /// `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
    public static func parseMountinfo(_ text: String, file: String) -> Parsed<[MountEntry]> {
        var mounts: [MountEntry] = []
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            let fields = TextScanning.fields(line)
            if fields.isEmpty { continue }
            guard let separator = fields.firstIndex(of: "-"), separator >= 6, fields.count >= separator + 3 else {
                issues.append(
                    ParseIssue(
                        file: file,
                        line: offset + 1,
                        message:
                            "expected \"id parent major:minor root mountpoint options [optional…] - fstype source superoptions\", got \"\(line)\""
                    )
                )
                continue
            }
            mounts.append(
                MountEntry(
                    device: unescape(fields[separator + 2]),
                    mountPoint: unescape(fields[4]),
                    fsType: String(fields[separator + 1]),
                    options: fields[5].split(separator: ",").map(String.init)
                )
            )
        }
        return Parsed(mounts, issues: issues)
    }

    /// `/dev/sda1 / ext4 rw,relatime 0 0`.
    public static func parseMounts(_ text: String, file: String) -> Parsed<[MountEntry]> {
        var mounts: [MountEntry] = []
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            let fields = TextScanning.fields(line)
            if fields.isEmpty { continue }
            guard fields.count >= 4 else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected \"device mountpoint fstype options …\", got \"\(line)\""))
                continue
            }
            mounts.append(
                MountEntry(
                    device: unescape(fields[0]),
                    mountPoint: unescape(fields[1]),
                    fsType: String(fields[2]),
                    options: fields[3].split(separator: ",").map(String.init)
                )
            )
        }
        return Parsed(mounts, issues: issues)
    }

    /// Decodes the kernel's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash).
    static func unescape(_ field: Substring) -> String {
        guard field.utf8.contains(UInt8(ascii: "\\")) else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count {
                let digits = utf8[(index + 1)...(index + 3)]
                if digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
                    let value = digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                    if value < 256 {
                        bytes.append(UInt8(value))
                        index += 4
                        continue
                    }
                }
            }
            bytes.append(utf8[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
