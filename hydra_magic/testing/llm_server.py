"""A scripted, OpenAI-compatible chat-completions server for tests and benchmarks.

Standard library only (``ThreadingHTTPServer`` on 127.0.0.1, ephemeral port). No
real model is ever reached: every reply is scripted by the test.

Usage::

    with LLMServer() as srv:
        srv.script(Reply(json_content={"triples": [...]}), Reply(status=429))
        engine = LLMEngine("openai/x", api_base=srv.url, api_key="x")
        ...
        assert srv.calls == 2

A reply is chosen, per request, by (in that order) the queue given to
:meth:`LLMServer.script`, then the ``responder`` callable (``body -> Reply``),
then ``default``. A request with nothing to answer it gets HTTP 599 so a test
that makes an unexpected call fails loudly.

It records each request's path, headers and body (:attr:`LLMServer.paths`,
``headers``, ``requests``) and answers in the dialect the path asks for:
OpenAI's ``/v1/chat/completions``, Anthropic's ``/v1/messages`` and Ollama's
``/api/chat``, so a provider profile is tested by the exact request it sends.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

__all__ = ["FILM_TTL", "Reply", "LLMServer", "fenced", "prompt_text", "last_user"]

#: A small film ontology (Turtle for Session.add_ontology_turtle) shared by the LLM tests and benchmark.
FILM_TTL = """
:Thing a owl:Class .
:Person a owl:Class ; rdfs:subClassOf :Thing .
:Film a owl:Class ; rdfs:subClassOf :Thing .
:directedBy a owl:ObjectProperty ; rdfs:domain :Film ; rdfs:range :Person ; rdfs:label "directed by" .
:releaseYear a owl:DatatypeProperty ; rdfs:domain :Film ; rdfs:range xsd:integer .
"""


@dataclass
class Reply:
    """One scripted HTTP answer.

    ``content`` is the assistant message text; ``json_content`` is serialised to it.
    ``status`` other than 200 returns an OpenAI-style error body with ``error``.
    ``delay`` sleeps before answering (slow replies, simulated latency); ``drip`` sends the
    body one byte every ``drip`` seconds (a server that keeps a connection alive forever).
    """

    content: str | None = None
    json_content: Any = None
    status: int = 200
    error: str = "scripted error"
    delay: float = 0.0
    drip: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    finish_reason: str = "stop"
    model: str | None = None
    usage: dict[str, int] | None = None

    def text(self) -> str:
        if self.json_content is not None:
            return json.dumps(self.json_content)
        return self.content or ""


def fenced(obj: Any, prose: str = "Here is the JSON you asked for:") -> str:
    """``obj`` as JSON inside a Markdown code fence with prose around it."""
    return f"{prose}\n```json\n{json.dumps(obj, indent=2)}\n```\nLet me know if you need more."


def prompt_text(body: dict[str, Any]) -> str:
    """All message contents of a request, joined (for matching and token counts)."""
    parts = []
    for m in body.get("messages", []):
        c = m.get("content")
        if isinstance(c, list):
            c = " ".join(x.get("text", "") for x in c if isinstance(x, dict))
        parts.append(str(c or ""))
    return "\n".join(parts)


def last_user(body: dict[str, Any]) -> str:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    return str(users[-1].get("content", "")) if users else ""


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class LLMServer:
    """The scripted server; use as a context manager (``url`` ends in ``/v1``)."""

    def __init__(self, responder: Callable[[dict[str, Any]], Reply] | None = None,
                 default: Reply | None = None, latency: float = 0.0) -> None:
        self.responder = responder
        self.default = default
        self.latency = latency
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.paths: list[str] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.max_in_flight = 0
        self._in_flight = 0

    # ------------------------------------------------------------ scripting
    def script(self, *replies: Reply) -> "LLMServer":
        """Queue replies, answered first-in first-out."""
        with self._lock:
            self._queue.extend(replies)
        return self

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.headers.clear()
            self.paths.clear()
            self._queue.clear()
            self.max_in_flight = 0

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None:
            return self.responder(body)
        if self.default is not None:
            return self.default
        return Reply(status=599, error="llm_server: no scripted reply left for this request")

    # ------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def start(self) -> "LLMServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # /v1/models, for clients that probe
                self._send_json(200, {"object": "list", "data": [{"id": "x", "object": "model"}]})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._send_json(400, {"error": {"message": "bad request body", "type": "invalid_request_error"}})
                    return
                with server._lock:
                    server.requests.append(body)
                    server.headers.append({k.lower(): v for k, v in self.headers.items()})
                    server.paths.append(self.path)
                    server._in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server._in_flight)
                try:
                    reply = server._next(body)
                    if server.latency or reply.delay:
                        time.sleep(server.latency + reply.delay)
                    if reply.status != 200:
                        err_type = {401: "invalid_request_error", 404: "invalid_request_error",
                                    429: "rate_limit_error"}.get(reply.status, "server_error")
                        self._send_json(reply.status, {"error": {"message": reply.error, "type": err_type,
                                                                 "code": str(reply.status)}}, reply.headers)
                        return
                    if self.path.endswith("/messages"):
                        self._send_json(200, self._anthropic(body, reply), reply.headers, drip=reply.drip)
                    elif self.path.endswith("/api/chat"):
                        self._send_json(200, self._ollama(body, reply), reply.headers, drip=reply.drip)
                    elif body.get("stream"):
                        self._stream(body, reply)
                    else:
                        self._send_json(200, self._completion(body, reply), reply.headers, drip=reply.drip)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)
                finally:
                    with server._lock:
                        server._in_flight -= 1

            def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
                text = reply.text()
                usage = reply.usage or {"prompt_tokens": _tokens(prompt_text(body)),
                                        "completion_tokens": _tokens(text)}
                usage = dict(usage, total_tokens=usage["prompt_tokens"] + usage["completion_tokens"])
                return {
                    "id": f"chatcmpl-{len(server.requests)}", "object": "chat.completion",
                    "created": int(time.time()), "model": reply.model or body.get("model", "x"),
                    "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                                 "message": {"role": "assistant", "content": text}}],
                    "usage": usage,
                }

            def _usage(self, body: dict[str, Any], reply: Reply) -> dict[str, int]:
                return reply.usage or {"prompt_tokens": _tokens(prompt_text(body)),
                                       "completion_tokens": _tokens(reply.text())}

            def _anthropic(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
                """Anthropic's Messages API: the text (or a tool call, when tools were sent)."""
                u = self._usage(body, reply)
                content: list[dict[str, Any]] = [{"type": "text", "text": reply.text()}]
                if body.get("tools"):
                    content = [{"type": "tool_use", "id": "toolu_1", "name": body["tools"][0]["name"],
                                "input": json.loads(reply.text() or "{}")}]
                return {"id": f"msg_{len(server.requests)}", "type": "message", "role": "assistant",
                        "model": body.get("model", "x"), "content": content,
                        "stop_reason": {"stop": "end_turn", "length": "max_tokens"}.get(reply.finish_reason,
                                                                                         "end_turn"),
                        "usage": {"input_tokens": u["prompt_tokens"], "output_tokens": u["completion_tokens"]}}

            def _ollama(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
                """Ollama's /api/chat (not streamed)."""
                u = self._usage(body, reply)
                return {"model": body.get("model", "x"), "created_at": "2026-01-01T00:00:00Z",
                        "message": {"role": "assistant", "content": reply.text()}, "done": True,
                        "done_reason": reply.finish_reason, "prompt_eval_count": u["prompt_tokens"],
                        "eval_count": u["completion_tokens"]}

            def _stream(self, body: dict[str, Any], reply: Reply) -> None:
                text = reply.text()
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                model = reply.model or body.get("model", "x")
                pieces = [text[i:i + 16] for i in range(0, len(text), 16)] or [""]
                for n, piece in enumerate(pieces):
                    chunk = {"id": "chatcmpl-s", "object": "chat.completion.chunk", "created": int(time.time()),
                             "model": model, "choices": [{"index": 0, "delta": {"content": piece} if n else
                                                          {"role": "assistant", "content": piece},
                                                          "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                end = {"id": "chatcmpl-s", "object": "chat.completion.chunk", "created": int(time.time()),
                       "model": model, "choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]}
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()
                self.close_connection = True

            def _send_json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None,
                           drip: float = 0.0) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if not drip:
                    self.wfile.write(data)
                    return
                for i in range(len(data)):  # until the client gives up (BrokenPipeError ends it)
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    time.sleep(drip)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="llm-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> "LLMServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
