"""Where a server's CPU time goes under load: py-spy samples, summed by layer (``--profile``).

py-spy samples the running ``tandem serve`` from outside (no instrumentation in the process);
each sample is charged to the layer of its innermost frame: the library that was running, or
Tandem's own code. SQLAlchemy runs its synchronous part on greenlets, which py-spy shows as
stacks of their own; charging by the innermost frame counts them with the rest.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

# the first fragment found in a frame's file names its layer; order matters (app/ last)
LAYERS = (
    ("sqlalchemy/", "SQLAlchemy"),
    ("asyncpg/", "asyncpg (driver)"),
    ("strawberry/", "Strawberry + graphql-core"),
    ("graphql/", "Strawberry + graphql-core"),
    ("fastapi/", "FastAPI + Starlette"),
    ("starlette/", "FastAPI + Starlette"),
    ("pydantic", "pydantic"),
    ("joserfc/", "JWT (joserfc)"),
    ("cryptography/", "JWT (joserfc)"),
    ("uvicorn/", "uvicorn + HTTP parsing"),
    ("httptools", "uvicorn + HTTP parsing"),
    ("prometheus_client/", "metrics (prometheus-client)"),
    ("logging/", "logging (access log)"),
    ("(app/", "Tandem's own code"),
)


def py_spy() -> str:
    """The py-spy executable, installed into this environment when missing."""
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "py-spy"], check=True)
    return found


def record(pid: int, seconds: float, out: Path) -> Path:
    subprocess.run(
        [py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "250",
         "--format", "raw", "--output", str(out), "--nonblocking"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return out


IDLE = "event loop: waiting for I/O (PostgreSQL, clients)"
WRAPPERS = ("app/cli/", "Middleware.__call__", "(app/api/middleware.py", "(app/api/metrics.py")


def layer_of(frame: str) -> str:
    if frame.startswith("Runner.run (asyncio/runners.py"):
        return IDLE  # uvloop's loop runs in C: a sample that ends here is the loop polling
    for fragment, name in LAYERS:
        if fragment in frame:
            return name
    return "Python runtime + stdlib (asyncio, json, uuid, …)"


def summarize(raw: Path, top: int = 8) -> list[str]:
    """Lines: the share of each layer, then Tandem's functions that hold the most time."""
    layers: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not count.isdigit() or any("threading.py" in f for f in frames[:2]):
            continue  # a frame name py-spy broke over two lines; idle worker threads (anyio's pool)
        n = int(count)
        total += n
        layers[layer_of(frames[-1])] += n
        seen = set()
        for frame in frames:
            if "(app/" in frame and frame not in seen and not any(w in frame for w in WRAPPERS):
                seen.add(frame)
                ours[frame.split(" (")[0]] += n
    if not total:
        return ["no samples"]
    lines = [f"  {share / total:6.1%}  {name}" for name, share in layers.most_common()]
    lines.append("  Tandem functions holding the most time (including what they call; middlewares left out):")
    lines += [f"  {share / total:6.1%}  {name}" for name, share in ours.most_common(top)]
    return lines
