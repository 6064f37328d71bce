"""Writing generated files, or (--check) failing when the committed ones differ: shared by the
scripts that generate files kept in the repository (make_k3s.py, make_dashboards.py)."""
import os, sys


def write_or_check(files, check, remedy):
    """`files`: {path: text}. Writes each that differs and prints its path; with `check`, writes
    nothing and exits 1 naming the stale ones and `remedy` (the make target that regenerates)."""
    stale = []
    for path, text in files.items():
        current = open(path).read() if os.path.exists(path) else None
        if current == text:
            continue
        if check:
            stale.append(path)
        else:
            with open(path, "w") as f:
                f.write(text)
            print(path)
    if stale:
        sys.exit(f"stale (run {remedy}): " + ", ".join(stale))
