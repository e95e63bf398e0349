"""Running Debian's ``wrk`` for ``bench.api``: a Lua script per endpoint, results as JSON.

The script's ``done`` prints one line, ``BENCH_JSON {...}``, with req/s, p50/p99 (ms) and the
errors: socket errors, timeouts, and every answer that is not 2xx (or, for GraphQL, whose
body carries ``"errors"``), with the first such answer as a sample.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MARKER = "BENCH_JSON "

_DONE = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  sample = ""
end

function response(status, headers, body)
  local failed = status < 200 or status > 299
  if not failed and check_errors and body and string.find(body, '"errors"', 1, true) then
    failed = true
  end
  if failed then
    bad = bad + 1
    if sample == "" then
      sample = tostring(status) .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

local function clean(s)
  return (string.gsub(s, '[%c"\\]', " "))
end

function done(summary, latency, requests)
  local failures, first = 0, ""
  for _, t in ipairs(threads) do
    failures = failures + t:get("bad")
    if first == "" then first = t:get("sample") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"seconds":%.6f,"rps":%.3f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,'
      .. '"max_ms":%.3f,"non_2xx":%d,"socket_errors":%d,"timeouts":%d,"sample":"%s"}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, failures, e.connect + e.read + e.write, e.timeout, clean(first)))
end
"""


def _lua(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for ASCII text


@dataclass(frozen=True)
class Target:
    """What wrk sends: a fixed request, or scheduled sessions spread over many tandems."""

    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    check_graphql_errors: bool = False
    # a scheduling target: ``path`` and ``body_template`` with {tandem} filled in round-robin
    spread_over: tuple[str, ...] = ()
    body_template: str | None = None  # {tandem} and {starts} (ISO time) are filled in per request

    def script(self, first_start: int) -> str:
        lines = [f"check_errors = {'true' if self.check_graphql_errors else 'false'}"]
        lines.append(f"wrk.method = {_lua(self.method)}")
        lines.append(f"wrk.path = {_lua(self.path)}")
        for name, value in self.headers.items():
            lines.append(f"wrk.headers[{_lua(name)}] = {_lua(value)}")
        if self.body is not None:
            lines.append(f"wrk.body = {_lua(self.body)}")
        if self.spread_over:
            ids = ", ".join(_lua(t) for t in self.spread_over)
            lines += [
                f"local tandems = {{ {ids} }}",
                "local counter = 0",
                f"local first_start = {first_start}",
                "request = function()",
                "  counter = counter + 1",
                "  local tandem = tandems[(counter % #tandems) + 1]",
                # a new time for each session, every 7 minutes, wrapping after ~97 days
                "  local starts = os.date('!%Y-%m-%dT%H:%M:%SZ', first_start + (counter % 20000) * 420)",
                f"  local body = string.gsub({_lua(self.body_template or '')}, '{{tandem}}', tandem)",
                "  body = string.gsub(body, '{starts}', starts)",
                f"  local path = string.gsub({_lua(self.path)}, '{{tandem}}', tandem)",
                "  return wrk.format(nil, path, nil, body)",
                "end",
            ]
        return "\n".join(lines) + "\n" + _DONE


def available() -> str | None:
    return shutil.which("wrk")


def install() -> str:
    """``apt-get install wrk`` (as root) when it is missing; its path."""
    found = available()
    if found:
        return found
    if os.geteuid() != 0:
        raise RuntimeError("wrk is missing: install it with `sudo apt-get install -y wrk`")
    print("installing wrk (apt-get install -y wrk) …", flush=True)
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=False, capture_output=True)
    if not available():
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=True, capture_output=True)
    found = available()
    if not found:
        raise RuntimeError("apt-get did not install wrk")
    return found


def version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0] if text else "wrk"


def run(
    base_url: str,
    target: Target,
    *,
    connections: int,
    seconds: float,
    script_path: Path,
    cpus: list[int] | None,
    first_start: int = 0,
) -> dict[str, Any]:
    """One wrk run (1 thread); its JSON result."""
    script_path.write_text(target.script(first_start))
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(script_path),
        base_url,
    ]
    if cpus:
        command = ["taskset", "-c", ",".join(map(str, cpus)), *command]
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120, check=False)
    for line in out.stdout.splitlines():
        if line.startswith(MARKER):
            result: dict[str, Any] = json.loads(line[len(MARKER) :])
            return result
    raise RuntimeError(f"wrk printed no result (exit {out.returncode}):\n{out.stdout}\n{out.stderr}")
