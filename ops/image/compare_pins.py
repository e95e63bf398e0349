"""Read `pip list --format=freeze` on stdin; fail unless every package is pinned at that version
in the constraints file given as argument (tandem itself and the venv's pip/setuptools aside)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

OWN = {"tandem", "pip", "setuptools"}


def canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            found[canon(name.split("[", 1)[0])] = version.strip()
    return found


def main(constraints: str) -> int:
    wanted = pins(Path(constraints).read_text(encoding="utf-8"))
    installed = {k: v for k, v in pins(sys.stdin.read()).items() if k not in OWN}
    wrong = [
        f"{n}=={v} (constraints.txt: {wanted.get(n, 'not pinned')})"
        for n, v in sorted(installed.items())
        if wanted.get(n) != v
    ]
    for line in wrong:
        print("in the image:", line, file=sys.stderr)
    print(f"{len(installed)} packages in the image, {len(wrong)} off the pins", file=sys.stderr)
    return 1 if wrong or not installed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
