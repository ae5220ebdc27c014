"""Real SPARQL servers on loopback for the store tests: Oxigraph's server (PyPI ``oxigraph``).

Each is started in a temporary directory on a free port, waited for, and stopped after. Where
the binary is missing the tests skip and say how to install it (``.ci/run`` installs it and
sets HYDRA_REQUIRE_STORES=1, which turns the skip into a failure).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

__all__ = ["oxigraph_binary", "running_oxigraph", "free_port"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.is_file() else shutil.which("oxigraph")


def skip_or_fail(why: str) -> None:
    if os.environ.get("HYDRA_REQUIRE_STORES"):
        pytest.fail(f"{why} (HYDRA_REQUIRE_STORES is set, so the store servers are required)")
    pytest.skip(why)


def running_oxigraph(directory: Path) -> Iterator[str]:
    """Start ``oxigraph serve`` on a free loopback port; yields its store URL; stops it after."""
    binary = oxigraph_binary()
    if binary is None:
        skip_or_fail("Oxigraph's server is not installed: pip install oxigraph")
    assert binary is not None
    port = free_port()
    log = open(directory / "oxigraph.log", "wb")
    proc = subprocess.Popen([binary, "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start: {(directory / 'oxigraph.log').read_text()}")
                time.sleep(0.1)
        yield f"oxigraph+http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
