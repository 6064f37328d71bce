#!/usr/bin/env python3
"""Builds edgewatch-image.tar, an OCI archive of a from-scratch image, with Debian's buildah.

No registry is pulled: the image holds the stripped static binary, exactly the shared libraries
it links (ldd) plus the closures of those it opens at run time (libsystemd for the journal reader;
libpq and libsnappy for the hub's PostgreSQL storage and remote_write), the dynamic
loader, CA certificates, /etc/passwd and /etc/group with a non-root `edgewatch` user (65532), and
/etc/edgewatch/edgewatch.yaml set for a container with the host mounted at /host. The archive
names the image docker.io/edgewatch/edgewatch:<version>, the form k3s imports from
/var/lib/rancher/k3s/agent/images/.

buildah keeps its storage under a private scratch directory (vfs driver, chroot isolation), so the
machine is left as found.

Usage: scripts/make_image.py [--binary .build/release/edgewatch] [--output edgewatch-image.tar]
"""
import argparse, os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPOSITORY = "docker.io/edgewatch/edgewatch"
USER_ID = 65532
# Opened with dlopen: by the journal reader, by the hub for storage.postgres and for remote_write;
# their own dependencies come with them.
RUNTIME_LIBRARIES = ["libsystemd.so.0", "libpq.so.5", "libsnappy.so.1"]


def run(*command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs).stdout


def linked_libraries(path):
    """Absolute paths of what `path` links (ldd), the loader included."""
    found = []
    for line in run("ldd", path).splitlines():
        match = re.search(r"=>\s+(/\S+)", line) or re.match(r"\s*(/\S+)\s+\(", line)
        if match:
            found.append(match.group(1))
    return found


def library_path(name, beside):
    """`name` in the directory of `beside` (libc, so the same architecture), or None."""
    path = os.path.join(os.path.dirname(beside), name)
    return path if os.path.exists(path) else None


def container_config(text):
    """The default config with the host's filesystems under /host and the listener on every
    address (a DaemonSet on the host network; its kubelet probes the node's address)."""
    for old, new in [("  procfs: /proc\n", "  procfs: /host/proc\n"), ("  sysfs: /sys\n", "  sysfs: /host/sys\n"),
                     ("  rootfs: /\n", "  rootfs: /host/root\n"), ("listen: 127.0.0.1:9909\n", "listen: 0.0.0.0:9909\n")]:
        if old not in text:
            sys.exit(f"make_image: config/edgewatch.yaml has no line {old.strip()!r} to rewrite")
        text = text.replace(old, new, 1)
    return text


def stage_tree(binary, stage):
    """The image's files under `stage`; returns the list of libraries copied."""
    os.makedirs(os.path.join(stage, "usr/bin"))
    target = os.path.join(stage, "usr/bin/edgewatch")
    shutil.copyfile(binary, target)
    os.chmod(target, 0o755)
    run("strip", "--strip-unneeded", "--remove-section=.comment", target)
    libraries = set(linked_libraries(binary))
    libc = next(path for path in libraries if os.path.basename(path).startswith("libc.so"))
    for name in RUNTIME_LIBRARIES:
        path = library_path(name, libc)
        if path:
            libraries.add(path)
            libraries.update(linked_libraries(path))
    for path in sorted(libraries):
        destination = os.path.join(stage, path.lstrip("/"))
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copyfile(os.path.realpath(path), destination)
        os.chmod(destination, 0o755)
    etc = os.path.join(stage, "etc")
    os.makedirs(os.path.join(etc, "ssl/certs"))
    shutil.copyfile("/etc/ssl/certs/ca-certificates.crt", os.path.join(etc, "ssl/certs/ca-certificates.crt"))
    with open(os.path.join(etc, "passwd"), "w") as f:
        f.write(f"root:x:0:0:root:/root:/sbin/nologin\nedgewatch:x:{USER_ID}:{USER_ID}:edgewatch:/var/lib/edgewatch:/sbin/nologin\n")
    with open(os.path.join(etc, "group"), "w") as f:
        f.write(f"root:x:0:\nedgewatch:x:{USER_ID}:\n")
    os.makedirs(os.path.join(etc, "edgewatch/rules.d"))
    with open(os.path.join(etc, "edgewatch/edgewatch.yaml"), "w") as f:
        f.write(container_config(open(os.path.join(ROOT, "config/edgewatch.yaml")).read()))
    for directory in ["var/lib/edgewatch", "tmp", "host"]:
        os.makedirs(os.path.join(stage, directory), exist_ok=True)
    os.chmod(os.path.join(stage, "tmp"), 0o1777)
    return sorted(libraries)


def build(binary, output):
    version = run(binary, "--version").strip()
    scratch = tempfile.mkdtemp(prefix="edgewatch-image-")
    stage = os.path.join(scratch, "stage")
    storage = ["--root", os.path.join(scratch, "root"), "--runroot", os.path.join(scratch, "runroot"), "--storage-driver", "vfs"]
    environment = dict(os.environ, BUILDAH_ISOLATION="chroot")
    try:
        stage_tree(binary, stage)
        buildah = lambda *arguments: run("buildah", *storage, *arguments, env=environment).strip()
        container = buildah("from", "scratch")
        # Copied through a mount so ownership and modes stay as staged (the store directory
        # belongs to the image's user: a non-root run keeps its store there).
        os.chown(os.path.join(stage, "var/lib/edgewatch"), USER_ID, USER_ID)
        mount = buildah("mount", container)
        run("cp", "-a", stage + "/.", mount + "/")
        buildah("umount", container)
        config = ["--entrypoint", '["/usr/bin/edgewatch"]', "--cmd", "agent --config /etc/edgewatch/edgewatch.yaml",
                  "--user", f"{USER_ID}:{USER_ID}", "--workingdir", "/var/lib/edgewatch", "--port", "9909/tcp",
                  "--env", "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
                  "--label", f"org.opencontainers.image.version={version}",
                  "--label", "org.opencontainers.image.title=edgewatch",
                  "--label", "org.opencontainers.image.description=observability and health agent for small k3s edge clusters",
                  "--created-by", "scripts/make_image.py"]
        buildah("config", *config, container)
        if os.path.exists(output):
            os.remove(output)
        buildah("commit", "--format", "oci", "--disable-compression=false", "--rm", container, f"oci-archive:{output}:{REPOSITORY}:{version}")
        return output
    finally:
        subprocess.run(["buildah", *storage, "rm", "--all"], capture_output=True, env=environment)
        subprocess.run(["buildah", *storage, "rmi", "--all", "--force"], capture_output=True, env=environment)
        run_unmount(scratch)
        shutil.rmtree(scratch, ignore_errors=True)


def run_unmount(scratch):
    """vfs and overlay leave nothing mounted, but a killed buildah can: unmount what is under scratch."""
    with open("/proc/self/mounts") as f:
        mounts = [line.split()[1] for line in f if line.split()[1].startswith(scratch)]
    for mount in sorted(mounts, reverse=True):
        subprocess.run(["umount", "-l", mount], capture_output=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/release/edgewatch"))
    parser.add_argument("--output", default=os.path.join(ROOT, "edgewatch-image.tar"))
    args = parser.parse_args()
    try:
        print(build(args.binary, os.path.abspath(args.output)))
    except subprocess.CalledProcessError as error:
        sys.exit(f"make_image: {' '.join(error.cmd)} failed: {error.stderr.strip()}")


if __name__ == "__main__":
    main()
