"""A small SPARQL 1.1 Protocol client: queries, updates, deadlines, credentials from the environment.

Store URLs name the server and, where it splits them, its query and update endpoints::

    sparql+http://host:8890/sparql                  one endpoint for both (Virtuoso, Fuseki's /ds)
    sparql+http://host:7878/query?update=/update    query and update apart (Oxigraph server)
    oxigraph+http://host:7878                       Oxigraph server's /query and /update
    sparql+https://…                                the same over TLS

Credentials never appear in the URL, the session's state or any output: they come from
``HYDRA_STORE_USER`` and ``HYDRA_STORE_PASSWORD`` (HTTP Basic). Every request has an overall
deadline: a server that sends its answer one byte at a time cannot hold a cell past it.
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from ..errors import JournalError

__all__ = ["SparqlEndpoint", "StoreUnreachable", "USER_VARIABLE", "PASSWORD_VARIABLE", "is_store_url"]

USER_VARIABLE = "HYDRA_STORE_USER"
PASSWORD_VARIABLE = "HYDRA_STORE_PASSWORD"
_SCHEMES = ("sparql+http://", "sparql+https://", "oxigraph+http://", "oxigraph+https://")


def is_store_url(text: str) -> bool:
    return isinstance(text, str) and text.startswith(_SCHEMES)


class StoreUnreachable(JournalError):
    """The server did not answer (refused, reset, past the deadline): whether a write took effect is unknown."""


@dataclass(frozen=True)
class SparqlEndpoint:
    """Where to send queries and updates, and how long to wait for each."""

    query_url: str
    update_url: str
    #: Seconds a request may take in all (connect, send, the whole answer).
    timeout: float = 30.0

    @classmethod
    def from_url(cls, url: str, *, timeout: float = 30.0) -> "SparqlEndpoint":
        if not is_store_url(url):
            raise JournalError(f"{url!r} is not a store URL. Use sparql+http://HOST:PORT/PATH (one endpoint), "
                               "sparql+http://HOST:PORT/query?update=/update (two), or oxigraph+http://HOST:PORT.")
        scheme, rest = url.split("+", 1)
        parts = urllib.parse.urlsplit(rest)
        if parts.username or parts.password:
            raise JournalError(f"The store URL {_without_credentials(url)} carries credentials; they would be "
                               f"saved and shown. Set {USER_VARIABLE} and {PASSWORD_VARIABLE} instead.")
        if not parts.hostname:
            raise JournalError(f"The store URL {url!r} names no host, e.g. sparql+http://127.0.0.1:7878/query.")
        root = f"{parts.scheme}://{parts.netloc}"
        if scheme == "oxigraph":
            return cls(root + "/query", root + "/update", timeout)
        query_path = parts.path or "/sparql"
        update = urllib.parse.parse_qs(parts.query).get("update", [query_path])[0]
        return cls(root + query_path, root + update if update.startswith("/") else update, timeout)

    # ------------------------------------------------------------ requests
    def select(self, query: str) -> list[dict[str, Any]]:
        """SELECT rows as ``{variable: SPARQL JSON term}`` (unbound variables left out)."""
        body = self._post(self.query_url, {"query": query}, "application/sparql-results+json")
        try:
            data = json.loads(body)
            return list(data["results"]["bindings"])
        except (ValueError, KeyError, TypeError) as exc:
            raise JournalError(f"The store at {self.query_url} answered a SELECT with something that is not "
                               f"SPARQL JSON results ({exc}): {body[:200]!r}.") from exc

    def ask(self, query: str) -> bool:
        body = self._post(self.query_url, {"query": query}, "application/sparql-results+json")
        try:
            return bool(json.loads(body)["boolean"])
        except (ValueError, KeyError, TypeError) as exc:
            raise JournalError(f"The store at {self.query_url} answered an ASK with {body[:200]!r}.") from exc

    def construct(self, query: str) -> bytes:
        """A CONSTRUCT's triples as N-Triples."""
        return self._post(self.query_url, {"query": query}, "application/n-triples")

    def query(self, text: str, default_graphs: tuple[str, ...], accept: str) -> bytes:
        """A user's query over the union of ``default_graphs`` (``default-graph-uri``), answered as ``accept``."""
        return self._post(self.query_url, [("query", text), *(("default-graph-uri", g) for g in default_graphs)],
                          accept)

    def update(self, text: str, *, direct: bool = False) -> None:
        """One SPARQL Update request (the server applies it as one transaction or not at all).

        ``direct``: sent from the calling thread (see :meth:`_post`), for a finalizer.
        """
        self._post(self.update_url, {"update": text}, "*/*", direct=direct)

    # ------------------------------------------------------------ transport
    def _post(self, url: str, form: dict[str, str] | list[tuple[str, str]], accept: str, *,
              direct: bool = False) -> bytes:
        data = urllib.parse.urlencode(form).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": accept}
        user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
        if user is not None or password is not None:
            token = base64.b64encode(f"{user or ''}:{password or ''}".encode()).decode()
            headers["Authorization"] = "Basic " + token
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            if direct:
                # From a finalizer (a Session dropped by the garbage collector): the collector may run
                # inside ThreadPoolExecutor.submit, which holds a module-wide lock that a second submit
                # waits on forever (seen as a hung test). The socket timeout bounds each wait here.
                return self._send(request)
            # The request runs in a worker thread so that the deadline holds however the server sends its
            # bytes (a socket timeout only bounds the gap between two of them).
            pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="hydra-sparql")
            future = pool.submit(self._send, request)
            pool.shutdown(wait=False)
            return future.result(timeout=self.timeout)
        except concurrent.futures.TimeoutError:
            raise StoreUnreachable(f"The store at {url} did not answer within {self.timeout:g} s.") from None
        except urllib.error.HTTPError as exc:
            detail = exc.read(2000).decode("utf-8", "replace").strip()
            if exc.code in (401, 403):
                have = "are set" if user is not None else "are not set"
                raise JournalError(f"The store at {url} refused the credentials (HTTP {exc.code}): set "
                                   f"{USER_VARIABLE} and {PASSWORD_VARIABLE} to an account that may read and "
                                   f"write it (they {have}). Nothing changed.") from exc
            raise JournalError(f"The store at {url} answered HTTP {exc.code}: {detail[:500]}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreUnreachable(f"The store at {url} did not answer ({reason}). Check that it is running and "
                                   "reachable from this machine.") from exc

    def _send(self, request: urllib.request.Request) -> bytes:
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:
            return bytes(reply.read())


def _without_credentials(url: str) -> str:
    scheme, rest = url.split("+", 1) if "+" in url else ("", url)
    parts = urllib.parse.urlsplit(rest)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    clean = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return f"{scheme}+{clean}" if scheme else clean
