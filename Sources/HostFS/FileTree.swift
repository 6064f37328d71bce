#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only access to files below one root directory (`/proc`, `/sys`, `/`, or a fixture tree).
///
/// Paths given to its methods are relative to the root (a leading `/` is allowed). It reads with
/// plain system calls, bounded in size, and never throws anything but ``FileSystemError``.
public struct FileTree: Sendable, Hashable {
    /// The root directory, without a trailing slash (empty for `/`).
    public let root: String
    /// Where kernel files read through this tree stay open between reads; nil opens each file at
    /// every read.
    public private(set) var kept: KeptFiles?

    /// The largest file the tree reads whole; pseudo-files under /proc and /sys are far smaller.
    public static let readLimit = 16 << 20

    public init(root: String) {
        var trimmed = root
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed == "/" ? "" : trimmed
    }

    /// The same tree keeping the kernel files it reads open in `kept`.
    public func keeping(_ kept: KeptFiles) -> FileTree {
        var tree = self
        tree.kept = kept
        return tree
    }

    public static func == (left: FileTree, right: FileTree) -> Bool { left.root == right.root }

    public func hash(into hasher: inout Hasher) { hasher.combine(root) }

    /// The absolute path of `relative` below the root.
    public func path(_ relative: String) -> String {
        if relative.isEmpty { return root.isEmpty ? "/" : root }
        if relative.hasPrefix("/") { return root + relative }
        return root + "/" + relative
    }

    /// Reads a whole file as bytes.
    public func readBytes(_ relative: String, limit: Int = FileTree.readLimit) throws(FileSystemError) -> [UInt8] {
        let fullPath = path(relative)
        if let kept, let bytes = kept.withDescriptor(fullPath, { try? Self.readAll($0, path: fullPath, limit: limit, positioned: true) }) {
            return bytes
        }
        let fd = open(fullPath, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError.from(errno: errno, path: fullPath) }
        do {
            let bytes = try Self.readAll(fd, path: fullPath, limit: limit, positioned: false)
            if kept?.keep(fullPath, descriptor: fd, perProcess: Self.isPerProcess(relative)) != true { close(fd) }
            return bytes
        } catch {
            close(fd)
            throw error
        }
    }

    /// Reads from `fd` to its end, with pread(2) from offset 0 when `positioned`.
    private static func readAll(_ fd: Int32, path: String, limit: Int, positioned: Bool) throws(FileSystemError) -> [UInt8] {
        var result: [UInt8] = []
        // A scratch buffer that is not zeroed first (read(2) fills what is used), growing 4× when full.
        var chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = positioned ? pread(fd, chunk.baseAddress, chunk.count, off_t(result.count)) : read(fd, chunk.baseAddress, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.from(errno: errno, path: path)
            }
            if count == 0 { break }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            if result.count > limit { throw FileSystemError.tooLarge(path: path, limit: limit) }
            if chunk.count < 65536, count == chunk.count {
                chunk.deallocate()
                chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk.count * 4, alignment: 1)
            }
        }
        return result
    }

    /// Whether `relative` is below a process's own directory (`<pid>/…`, `self/…`): such a path
    /// names another process once that one has gone and its id is reused.
    static func isPerProcess(_ relative: String) -> Bool {
        let first = relative.utf8.drop { $0 == UInt8(ascii: "/") }.prefix { $0 != UInt8(ascii: "/") }
        if first.elementsEqual("self".utf8) || first.elementsEqual("thread-self".utf8) { return true }
        return !first.isEmpty && first.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Reads a whole file as UTF-8 text (invalid bytes are replaced).
    public func readText(_ relative: String) throws(FileSystemError) -> String {
        let bytes = try readBytes(relative)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a one-value sysfs-style file, trimmed of surrounding whitespace and NUL bytes.
    ///
    /// sysfs hands out an attribute whole in the first read, so a short first read ends the file
    /// without the extra read(2) a general reader needs to see end-of-file.
    public func readValue(_ relative: String) throws(FileSystemError) -> String {
        let fullPath = path(relative)
        let result = SingleRead.of(fullPath, kept: kept, perProcess: Self.isPerProcess(relative)) {
            open(fullPath, O_RDONLY | O_CLOEXEC)
        }
        if result.count < 0 { throw FileSystemError.from(errno: result.error, path: fullPath) }
        if result.filledBuffer { return TextScanning.trimmed(try readText(relative)) }
        return result.trimmedText
    }

    /// Lists a directory (without `.` and `..`), sorted by name.
    public func list(_ relative: String) throws(FileSystemError) -> [DirectoryEntry] {
        let fullPath = path(relative)
        guard let dir = opendir(fullPath) else { throw FileSystemError.from(errno: errno, path: fullPath) }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let kind: DirectoryEntry.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symlink
            case Int32(DT_UNKNOWN): kind = Self.kindByStat(fullPath + "/" + name)
            default: kind = .other
            }
            entries.append(DirectoryEntry(name: name, kind: kind))
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// Whether `relative` exists (following symlinks).
    public func exists(_ relative: String) -> Bool {
        access(path(relative), F_OK) == 0
    }

    /// Whether `relative` is a directory (following symlinks).
    public func isDirectory(_ relative: String) -> Bool {
        var info = stat()
        guard stat(path(relative), &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The target of a symbolic link, as stored in the link.
    public func readLink(_ relative: String) throws(FileSystemError) -> String {
        let fullPath = path(relative)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
            guard let base = pointer.baseAddress else { return -1 }
            return readlink(fullPath, base, pointer.count - 1)
        }
        if count < 0 { throw FileSystemError.from(errno: errno, path: fullPath) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The canonical absolute path of `relative` with every symlink resolved.
    public func resolve(_ relative: String) throws(FileSystemError) -> String {
        let fullPath = path(relative)
        guard let resolved = realpath(fullPath, nil) else { throw FileSystemError.from(errno: errno, path: fullPath) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func kindByStat(_ fullPath: String) -> DirectoryEntry.Kind {
        var info = stat()
        guard lstat(fullPath, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }
}
