#!/usr/bin/env python3
"""Builds edgewatch_<version>_<arch>.deb with dpkg-deb from the static release binary.

The package: /usr/bin/edgewatch (stripped), the systemd unit (/lib/systemd/system), the config and
the edge rule set as conffiles under /etc/edgewatch, shell completions, the man page, docs; the
maintainer scripts in packaging/debian create the `edgewatch` system user and /var/lib/edgewatch
(0750), enable and start the service as Debian policy allows, keep the data on remove and delete
it on purge. Depends are computed by dpkg-shlibdeps from what the binary links.

Usage: scripts/make_deb.py [--binary .build/release/edgewatch] [--output-dir .]
"""
import argparse, gzip, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs).stdout


def install(source, target, mode=0o644, text=None):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if text is not None:
        with open(target, "w") as f:
            f.write(text)
    else:
        shutil.copyfile(source, target)
    os.chmod(target, mode)


def gzipped(data, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(data)
    os.chmod(target, 0o644)


def depends(binary, scratch):
    """dpkg-shlibdeps' answer for the binary (it wants a debian/control beside it)."""
    os.makedirs(os.path.join(scratch, "debian"), exist_ok=True)
    with open(os.path.join(scratch, "debian", "control"), "w") as f:
        f.write("Source: edgewatch\n\nPackage: edgewatch\nArchitecture: any\n")
    out = run("dpkg-shlibdeps", "-O", binary, cwd=scratch)
    found = re.search(r"shlibs:Depends=(.*)", out)
    return found.group(1).strip() if found else ""


def installed_config(text):
    """The default config, evaluating /etc/edgewatch/rules.d/*.yaml (the edge set installed there as
    a conffile, to edit) instead of the copy built into the binary."""
    for old, new in [("  builtin: [edge]\n", "  builtin: []\n"), ("  files: []\n", "  files: [rules.d/*.yaml]\n")]:
        if old not in text:
            sys.exit(f"make_deb: config/edgewatch.yaml has no line {old.strip()!r} to rewrite")
        text = text.replace(old, new, 1)
    return text


def build(binary, output_dir):
    version = run(binary, "--version").strip()
    arch = run("dpkg", "--print-architecture").strip()
    scratch = tempfile.mkdtemp(prefix="edgewatch-deb-")
    stage = os.path.join(scratch, "stage")
    try:
        bin_path = os.path.join(stage, "usr/bin/edgewatch")
        install(binary, bin_path, 0o755)
        run("strip", "--strip-unneeded", "--remove-section=.comment", "--remove-section=.note", bin_path)
        unit = open(os.path.join(ROOT, "config/edgewatch.service")).read()
        unit = unit.replace("/usr/local/bin/edgewatch", "/usr/bin/edgewatch")
        # The package's user owns the store (created by postinst) instead of a dynamic user.
        unit = unit.replace("DynamicUser=yes\n", "User=edgewatch\nGroup=edgewatch\n")
        install(None, os.path.join(stage, "lib/systemd/system/edgewatch.service"), text=unit)
        config = installed_config(open(os.path.join(ROOT, "config/edgewatch.yaml")).read())
        install(None, os.path.join(stage, "etc/edgewatch/edgewatch.yaml"), text=config)
        install(os.path.join(ROOT, "config/rules.yaml"), os.path.join(stage, "etc/edgewatch/rules.d/edge.yaml"))
        for shell, target in [("bash", "usr/share/bash-completion/completions/edgewatch"),
                              ("zsh", "usr/share/zsh/vendor-completions/_edgewatch"),
                              ("fish", "usr/share/fish/vendor_completions.d/edgewatch.fish")]:
            script = run(binary, "completion", shell)
            if shell == "bash" and script.startswith("#!"):
                script = script.split("\n", 1)[1]  # sourced, not run: no interpreter line
            install(None, os.path.join(stage, target), text=script)
        gzipped(open(os.path.join(ROOT, "docs/edgewatch.1"), "rb").read(), os.path.join(stage, "usr/share/man/man1/edgewatch.1.gz"))
        docs = os.path.join(stage, "usr/share/doc/edgewatch")
        install(os.path.join(ROOT, "packaging/debian/copyright"), os.path.join(docs, "copyright"))
        changelog = (f"edgewatch ({version}) unstable; urgency=medium\n\n  * Release {version}.\n\n"
                     f" -- edgewatch authors <edgewatch@example.org>  Mon, 30 Nov 2026 00:00:00 +0000\n")
        gzipped(changelog.encode(), os.path.join(docs, "changelog.gz"))
        control_dir = os.path.join(stage, "DEBIAN")
        os.makedirs(control_dir)
        for script in ["postinst", "prerm", "postrm"]:
            install(os.path.join(ROOT, "packaging/debian", script), os.path.join(control_dir, script), 0o755)
        install(None, os.path.join(control_dir, "conffiles"), text="/etc/edgewatch/edgewatch.yaml\n/etc/edgewatch/rules.d/edge.yaml\n")
        size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(stage) for f in fs if "/DEBIAN" not in d) // 1024
        shlibs = depends(bin_path, scratch)
        control = (
            f"Package: edgewatch\nVersion: {version}\nArchitecture: {arch}\n"
            f"Maintainer: edgewatch authors <edgewatch@example.org>\nInstalled-Size: {size}\n"
            f"Depends: adduser, {shlibs}\n"
            # Opened with dlopen by the hub only when configured: PostgreSQL storage, remote_write's snappy.
            "Suggests: libpq5, libsnappy1v5\nSection: admin\nPriority: optional\n"
            "Homepage: https://github.com/edgewatch/edgewatch\n"
            "Description: observability and health daemon for small k3s edge clusters\n"
            " One binary: the node agent (host, pod and GPU metrics and events into a local\n"
            " SQLite ring buffer, Prometheus alert rules evaluated on the device,\n"
            " store-and-forward to a hub), the terminal view, export and import, and the hub.\n"
        )
        install(None, os.path.join(control_dir, "control"), text=control)
        md5 = run("sh", "-c", "find usr lib etc -type f ! -path 'etc/*' -print0 | sort -z | xargs -0 md5sum", cwd=stage)
        install(None, os.path.join(control_dir, "md5sums"), text=md5)
        output = os.path.join(output_dir, f"edgewatch_{version}_{arch}.deb")
        run("dpkg-deb", "--root-owner-group", "-Zxz", "--build", stage, output)
        return output
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/edgewatch"))
    parser.add_argument("--output-dir", default=ROOT)
    args = parser.parse_args()
    try:
        print(build(args.binary, args.output_dir))
    except subprocess.CalledProcessError as error:
        sys.exit(f"make_deb: {' '.join(error.cmd)} failed: {error.stderr.strip()}")


if __name__ == "__main__":
    main()
