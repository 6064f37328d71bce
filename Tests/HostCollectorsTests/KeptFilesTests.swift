import Foundation
import Testing

@testable import HostFS

/// Kernel files kept open between cycles and read again in place.
@Suite("kept kernel files")
struct KeptFilesTests {
    /// A procfs file is kept after its first read and read again through the same descriptor,
    /// with the same text a fresh open gives; values read by ``DirectoryHandle`` too.
    @Test func kernelFilesAreKeptAndReadAgain() throws {
        let kept = KeptFiles()
        let proc = FileTree(root: "/proc").keeping(kept)
        let fresh = FileTree(root: "/proc")
        #expect(try proc.readValue("sys/kernel/ostype") == "Linux")
        #expect(kept.count == 1)
        #expect(try proc.readValue("sys/kernel/ostype") == "Linux")
        #expect(try proc.readText("sys/kernel/osrelease") == fresh.readText("sys/kernel/osrelease"))
        #expect(kept.count == 2)
        let directory = try DirectoryHandle(proc, "sys/kernel")
        #expect(directory.value("hostname") == (try fresh.readValue("sys/kernel/hostname")))
        #expect(directory.value("hostname") == (try fresh.readValue("sys/kernel/hostname")))
        #expect(kept.count == 3)
        // /proc/stat is larger than a page: read whole again from offset 0.
        let stat = try proc.readText("stat")
        #expect(try proc.readText("stat").split(separator: "\n").first?.hasPrefix("cpu ") == true)
        #expect(stat.contains("btime"))
    }

    /// A process's own files and regular files are never kept: the first could name another
    /// process later, the second be replaced (fixture trees are rewritten between reads).
    @Test func perProcessAndRegularFilesAreNotKept() throws {
        let kept = KeptFiles()
        let proc = FileTree(root: "/proc").keeping(kept)
        _ = try proc.readText("self/stat")
        _ = try proc.readText("\(getpid())/status")
        #expect(kept.count == 0)
        let tree = try TemporaryTree()
        let regular = FileTree(root: tree.root).keeping(kept)
        try tree.write("value", "1\n")
        #expect(try regular.readValue("value") == "1")
        try "2\n".write(toFile: tree.root + "/value.new", atomically: false, encoding: .utf8)
        #expect(rename(tree.root + "/value.new", tree.root + "/value") == 0)
        #expect(try regular.readValue("value") == "2")
        #expect(kept.count == 0)
        #expect(FileTree.isPerProcess("/self/net/dev") && FileTree.isPerProcess("42/stat") && FileTree.isPerProcess("thread-self"))
        #expect(!FileTree.isPerProcess("net/dev") && !FileTree.isPerProcess("sys/kernel/ostype") && !FileTree.isPerProcess(""))
    }

    /// A descriptor not read for a whole cycle is closed at the sweep; the capacity bounds them.
    @Test func sweepsAndCapacityBoundTheDescriptors() throws {
        let kept = KeptFiles(capacity: 2)
        let proc = FileTree(root: "/proc").keeping(kept)
        for file in ["loadavg", "uptime", "version"] { _ = try proc.readText(file) }
        #expect(kept.count == 2)
        kept.sweep()
        _ = try proc.readText("loadavg")
        kept.sweep()
        #expect(kept.count == 1)
        kept.sweep()
        #expect(kept.count == 0)
        #expect(try proc.readText("uptime").split(separator: " ").count == 2)
    }
}

/// A real cgroup removed while its file is kept: the read fails as without the cache, and a
/// cgroup made again at the same path is read as it is now, not as the removed one was.
@Suite(
    "kept cgroup files",
    .serialized,
    .enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.limit_in_bytes"))
)
struct KeptCgroupFilesTests {
    @Test func aRemovedCgroupIsNotReadThroughItsOldDescriptor() throws {
        let name = "edgewatch-kept-\(UUID().uuidString.prefix(8))"
        let directory = "/sys/fs/cgroup/memory/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { rmdir(directory) }
        try "104857600".write(toFile: directory + "/memory.limit_in_bytes", atomically: false, encoding: .utf8)
        let kept = KeptFiles()
        let cgroups = FileTree(root: "/sys/fs/cgroup/memory").keeping(kept)
        #expect(try cgroups.readValue(name + "/memory.limit_in_bytes") == "104857600")
        #expect(kept.count == 1)
        #expect(rmdir(directory) == 0)
        #expect(throws: FileSystemError.self) { try cgroups.readValue(name + "/memory.limit_in_bytes") }
        #expect(kept.count == 0)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        #expect(try cgroups.readValue(name + "/memory.limit_in_bytes") != "104857600")
        #expect(rmdir(directory) == 0)
        #expect(throws: FileSystemError.self) { try cgroups.readValue(name + "/memory.limit_in_bytes") }
    }
}
