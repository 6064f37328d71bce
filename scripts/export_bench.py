#!/usr/bin/env python3
"""Benchmark of `edgewatch export` and the hub's import (figures, not a test; see README):
over a store of 3 days x 1000 series at 10 s (26 M samples, written by edgewatch-top-bench),
- export to a bundle at raw resolution: samples/s, peak RSS (target <= 32 MiB), bundle bytes per
  sample against the store's bytes per sample;
- import of that bundle into a fresh hub: samples/s.
Usage: scripts/export_bench.py [--binary PATH] [--days 3] [--series 1000]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time, urllib.request

from loopback import free_port


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=None)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--series", type=int, default=1000)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = args.binary or os.path.join(root, ".build", "release", "edgewatch")
    bench = os.path.join(root, ".build", "release", "edgewatch-top-bench")
    subprocess.run(["make", "--no-print-directory", "release", "PRODUCT=edgewatch-top-bench"], cwd=root, check=True, capture_output=True)
    directory = tempfile.mkdtemp(prefix="edgewatch-export-bench-")
    try:
        subprocess.run([bench, directory, str(args.days), str(args.series)], check=True, capture_output=True)
        store = directory + "/store.db"
        store_bytes = os.path.getsize(store) + (os.path.getsize(store + "-wal") if os.path.exists(store + "-wal") else 0)
        bundle = directory + "/bundle.tar.gz"
        # Each measured command runs in a fresh python child so ru_maxrss is that command's own peak.
        def measure(command):
            probe = ("import resource, subprocess, sys, time; t = time.monotonic(); r = subprocess.run(sys.argv[1:], capture_output=True); "
                     "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
                     "sys.stderr.write(r.stderr.decode()[-2000:])")
            out = subprocess.run([sys.executable, "-c", probe] + command, capture_output=True, text=True)
            elapsed, rss, code = out.stdout.split()
            if code != "0":
                sys.exit(f"failed: {' '.join(command)}\n{out.stderr}")
            return float(elapsed), int(rss) / 1024, out.stderr
        elapsed, rss, stderr = measure([binary, "export", "--store", store, "--since", f"{args.days * 24 + 1}h", "--resolution", "raw", "-o", bundle])
        with subprocess.Popen(["tar", "xzOf", bundle, "manifest.json"], stdout=subprocess.PIPE) as tar:
            manifest = json.load(tar.stdout)
        samples = next(p["count"] for p in manifest["parts"] if p["name"] == "metrics.om")
        bundle_bytes = os.path.getsize(bundle)
        print(f"export: {samples} samples of {args.series} series over {args.days} days in {elapsed:.1f} s = {samples / elapsed:,.0f} samples/s, "
              f"peak RSS {rss:.1f} MiB (target <= 32)")
        print(f"export: bundle {bundle_bytes / samples:.2f} B/sample vs store {store_bytes / samples:.2f} B/sample "
              f"({bundle_bytes / store_bytes:.2f}x)")
        port = free_port()
        hub = subprocess.Popen([binary, "hub", "--listen", f"127.0.0.1:{port}", "--data", directory + "/hub"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            with open(directory + "/secret", "w") as f:
                f.write("bench-node-secret-0123456789\n")
            elapsed, rss, stderr = measure([binary, "import", bundle, "--hub", f"http://127.0.0.1:{port}", "--token-file",
                                            directory + "/hub/join-token", "--node-secret-file", directory + "/secret"])
            print(f"import: {samples / elapsed:,.0f} samples/s ({elapsed:.1f} s, client verify + upload + hub verify + store), "
                  f"client peak RSS {rss:.1f} MiB")
            with open(f"/proc/{hub.pid}/status") as f:
                peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
            print(f"import: hub peak RSS {peak / 1024:.1f} MiB")
        finally:
            hub.terminate()
            hub.wait()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
