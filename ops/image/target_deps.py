"""The wheels the image's Python needs that a host `pip wheel` did not fetch.

`pip wheel` on the host evaluates environment markers for the host's interpreter, and a
dependency such as `async-timeout; python_full_version < "3.11.3"` differs between the host's
3.11.x and Debian's 3.11.2. So:

    python3 target_deps.py --environment                     (in the base image: its marker values)
    python target_deps.py WHEEL_DIR ROOT ENV_JSON            (on the host: the missing requirements)
    python target_deps.py WHEEL_DIR ROOT ENV_JSON --needed   (on the host: name==version of each
                                                              wheel the image installs, ROOT aside)

walks the Requires-Dist of the wheels from ROOT with the image's marker values and prints, one
per line, each requirement that no wheel in WHEEL_DIR provides (or, with --needed, the wheels
that the walk reached).
"""

from __future__ import annotations

import json
import os
import platform
import sys


def environment() -> dict[str, str]:
    """PEP 508 marker values of this interpreter, with the standard library only."""
    info = sys.implementation
    version = f"{info.version.major}.{info.version.minor}.{info.version.micro}"
    if info.version.releaselevel != "final":
        version += info.version.releaselevel[0] + str(info.version.serial)
    return {
        "implementation_name": info.name,
        "implementation_version": version,
        "os_name": os.name,
        "platform_machine": platform.machine(),
        "platform_release": platform.release(),
        "platform_system": platform.system(),
        "platform_version": platform.version(),
        "python_full_version": platform.python_version(),
        "platform_python_implementation": platform.python_implementation(),
        "python_version": ".".join(platform.python_version_tuple()[:2]),
        "sys_platform": sys.platform,
    }


def walk(folder: str, root: str, env: dict[str, str]) -> tuple[list[str], list[str]]:
    """(requirements no wheel provides, name==version of the wheels reached from root)"""
    import zipfile
    from email.parser import HeaderParser
    from pathlib import Path

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name, parse_wheel_filename

    requires: dict[str, list[Requirement]] = {}
    versions: dict[str, str] = {}
    for wheel in Path(folder).glob("*.whl"):
        name, version = parse_wheel_filename(wheel.name)[:2]
        name = canonicalize_name(name)
        versions[name] = str(version)
        with zipfile.ZipFile(wheel) as zf:
            meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
            headers = HeaderParser().parsestr(zf.read(meta).decode("utf-8"))
        requires[name] = [Requirement(r) for r in headers.get_all("Requires-Dist") or []]

    absent: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(canonicalize_name(root), frozenset[str]())]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for req in requires.get(name, []):
            wanted = req.marker is None or any(
                req.marker.evaluate({**env, "extra": extra}) for extra in (extras or {""})
            )
            if not wanted:
                continue
            dep = canonicalize_name(req.name)
            if dep in requires:
                todo.append((dep, frozenset(req.extras)))
            else:
                absent[dep] = f"{req.name}{req.specifier}"
    reached = {name for name, _ in seen} - {canonicalize_name(root)}
    return sorted(absent.values()), sorted(f"{name}=={versions[name]}" for name in reached)


if __name__ == "__main__":
    if sys.argv[1:] == ["--environment"]:
        print(json.dumps(environment()))
    else:
        folder, root, env_json, *flags = sys.argv[1:]
        absent, needed = walk(folder, root, json.loads(env_json))
        print("\n".join(needed if flags == ["--needed"] else absent))
