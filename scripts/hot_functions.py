#!/usr/bin/env python3
"""The functions a steady agent runs, in the order the linker should place them.

Runs the release binary's agent on its embedded defaults, with an uplink to a hub on loopback,
under callgrind; zeroes its counts after start-up (argument, config and rule parsing, opening the
store, the first flush); then profiles a window in which the agent collects every second,
flushes, rolls up and sends minutes to the hub and is scraped like Prometheus would, and writes the functions of the executable that ran, most
instructions first, as input section names (`.text.<symbol>`) for the linker's
`--section-ordering-file`. Packed together, the code a cycle runs fills few pages instead of being
spread over the whole binary; what is not listed keeps its place after them.

Usage: scripts/hot_functions.py [--binary .build/release/edgewatch] [--warmup 40] [--seconds 130]
                                [--out packaging/linker/hot-functions.order]
"""
import argparse, os, re, shutil, signal, subprocess, sys, tempfile, time, urllib.request

from loopback import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def self_costs(path, binary_name):
    """Instructions per function of the object named `binary_name`, from one callgrind dump."""
    names, objects = {}, {}
    costs = {}
    current_object, current_function = "", None
    after_call = False

    def resolve(table, spec):
        match = re.match(r"\((\d+)\)(?: (.*))?", spec)
        if not match:
            return spec
        if match.group(2) is not None:
            table[match.group(1)] = match.group(2)
        return table.get(match.group(1), "")

    with open(path, errors="replace") as dump:
        for line in dump:
            line = line.rstrip("\n")
            if line.startswith("ob="):
                current_object = resolve(objects, line[3:])
            elif line.startswith("fn="):
                current_function = resolve(names, line[3:])
            elif line.startswith(("cob=",)):
                resolve(objects, line[4:])
            elif line.startswith("cfn="):
                resolve(names, line[4:])
            elif line.startswith("calls="):
                after_call = True
            elif line and (line[0].isdigit() or line[0] in "+-*"):
                if after_call:
                    after_call = False
                    continue
                parts = line.split()
                if len(parts) >= 2 and current_function and os.path.basename(current_object) == binary_name:
                    costs[current_function] = costs.get(current_function, 0) + int(parts[1])
    return costs


def start_hub(binary, scratch):
    """A hub on loopback for the agent's uplink (not profiled); returns its port and process."""
    port, data = free_port(), os.path.join(scratch, "hub")
    process = subprocess.Popen([binary, "hub", "--listen", f"127.0.0.1:{port}", "--data", data],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while not os.path.exists(os.path.join(data, "join-token")):
        if time.time() > deadline or process.poll() is not None:
            sys.exit("the hub did not start")
        time.sleep(0.2)
    return {"port": port, "data": data, "process": process}


def agent_config(scratch, hub):
    """The embedded defaults plus an uplink to `hub`, as a production agent runs."""
    path = os.path.join(scratch, "edgewatch.yaml")
    with open(path, "w") as config:
        config.write(f"node:\n  name: profiled\nuplink:\n  url: http://127.0.0.1:{hub['port']}\n"
                     f"  token_file: {os.path.join(hub['data'], 'join-token')}\n")
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/edgewatch"))
    parser.add_argument("--warmup", type=int, default=40, help="seconds of start-up left out of the profile")
    parser.add_argument("--seconds", type=int, default=130, help="seconds profiled (covers two minutes' rollup and uplink)")
    parser.add_argument("--out", default=os.path.join(ROOT, "packaging/linker/hot-functions.order"))
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="edgewatch-hot-")
    processes = []
    try:
        # valgrind cannot read the DWARF Swift emits; symbols are all it needs.
        binary = os.path.join(scratch, "edgewatch")
        subprocess.run(["strip", "--strip-debug", "-o", binary, args.binary], check=True)
        port = free_port()
        out = os.path.join(scratch, "callgrind.out")
        hub = start_hub(args.binary, scratch)
        processes.append(hub["process"])
        agent = subprocess.Popen(
            ["valgrind", "--tool=callgrind", "--demangle=no", f"--callgrind-out-file={out}",
             binary, "agent", "--config", agent_config(scratch, hub), "--interval", "1s",
             "--store", os.path.join(scratch, "store.db"), "--listen", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(agent)
        time.sleep(args.warmup)
        # Start-up's counts are zeroed: only what the steady agent runs is kept.
        subprocess.run(["callgrind_control", "-z", str(agent.pid)], check=True, stdout=subprocess.DEVNULL)
        deadline = time.time() + args.seconds
        while time.time() < deadline:
            time.sleep(10)
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=20).read()
            except OSError as error:
                print(f"scrape failed: {error}", file=sys.stderr)
        subprocess.run(["callgrind_control", "-d", str(agent.pid)], check=True, stdout=subprocess.DEVNULL)
        agent.send_signal(signal.SIGTERM)
        agent.wait(timeout=120)
        hub["process"].terminate()
        hub["process"].wait(timeout=30)
        costs = {}
        # The dump of the window; the one written at exit (shutdown) is left out.
        for name in os.listdir(scratch):
            if name.startswith("callgrind.out."):
                for function, cost in self_costs(os.path.join(scratch, name), "edgewatch").items():
                    # callgrind marks recursion levels with 'N; the symbol is the same.
                    function = re.sub(r"'\d+$", "", function)
                    costs[function] = costs.get(function, 0) + cost
        ordered = [name for name, cost in sorted(costs.items(), key=lambda item: -item[1]) if cost > 0]
        with open(args.out, "w") as order:
            order.write("".join(f".text.{name}\n" for name in ordered))
        print(f"{len(ordered)} functions ran in {args.seconds} s of a steady agent; written to {os.path.relpath(args.out, ROOT)}")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
