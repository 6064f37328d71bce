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

    /// The largest file the tree reads whole; pseudo-files under /proc and /sys are far smaller.
    public static let readLimit = 16 << 20

    public init(root: String) {
        var trimmed = root
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.root = trimmed == "/" ? "" : trimmed
    }

    /// The absolute path of `relative` below the root.
    public func path(_ relative: String) -> String {
        if relative.isEmpty { return root.isEmpty ? "/" : root }
        if relative.hasPrefix("/") { return root + relative }
        return root + "/" + relative
    }

    /// Reads a whole file as bytes.
    public func readBytes(_ relative: String, limit: Int = FileTree.readLimit) throws(FileSystemError) -> [UInt8] {
        let fullPath = path(relative)
        let fd = open(fullPath, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError.from(errno: errno, path: fullPath) }
        defer { close(fd) }
        var result: [UInt8] = []
        // A scratch buffer that is not zeroed first (read(2) fills what is used), growing 4× when full.
        var chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let count = read(fd, chunk.baseAddress, chunk.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileSystemError.from(errno: errno, path: fullPath)
            }
            if count == 0 { break }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            if result.count > limit { throw FileSystemError.tooLarge(path: fullPath, limit: limit) }
            if chunk.count < 65536, count == chunk.count {
                chunk.deallocate()
                chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk.count * 4, alignment: 1)
            }
        }
        return result
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
        let fd = open(fullPath, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw FileSystemError.from(errno: errno, path: fullPath) }
        let result = SingleRead(descriptor: fd)
        close(fd)
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
