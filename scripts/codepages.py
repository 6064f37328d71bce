#!/usr/bin/env python3
"""Which code of the edgewatch binary a running process keeps resident, by Swift module.

Reads /proc/PID/pagemap (root) for the binary's mappings and attributes each resident page to the
symbols of the unstripped binary (nm) that cover it: Swift symbols by their module, C and C++
symbols by library (SQLite and libc are dynamic, so these are the Swift runtime, BoringSSL-free
shims and the like). Figures are KiB; a page shared by two modules counts for the one with more
bytes in it.
Usage: scripts/codepages.py PID UNSTRIPPED_BINARY [--top N]
"""
import argparse, bisect, os, re, struct, subprocess

PAGE = os.sysconf("SC_PAGE_SIZE")


def module_of(name):
    match = re.match(r"\$s(\d+)([A-Za-z_][A-Za-z0-9_]*)", name)
    if match:
        length = int(match.group(1))
        return match.group(2)[:length]
    if name.startswith("swift_") or name.startswith("_swift") or "swift" in name.lower():
        return "(Swift runtime)"
    if name.startswith("_Z"):
        return "(C++)"
    return "(C)"


def symbols(binary):
    out = subprocess.run(["nm", "--defined-only", "-n", "-S", binary], capture_output=True, text=True, check=True).stdout
    starts, ends, names = [], [], []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2].lower() in ("t", "w", "r", "d", "b", "v"):
            start, size = int(parts[0], 16), int(parts[1], 16)
            if size:
                starts.append(start)
                ends.append(start + size)
                names.append(module_of(parts[3]))
    return starts, ends, names


def resident_pages(pid, path_fragment):
    """(mapping start, file offset, [page addresses resident]) for mappings of the binary."""
    result = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pagemap:
        for line in maps:
            fields = line.split()
            if len(fields) < 6 or path_fragment not in fields[5]:
                continue
            low, high = (int(x, 16) for x in fields[0].split("-"))
            offset = int(fields[2], 16)
            pagemap.seek(low // PAGE * 8)
            data = pagemap.read((high - low) // PAGE * 8)
            present = [low + i * PAGE for i in range(len(data) // 8) if struct.unpack_from("<Q", data, i * 8)[0] >> 63 & 1]
            result.append((low, offset, fields[1], present))
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pid", type=int)
    parser.add_argument("binary")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    starts, ends, names = symbols(args.binary)
    fragment = os.path.basename(os.readlink(f"/proc/{args.pid}/exe"))
    # PIE: the mapping at file offset 0 sits at the load base (virtual address 0 in the file).
    mappings = resident_pages(args.pid, fragment)
    base = min(low - offset for low, offset, _, _ in mappings)
    totals, by_mapping = {}, {}
    for low, offset, perms, pages in mappings:
        by_mapping[perms] = by_mapping.get(perms, 0) + len(pages) * PAGE // 1024
        for page in pages:
            start, end = page - base, page - base + PAGE
            index = bisect.bisect_right(starts, end) - 1
            weights = {}
            while index >= 0 and starts[index] < end:
                overlap = min(end, ends[index]) - max(start, starts[index])
                if overlap > 0:
                    weights[names[index]] = weights.get(names[index], 0) + overlap
                if end - starts[index] > 8 << 20:
                    break
                index -= 1
            owner = max(weights, key=weights.get) if weights else "(no symbol: tables, metadata, unwind)"
            totals[owner] = totals.get(owner, 0) + PAGE // 1024
    print("resident KiB by mapping: " + ", ".join(f"{perms} {kib}" for perms, kib in by_mapping.items()))
    for name, kib in sorted(totals.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{kib:8d} KiB  {name}")


if __name__ == "__main__":
    main()
