"""Real SPARQL servers on loopback for the store tests: Oxigraph's server (PyPI ``oxigraph``) and
OpenLink Virtuoso (Debian ``virtuoso-opensource``).

Each is started in a temporary directory on a free port, waited for, and stopped after. Where
the binary is missing :class:`ServerUnavailable` says how to install it (hydra_magic's tests skip
then, or fail with HYDRA_REQUIRE_STORES=1, as ``.ci/run`` sets it).
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
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["ServerUnavailable", "oxigraph_binary", "running_oxigraph", "running_virtuoso", "free_port"]


class ServerUnavailable(RuntimeError):
    """The server's binary is not installed here; the message says how to install it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str | None:
    here = Path(sys.executable).parent / "oxigraph"
    return str(here) if here.is_file() else shutil.which("oxigraph")


@contextmanager
def _serving(argv: list[str], directory: Path, probe: str, *, name: str, wait: float) -> Iterator[None]:
    """Run ``argv`` in its own process group until ``probe`` answers; stop the whole group after."""
    log_path = directory / f"{name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(argv, cwd=directory, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    urllib.request.urlopen(probe, timeout=2).read()
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"{name} did not start: {log_path.read_text()[-2000:]}") from None
                    time.sleep(0.2)
            yield
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def running_oxigraph(directory: Path) -> Iterator[str]:
    """Start ``oxigraph serve`` on a free loopback port; yields its store URL; stops it after."""
    binary = oxigraph_binary()
    if binary is None:
        raise ServerUnavailable("Oxigraph's server is not installed: pip install oxigraph")
    port = free_port()
    argv = [binary, "serve", "--location", str(directory / "data"), "--bind", f"127.0.0.1:{port}"]
    with _serving(argv, directory, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", name="oxigraph", wait=30):
        yield f"oxigraph+http://127.0.0.1:{port}"


def virtuoso_binaries() -> tuple[str, str] | None:
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    return (server, isql) if server and isql else None


_VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def running_virtuoso(directory: Path) -> Iterator[str]:
    """Start OpenLink Virtuoso (Debian's virtuoso-opensource) on free loopback ports; yields its store URL.

    The Debian ini is copied with its files moved into ``directory``, both ports on loopback, and
    ResultSetMaxRows raised from 10,000 (a larger session would otherwise come back cut short; the
    store refuses to open one that does). Anonymous SPARQL UPDATE is granted through isql, as a
    server for one team on a trusted network would be set up (or use HYDRA_STORE_USER/PASSWORD).
    """
    found = virtuoso_binaries()
    if found is None or not _VIRTUOSO_INI.is_file():
        raise ServerUnavailable("Virtuoso is not installed: apt-get install virtuoso-opensource")
    server, isql = found
    import re

    sql_port, http_port = free_port(), free_port()
    ini = _VIRTUOSO_INI.read_text()
    ini = ini.replace("/var/lib/virtuoso-opensource-7/db", str(directory))
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111\b.*$", f"ServerPort = 127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890\b.*$", f"ServerPort = 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 10000000", ini)
    ini = re.sub(r"(?m)^DirsAllowed\s*=.*$", f"DirsAllowed = ., {directory}", ini)
    (directory / "virtuoso.ini").write_text(ini)
    argv = [server, "-f", "-c", str(directory / "virtuoso.ini")]
    with _serving(argv, directory, f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", name="virtuoso", wait=90):
        grant = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);"
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={grant}"], check=True,
                       capture_output=True, timeout=60)
        yield f"sparql+http://127.0.0.1:{http_port}/sparql"
