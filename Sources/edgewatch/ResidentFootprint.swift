import CEdgewatchLinux
import HostFS

#if canImport(Glibc)
import Glibc
#endif

/// Keeps the process's resident size to the code it really runs.
///
/// The kernel maps file pages around each page fault ("fault-around", 64 KiB by default) and
/// reads ahead, so a 20 MB binary and its shared libraries show most of their code as resident
/// although a cycle runs a fraction of it. For read-only file mappings that hold no private copy
/// of any page (code, and constant data the loader did not relocate: dropping them only means
/// re-reading them from the page cache on use) this turns both off with MADV_RANDOM and drops
/// what is mapped with MADV_DONTNEED. Writable mappings, and read-only ones with relocated
/// (anonymous) pages, are left alone: their contents exist nowhere else.
enum ResidentFootprint {
    /// Turns off fault-around and read-ahead for those mappings (libraries opened later too) and
    /// drops what is mapped of them; what runs next maps back only its own pages. Called at
    /// process start (what the loader touched), when `top` has drawn its first frame, and once
    /// the agent's start-up is over (argument, config and rule parsing, opening the store, the
    /// first flush and rollup), whose code a steady cycle never runs again.
    static func dropCodePages() {
        forEachCleanReadOnlyMapping { pointer, length in
            _ = madvise(pointer, length, MADV_RANDOM)
            _ = madvise(pointer, length, MADV_DONTNEED)
        }
    }

    /// Sleeps `delay`, then drops the code pages start-up used; returns early when cancelled.
    static func dropCodePages(after delay: Duration) async {
        do {
            try await Task.sleep(for: delay)
        } catch {
            return
        }
        dropCodePages()
    }

    /// Blocks of 128 KiB and more get pages of their own (returned to the kernel when freed) for
    /// the life of the process; by default the threshold grows to the largest block ever freed,
    /// and a flush's or a scrape's buffers then stay in the heap.
    static func mapLargeBlocks() {
        _ = cew_fix_mmap_threshold(128 * 1024)
    }

    /// Every `period` until cancelled, gives the heap's free pages back to the kernel
    /// (`malloc_trim`): the allocator keeps what a burst freed (a flush, series of containers that
    /// ended) interleaved with live blocks, and only returns the top of its main heap on its own.
    static func releaseFreeHeap(every period: Duration) async {
        while true {
            do {
                try await Task.sleep(for: period)
            } catch {
                return
            }
            _ = cew_release_free_heap()
        }
    }

    /// Calls `body` with each read-only mapping of a file (the executable, shared libraries)
    /// that has no anonymous page; nothing when /proc/self/smaps cannot be read.
    private static func forEachCleanReadOnlyMapping(_ body: (UnsafeMutableRawPointer, Int) -> Void) {
        guard let smaps = try? FileTree(root: "/proc").readText("self/smaps") else { return }
        for mapping in MemoryMapLine.cleanReadOnlyMappings(smaps) {
            guard let pointer = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            body(pointer, Int(mapping.end - mapping.start))
        }
    }
}
