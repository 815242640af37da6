"""Running wrk (the Debian package) and reading what it prints."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class WrkResult:
    rate: float
    errors: int  # non-2xx/3xx responses and socket errors
    latency_ms: dict[str, float]


def available() -> bool:
    return shutil.which("wrk") is not None


def parse(output: str) -> WrkResult:
    rate = RATE.search(output)
    if rate is None:
        raise RuntimeError(f"wrk printed no rate:\n{output}")
    errors = int(NON_2XX.search(output).group(1)) if NON_2XX.search(output) else 0
    sockets = SOCKET_ERRORS.search(output)
    if sockets:
        errors += sum(int(group) for group in sockets.groups())
    latency = {f"p{match.group(1)}": float(match.group(2)) * UNITS[match.group(3)]
               for match in LATENCY.finditer(output)}
    return WrkResult(float(rate.group(1)), errors, latency)


def lua_string(text: str) -> str:
    """A Lua string literal for any text: its UTF-8 bytes, with quotes, backslashes and anything not
    printable ASCII written as Lua's decimal escapes."""
    return '"' + "".join(chr(byte) if 32 <= byte < 127 and byte not in b'"\\' else f"\\{byte:03d}"
                         for byte in text.encode("utf-8")) + '"'


def post_script(body: str, headers: dict[str, str]) -> str:
    """A wrk script that sends every request as a POST with this body and these headers."""
    lines = ['wrk.method = "POST"', f"wrk.body = {lua_string(body)}"]
    lines += [f"wrk.headers[{lua_string(name)}] = {lua_string(value)}" for name, value in headers.items()]
    return "\n".join(lines) + "\n"


def run(url: str, cookie: str | None, *, seconds: float, connections: int = 8, threads: int = 2,
        script: Path | None = None) -> WrkResult:
    """`cookie` is a signed-in session (None for an API client); `script` a Lua file (post_script)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script is not None:
        command += ["-s", str(script)]
    finished = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse(finished.stdout)
