#!/usr/bin/env python3
"""Runs the libFuzzer targets of Fuzz/ (built by `make fuzz-build`) and prints a table.

Each target runs FUZZ_SECONDS (default 60) over a working corpus in .build-fuzz/work/<target>
seeded from the committed Fuzz/corpus/<target>, with its dictionary Fuzz/dict/<target>.dict when
there is one. Limits: 1 s per input (hang), 256 MiB (out of memory), inputs of 4 KiB (16 KiB for
hub-import). Crashes, hangs and OOMs are
kept under .build-fuzz/work/artifacts/<target>/ and make the exit status 1.

  scripts/fuzz.py [--seconds N] [--jobs J] [--targets a,b] [--record] [--merge]
  --record appends each run to Fuzz/campaign.tsv (the executions counted in README's table);
  --merge keeps in the committed corpus a minimal set covering it and the working one (found-*).
  scripts/fuzz.py --totals [--markdown] prints the executions Fuzz/campaign.tsv holds per target;
  scripts/fuzz.py --merge-only does that merge without fuzzing.
  scripts/fuzz.py --campaign HOURS [--jobs J] runs, for HOURS, the targets still under 10 M recorded
  executions, the one nearest first, each run recorded, then merges (`make fuzz-campaign`).
"""
import argparse
import concurrent.futures
import datetime
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build-fuzz/release/edgewatch-fuzz")
FUZZ = os.path.join(ROOT, "Fuzz")
WORK = os.path.join(ROOT, ".build-fuzz/work")
CAMPAIGN = os.path.join(FUZZ, "campaign.tsv")
# Inputs longer than this are cut (seeds too): a 170 KB promtool seed let libFuzzer grow inputs
# to that size, a third of the executions per second. Tar files need more room.
MAX_LEN = {"hub-import": 16384}


def targets():
    """The targets the binary knows (it lists them when given an unknown name)."""
    result = subprocess.run([BINARY, "-runs=0"], env=dict(os.environ, EDGEWATCH_FUZZ_TARGET="?"), capture_output=True, text=True)
    match = re.search(r"one of: (.*)", result.stderr)
    if not match:
        sys.exit(f"cannot list targets: {result.stderr[-500:]}")
    return match.group(1).split()


def run(target, seconds):
    corpus = os.path.join(FUZZ, "corpus", target)
    work = os.path.join(WORK, target)
    artifacts = os.path.join(WORK, "artifacts", target) + "/"
    for path in (corpus, work, artifacts):
        os.makedirs(path, exist_ok=True)
    before = set(os.listdir(artifacts))
    command = [BINARY, work, corpus, f"-max_total_time={seconds}", "-timeout=1", "-rss_limit_mb=256", "-malloc_limit_mb=256",
               f"-max_len={MAX_LEN.get(target, 4096)}", "-print_final_stats=1", f"-artifact_prefix={artifacts}", "-close_fd_mask=1"]
    dictionary = os.path.join(FUZZ, "dict", target + ".dict")
    if os.path.exists(dictionary):
        command.append(f"-dict={dictionary}")
    # No allocation stacks (malloc_context_size=0): recording them took a fifth of the time; a
    # crash still prints where it happened, and rerunning its input shows where memory came from.
    env = dict(os.environ, EDGEWATCH_FUZZ_TARGET=target, SWIFT_BACKTRACE="enable=no",
               ASAN_OPTIONS="quarantine_size_mb=16:malloc_context_size=0:detect_leaks=0:allocator_may_return_null=1")
    started = datetime.datetime.now()
    result = subprocess.run(command, env=env, capture_output=True, text=True, errors="replace", timeout=seconds + 120)
    elapsed = (datetime.datetime.now() - started).total_seconds()
    log = result.stderr
    with open(os.path.join(WORK, target + ".log"), "w") as handle:
        handle.write(log)
    executions = int(stat(log, "number_of_executed_units") or 0)
    status = [line for line in log.splitlines() if " cov: " in line]
    features = re.search(r"ft: (\d+)", status[-1]).group(1) if status else "0"
    coverage = re.search(r"cov: (\d+)", status[-1]).group(1) if status else "0"
    found = sorted(name for name in set(os.listdir(artifacts)) - before if os.path.isfile(os.path.join(artifacts, name)))
    unreproduced = [name for name in found if name.startswith(("timeout-", "oom-")) and not reproduces(artifacts + name, env)]
    if unreproduced:
        os.makedirs(artifacts + "unreproduced", exist_ok=True)
        for name in unreproduced:
            os.replace(artifacts + name, os.path.join(artifacts, "unreproduced", name))
    found = [name for name in found if name not in unreproduced]
    crashes = len(found) if found else (1 if result.returncode != 0 and not unreproduced else 0)
    return {
        "target": target, "seconds": elapsed, "executions": executions, "rate": executions / max(elapsed, 1e-9),
        "coverage": coverage, "features": features, "corpus": len(os.listdir(work)) + len(os.listdir(corpus)),
        "crashes": crashes, "found": found, "unreproduced": unreproduced, "log": log if crashes else "",
    }


def reproduces(path, env, tries=3):
    """Whether a timeout or out-of-memory input fails again when run alone, with the same limits.
    libFuzzer times the wall clock and watches the whole process's RSS: on a machine busy with
    builds and tests an ordinary input can pass 1 s, and memory the allocator kept from earlier
    inputs can pass 256 MiB. Such an input is kept under artifacts/<target>/unreproduced/."""
    for _ in range(tries):
        result = subprocess.run([BINARY, "-timeout=1", "-rss_limit_mb=256", "-malloc_limit_mb=256", path], env=env, capture_output=True)
        if result.returncode != 0:
            return True
    return False


def stat(log, name):
    match = re.search(rf"stat::{name}:\s*(\d+)", log)
    return match.group(1) if match else None


def head():
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def record(results, commit):
    new = not os.path.exists(CAMPAIGN)
    with open(CAMPAIGN, "a") as handle:
        if new:
            handle.write("date\tcommit\ttarget\tseconds\texecutions\tcrashes\n")
        day = datetime.date.today().isoformat()
        for r in results:
            handle.write(f"{day}\t{commit}\t{r['target']}\t{r['seconds']:.0f}\t{r['executions']}\t{r['crashes']}\n")


def clean_scratch():
    """Removes the bundle targets' /dev/shm files (edgewatch-fuzz-<pid>.bundle) of processes that
    have exited; a run going on beside this one keeps its own."""
    for name in os.listdir("/dev/shm"):
        match = re.fullmatch(r"edgewatch-fuzz-(\d+)\.bundle", name)
        if match and not os.path.exists(f"/proc/{match.group(1)}"):
            os.remove(os.path.join("/dev/shm", name))


def merge(target):
    """Minimises the committed and working corpora together (libFuzzer -merge=1 into an empty
    directory) and keeps that set in the committed corpus, next to the seeds and regression
    inputs, which stay whatever they cover."""
    corpus = os.path.join(FUZZ, "corpus", target)
    os.makedirs(corpus, exist_ok=True)
    minimal = os.path.join(WORK, target + ".minimal")
    shutil.rmtree(minimal, ignore_errors=True)
    os.makedirs(minimal)
    # One process reads every input: a small ASan quarantine, and artifacts (inputs that crash
    # alone, or only after the process grew) under .build-fuzz, never in the working directory.
    env = dict(os.environ, EDGEWATCH_FUZZ_TARGET=target, SWIFT_BACKTRACE="enable=no",
               ASAN_OPTIONS="detect_leaks=0:quarantine_size_mb=16:allocator_may_return_null=1")
    artifacts = os.path.join(WORK, "artifacts", target)
    os.makedirs(artifacts, exist_ok=True)
    subprocess.run([BINARY, "-merge=1", "-timeout=1", "-rss_limit_mb=512", f"-artifact_prefix={artifacts}/merge-", minimal, corpus,
                    os.path.join(WORK, target)], env=env, capture_output=True)
    kept = set()
    for name in os.listdir(corpus):
        path = os.path.join(corpus, name)
        if name.startswith(("seed-", "regression-")):
            kept.add(hashlib.sha1(open(path, "rb").read()).hexdigest())
        else:
            os.remove(path)
    for name in os.listdir(minimal):
        data = open(os.path.join(minimal, name), "rb").read()
        digest = hashlib.sha1(data).hexdigest()
        if digest not in kept:
            with open(os.path.join(corpus, "found-" + digest[:16]), "wb") as handle:
                handle.write(data)
    shutil.rmtree(minimal)


def campaign(hours, jobs, bar=10_000_000):
    """Runs, `jobs` at a time for `hours`, the targets still under `bar` recorded executions, the
    one nearest the bar first (by its last recorded rate), each up to 15 minutes a run; records
    every run and merges the corpora at the end."""
    deadline = time.time() + hours * 3600
    lock = threading.Lock()
    running, ran, crashed = set(), set(), []
    commit = head()

    def worker():
        while True:
            with lock:
                sums, rates = recorded()
                left = deadline - time.time()
                waiting = sorted((max(0, bar - sums.get(t, 0)) / rates.get(t, 1000), t) for t in targets()
                                 if sums.get(t, 0) < bar and t not in running)
                if not waiting or left < 120:
                    return
                need, target = waiting[0]
                running.add(target)
            seconds = int(min(need * 1.1 + 10, 900, left - 60))
            print(f"{time.strftime('%H:%M:%S')} {target} {seconds} s ({need:.0f} s to the bar)", flush=True)
            result = run(target, seconds)
            with lock:
                record([result], commit)
                running.discard(target)
                ran.add(target)
                for name in result["unreproduced"]:
                    print(f"{time.strftime('%H:%M:%S')} {target}: {name} did not fail again alone (unreproduced/)", flush=True)
                if result["crashes"]:
                    crashed.append(result)
                    return  # a crash needs a fix before more runs

    threads = [threading.Thread(target=worker) for _ in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for target in sorted(ran):
        merge(target)
    clean_scratch()
    totals()
    for r in crashed:
        print(f"\n== {r['target']}: {', '.join(r['found']) or 'exit status'} (log: .build-fuzz/work/{r['target']}.log)")
    return 1 if crashed else 0


def recorded():
    """Executions per target in the campaign file, and each target's rate in its last run."""
    sums, rates = {}, {}
    if os.path.exists(CAMPAIGN):
        with open(CAMPAIGN) as handle:
            next(handle)
            for line in handle:
                _, _, target, seconds, executions, _ = line.rstrip("\n").split("\t")
                sums[target] = sums.get(target, 0) + int(executions)
                rates[target] = int(executions) / max(int(seconds), 1)
    return sums, rates


def totals(markdown=False):
    """Prints the executions, runs and crashes Fuzz/campaign.tsv holds per target (with `markdown`,
    README's table, most executions first)."""
    sums = {}
    runs = {}
    crashes = {}
    with open(CAMPAIGN) as handle:
        next(handle)
        for line in handle:
            _, _, target, _, executions, crashed = line.rstrip("\n").split("\t")
            sums[target] = sums.get(target, 0) + int(executions)
            runs[target] = runs.get(target, 0) + 1
            crashes[target] = crashes.get(target, 0) + int(crashed)
    if markdown:
        print("| target | executions | runs | stops recorded |\n|---|---:|---:|---:|")
        for target in sorted(sums, key=lambda t: -sums[t]):
            print(f"| `{target}` | {sums[target] / 1e6:.2f} M | {runs[target]} | {crashes[target]} |")
        total = sum(sums.values())
        print(f"\n{total / 1e6:.1f} M executions in {sum(runs.values())} runs; {sum(v >= 10_000_000 for v in sums.values())} of {len(sums)} targets past 10 M")
        return
    print(f"{'target':24} {'runs':>5} {'executions':>14} {'crashes':>8}")
    for target in sorted(sums):
        print(f"{target:24} {runs[target]:5} {sums[target]:14,} {crashes[target]:8}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "60")))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("FUZZ_JOBS", "1")))
    parser.add_argument("--targets", default=os.environ.get("FUZZ_TARGETS", ""))
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--merge", action="store_true")
    parser.add_argument("--totals", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="with --totals: README's table")
    parser.add_argument("--merge-only", action="store_true", help="merge the working corpora into the committed ones without fuzzing")
    parser.add_argument("--campaign", type=float, metavar="HOURS", help="run the targets under 10 M recorded executions, nearest first")
    args = parser.parse_args()
    if args.totals:
        return totals(args.markdown)
    if args.campaign:
        return campaign(args.campaign, args.jobs)
    if args.merge_only:
        for name in (args.targets.split(",") if args.targets else targets()):
            if os.path.isdir(os.path.join(WORK, name)):
                merge(name)
        clean_scratch()
        return 0
    if not os.path.exists(BINARY):
        sys.exit(f"{BINARY} is missing: run `make fuzz-build` first")
    names = args.targets.split(",") if args.targets else targets()
    commit = head()  # what the binary was built from, not what HEAD is when the run ends
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda name: run(name, args.seconds), names))
    clean_scratch()
    print(f"{'target':24} {'executions':>12} {'exec/s':>8} {'cov':>6} {'features':>9} {'corpus':>7} {'crashes':>8}")
    for r in results:
        print(f"{r['target']:24} {r['executions']:12,} {r['rate']:8.0f} {r['coverage']:>6} {r['features']:>9} {r['corpus']:7} {r['crashes']:8}")
    if args.record:
        record(results, commit)
    if args.merge:
        for r in results:
            merge(r["target"])
        clean_scratch()
    for r in results:
        for name in r["unreproduced"]:
            print(f"{r['target']}: {name} did not fail again alone (kept under artifacts/{r['target']}/unreproduced/)")
    failed = [r for r in results if r["crashes"]]
    for r in failed:
        print(f"\n== {r['target']}: {', '.join(r['found']) or 'exit status'} (log: .build-fuzz/work/{r['target']}.log)")
        print("\n".join(r["log"].splitlines()[-40:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
