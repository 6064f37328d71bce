#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into Fuzz/corpus/<target>/seed-* from what the
repository already holds: the fixture trees (proc, sys, cgroup files), the config and rule files,
the promtool test corpus, and a few hand-written Kubernetes documents. Deterministic; run it after
the fixtures change (`make fuzz-seeds`). Targets whose first input byte picks a parser get that
byte prepended. The recorded bundles (seed-recorded-*, from `edgewatch export`) and the other
corpus files (what fuzzing found, merged by `scripts/fuzz.py --merge`) are left alone.
"""
import glob
import hashlib
import json
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")
FIXTURES = os.path.join(ROOT, "Tests", "EdgewatchE2ETests", "Fixtures")

# Parser-selecting first byte (FuzzTarget+Host.swift) by file name.
PROCFS = {"stat": 0, "meminfo": 1, "vmstat": 2, "loadavg": 3, "cpu": 4, "io": 4, "memory": 4, "sockstat": 5, "sockstat6": 5,
          "dev": 6, "diskstats": 7, "mountinfo": 8, "mounts": 9}
SYSFS = {"os-release": 0, "uevent": 1}
CGROUP = {"cpu.stat": 0, "memory.stat": 0, "memory.events": 0, "cpuacct.stat": 0, "memory.current": 1, "pids.current": 1,
          "memory.max": 1, "cpu.weight": 1, "memory.usage_in_bytes": 1, "cpuacct.usage": 1, "io.stat": 2,
          "blkio.throttle.io_service_bytes_recursive": 3, "cpu.max": 4, "cgroup.procs": 5}


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    directory = os.path.join(CORPUS, target)
    os.makedirs(directory, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    with open(os.path.join(directory, f"seed-{name}-{digest}"), "wb") as handle:
        handle.write(data)


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def host_seeds():
    seen = set()
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*", "**", "*"), recursive=True)):
        if not os.path.isfile(path) or os.path.getsize(path) > 16384:
            continue
        base = os.path.basename(path)
        data = read(path)
        key = (base, hashlib.sha1(data).hexdigest())
        if key in seen:
            continue
        seen.add(key)
        fixture = os.path.relpath(path, FIXTURES).split(os.sep)[0]
        if "/proc/" in path and "pressure" in path and base in PROCFS:
            write("procfs", f"{fixture}-pressure-{base}", bytes([4]) + data)
        elif "/proc/" in path and base in PROCFS:
            write("procfs", f"{fixture}-{base}", bytes([PROCFS[base]]) + data)
        elif "cgroup" in path and base in CGROUP:
            write("cgroup", f"{fixture}-{base}", bytes([CGROUP[base]]) + data)
            if base == "cgroup.procs":
                write("cgroup", f"{fixture}-dir", bytes([6]) + os.path.basename(os.path.dirname(path)).encode())
        elif base in SYSFS:
            write("sysfs", f"{fixture}-{base}", bytes([SYSFS[base]]) + data)
        elif "/run/udev/data/" in path:
            write("sysfs", f"{fixture}-udev", bytes([1]) + data)
        elif base == "get_throttled":
            write("sysfs", f"{fixture}-throttled", bytes([3]) + data)
        elif "/hwmon/" in path and base.startswith(("temp", "in", "fan", "power", "curr")):
            write("sysfs", f"{fixture}-hwmon", bytes([2]) + base.encode())
    write("procfs", "kmsg", bytes([11]) + b"6,1234,5678901,-;Out of memory: Killed process 4242 (stress-ng)\n"
          b"3,1240,5679000,-;NVRM: Xid (PCI:0000:01:00): 79, pid=1, GPU has fallen off the bus.\n")
    write("procfs", "smaps", bytes([10]) + b"55d0c0000000-55d0c0100000 r-xp 00000000 08:01 123 /usr/bin/edgewatch\n"
          b"Size:               1024 kB\nRss:                 512 kB\nAnonymous:             0 kB\n")


def text_seeds():
    configs = glob.glob(os.path.join(ROOT, "config", "*.yaml")) + glob.glob(os.path.join(ROOT, "config", "k3s", "*.yaml"))
    for path in sorted(configs):
        name = os.path.basename(path)
        write("yaml", name, read(path))
        if name == "edgewatch.yaml":
            write("agent-config", name, read(path))
        if name == "hub.yaml":
            write("hub-config", name, read(path))
    rules = sorted(glob.glob(os.path.join(ROOT, "config", "*rules*.yaml"))
                   + glob.glob(os.path.join(ROOT, "Tests", "EdgewatchRulesTests", "Fixtures", "corpus", "*.rules.yml")))
    tests = sorted(glob.glob(os.path.join(ROOT, "Tests", "EdgewatchRulesTests", "Fixtures", "**", "*.test.y*ml"), recursive=True)
                   + glob.glob(os.path.join(ROOT, "config", "*.test.yaml")))
    expressions, templates, regexes = set(), set(), set()
    for path in rules:
        text = read(path).decode("utf-8", "replace")
        write("rule-file", os.path.basename(path), text)
        for match in re.finditer(r"^\s*expr:\s*(\|[-+]?\n((?:\s{8,}.*\n)+)|(.+))$", text, re.M):
            expressions.add((match.group(2) or match.group(3) or "").strip())
        for match in re.finditer(r"^\s+(?:summary|description|message):\s*(.+)$", text, re.M):
            templates.add(match.group(1).strip().strip("'\""))
        regexes.update(re.findall(r'=~"([^"]*)"', text))
    for path in tests:
        text = read(path).decode("utf-8", "replace")
        write("promtool-test", os.path.basename(path), text)
        for match in re.finditer(r"^\s*expr:\s*(.+)$", text, re.M):
            expressions.add(match.group(1).strip().strip("'"))
    for index, expression in enumerate(sorted(expressions)):
        write("promql", f"expr{index}", expression)
        for selector in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*\{[^}]*\}", expression):
            write("selector", f"expr{index}", selector)
    for index, template in enumerate(sorted(templates)):
        write("template", f"t{index}", b"\x00\x00\x00\x00\x00\x00\x59\x40" + template.encode())
    for index, pattern in enumerate(sorted(regexes | {"(?i)foo|ba[rz]+", "kube-.*", "^(?:ab){2,3}$", "\\d+\\.\\d*", "(?P<x>a)|[^b]"})):
        write("re2-posix", f"r{index}", bytes([len(pattern.encode())]) + pattern.encode() + b"kube-proxy")
    write("re2-differential", "generated", bytes([0, 3, 2, 6, 1, 0, 4, 5, 9, 3, 2, 1, 0, 7, 7, 8, 1, 2, 3, 4, 5]))
    write("selector", "time", "2026-11-30T12:34:56.789+01:00")
    for index, form in enumerate([
        "query=rate(http_requests_total%5B5m%5D)&start=1700000000&end=1700000600&step=15",
        "query=sum+by+(code)+(http_requests_total)&time=2023-11-14T22:23:20Z",
        "query=histogram_quantile(0.9%2C+rate(latency_bucket%5B1m%5D))&start=1699999400.5&end=1700000600&step=1m",
        "match[]=node_load1&match[]=%7Bjob%3D~%22api%7Cweb%22%7D&start=1699990000&end=1700000600",
        "query=max_over_time(node_load1%5B10m%3A30s%5D)&time=1700000600.123",
    ]):
        write("hub-query", f"form{index}", form)
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.golden.prom"))):
        text = read(path).decode()
        write("openmetrics-line", os.path.basename(path), "\n".join(text.splitlines()[:60]))


def kubernetes_seeds():
    event = {
        "apiVersion": "v1", "kind": "Event", "type": "Warning", "reason": "BackOff", "count": 7,
        "metadata": {"name": "web-0.17a2b3c4d5e6f708", "namespace": "default", "uid": "5b6c7d8e-0000-4000-8000-0123456789ab",
                     "resourceVersion": "48213"},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "web-0", "uid": "7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f",
                           "fieldPath": "spec.containers{web}"},
        "message": "Back-off restarting failed container web in pod web-0_default",
        "source": {"component": "kubelet", "host": "pi4-a"},
        "firstTimestamp": "2026-11-30T10:00:00Z", "lastTimestamp": "2026-11-30T10:05:00Z",
    }
    new_event = {
        "apiVersion": "events.k8s.io/v1", "kind": "Event", "type": "Normal", "reason": "Scheduled", "note": "Successfully assigned",
        "eventTime": "2026-11-30T10:00:00.123456Z", "reportingController": "default-scheduler", "reportingInstance": "pi4-a",
        "regarding": {"kind": "Pod", "namespace": "kube-system", "name": "coredns-6799fbcd5-x7k2p"},
        "series": {"count": 3, "lastObservedTime": "2026-11-30T10:02:00.000000Z"}, "deprecatedCount": 2,
        "metadata": {"name": "coredns.1", "namespace": "kube-system", "uid": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                     "resourceVersion": "1"},
    }
    pod = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-0", "namespace": "default", "uid": "7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f", "resourceVersion": "9",
                     "labels": {"app": "web"}, "creationTimestamp": "2026-11-30T09:00:00Z"},
        "spec": {"nodeName": "pi4-a", "containers": [{"name": "web", "image": "nginx"}]},
        "status": {"phase": "Running", "qosClass": "Burstable", "containerStatuses": [
            {"name": "web", "containerID": "containerd://" + "ab" * 32, "restartCount": 4,
             "lastState": {"terminated": {"reason": "OOMKilled", "exitCode": 137}}}]},
    }
    lines = [{"type": "ADDED", "object": event}, {"type": "MODIFIED", "object": new_event}, {"type": "ADDED", "object": pod},
             {"type": "BOOKMARK", "object": {"kind": "Event", "metadata": {"resourceVersion": "48300"}}},
             {"type": "ERROR", "object": {"kind": "Status", "code": 410, "message": "too old resource version: 1 (48213)"}},
             {"type": "DELETED", "object": pod}]
    for index, line in enumerate(lines):
        write("watch-line", f"line{index}", json.dumps(line))
    write("kubernetes-list", "events", json.dumps({"kind": "EventList", "metadata": {"resourceVersion": "48213"}, "items": [event, new_event]}))
    write("kubernetes-list", "pods", json.dumps({"kind": "PodList", "metadata": {"resourceVersion": "9", "continue": "abc"}, "items": [pod]}))
    write("kubeconfig", "k3s", """apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
    client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCg==
""")
    write("kubeconfig", "token", """apiVersion: v1
kind: Config
current-context: edge
clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443", certificate-authority: ca.crt, insecure-skip-tls-verify: false}}]
users: [{name: u, user: {token: abc.def, client-certificate: client.crt, client-key: client.key}}]
contexts: [{name: edge, context: {cluster: c, user: u, namespace: default}}]
""")


def main():
    # Seeds are regenerated whole; the recorded bundles (seed-recorded-*) and found inputs stay.
    for path in glob.glob(os.path.join(CORPUS, "*", "seed-*")):
        if not os.path.basename(path).startswith("seed-recorded-"):
            os.remove(path)
    host_seeds()
    text_seeds()
    kubernetes_seeds()


if __name__ == "__main__":
    main()
