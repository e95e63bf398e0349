"""Refuse wheels the image's Python cannot install: check_wheels.py WHEEL_DIR PY_VERSION GLIBC.

Same rules as pip inside the image (CPython ABI, manylinux glibc level), checked before the
build so a mismatch names the wheel. A plain linux_x86_64 wheel was compiled here, so it is
accepted only when this machine's glibc is not newer than the image's.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from packaging.tags import compatible_tags, cpython_tags
from packaging.utils import parse_wheel_filename


def main(folder: str, py_version: str, glibc: str) -> int:
    major, minor = (int(p) for p in py_version.split("."))
    g_major, g_minor = (int(p) for p in glibc.split(".")[:2])
    arch = platform.machine()
    platforms = [f"manylinux_{g_major}_{m}_{arch}" for m in range(g_minor, 4, -1)]
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    platforms += [f"{name}_{arch}" for level, name in legacy.items() if g_major == 2 and level <= g_minor]
    host_glibc = tuple(int(p) for p in platform.libc_ver()[1].split(".")[:2])
    if host_glibc <= (g_major, g_minor):
        platforms.append(f"linux_{arch}")
    supported = set(cpython_tags((major, minor), platforms=platforms))
    supported |= set(compatible_tags((major, minor), f"cp{major}{minor}", platforms=platforms))
    wheels = sorted(Path(folder).glob("*.whl"))
    bad = [w.name for w in wheels if not (parse_wheel_filename(w.name)[3] & supported)]
    for name in bad:
        print(f"not installable on CPython {py_version} / glibc {glibc}: {name}", file=sys.stderr)
    if not wheels:
        print(f"no wheels in {folder}", file=sys.stderr)
    return 1 if bad or not wheels else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
