#!/usr/bin/env python3
"""Writes the k3s manifests in config/k3s/ from config/edgewatch.yaml, config/rules.yaml and the
binary's version: edgewatch.yaml (the agent: namespace, RBAC, ConfigMap, Secret, DaemonSet) and
edgewatch-hub.yaml (a hub: Deployment, Service, PersistentVolumeClaim).

Run after changing any of them (`make k3s`); a test fails when the committed files differ.

Usage: scripts/make_k3s.py [--version X.Y.Z] [--check]
"""
import argparse, os, re, sys

from generated_files import write_or_check

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = "docker.io/edgewatch/edgewatch"


def version_of_sources():
    text = open(os.path.join(ROOT, "Sources/edgewatch/EdgewatchVersion.swift")).read()
    return re.search(r'"(\d+\.\d+\.\d+[^"]*)"', text).group(1)


def rewrite(text, pairs, what):
    for old, new in pairs:
        if old not in text:
            sys.exit(f"make_k3s: {what} has no line {old.strip()!r} to rewrite")
        text = text.replace(old, new, 1)
    return text


def agent_config():
    text = open(os.path.join(ROOT, "config/edgewatch.yaml")).read()
    return rewrite(text, [
        ("  name: \"\"\n", "  # Set by the DaemonSet from the downward API (--node-name).\n  name: \"\"\n"),
        ("  procfs: /proc\n", "  procfs: /host/proc\n"),
        ("  sysfs: /sys\n", "  sysfs: /host/sys\n"),
        ("  rootfs: /\n", "  rootfs: /host/root\n"),
        ("listen: 127.0.0.1:9909\n", "listen: 0.0.0.0:9909\n"),
        ("  builtin: [edge]\n", "  builtin: []\n"),
        ("  files: []\n", "  files: [/etc/edgewatch/rules.d/*.yaml]\n"),
        ("  # token_file: /etc/edgewatch/hub-token\n", "  token_file: /etc/edgewatch/hub/token\n"),
        ("  # journal_dir: /var/log/journal\n",
         "  # (the host's: /host/root/var/log/journal, or /host/root/run/log/journal where it lives in RAM)\n"
         "  journal_dir: /host/root/var/log/journal\n"),
    ], "config/edgewatch.yaml")


def indent(text, spaces):
    pad = " " * spaces
    return "".join(pad + line if line.strip() else "\n" for line in text.splitlines(keepends=True))


def agent_manifest(version):
    config = agent_config()
    rules = open(os.path.join(ROOT, "config/rules.yaml")).read()
    template = open(os.path.join(ROOT, "config/k3s/templates/agent.yaml")).read()
    return (template.replace("@VERSION@", version).replace("@IMAGE@", IMAGE)
            .replace("@CONFIG@\n", indent(config, 4)).replace("@RULES@\n", indent(rules, 4)))


def hub_manifest(version):
    template = open(os.path.join(ROOT, "config/k3s/templates/hub.yaml")).read()
    return template.replace("@VERSION@", version).replace("@IMAGE@", IMAGE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--version", default=version_of_sources())
    parser.add_argument("--check", action="store_true", help="exit 1 when a committed file differs")
    args = parser.parse_args()
    directory = os.path.join(ROOT, "config/k3s")
    write_or_check({os.path.join(directory, "edgewatch.yaml"): agent_manifest(args.version),
                    os.path.join(directory, "edgewatch-hub.yaml"): hub_manifest(args.version)}, args.check, "make k3s")

if __name__ == "__main__":
    main()
