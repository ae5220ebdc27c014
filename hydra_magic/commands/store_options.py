"""``--store URL`` and ``--session NAME``: the CLI commands that open a session can keep it on a SPARQL server.

The same session a notebook gets with ``%hydra store URL`` (or
``SessionConfig(store=URL)``): named graphs per source, evidence, the change
log. Credentials come only from ``HYDRA_STORE_USER`` and
``HYDRA_STORE_PASSWORD`` (HTTP Basic): a command line is visible to every user
of the machine (``ps``) and lands in shell histories, so there is no option for
them, and a URL that carries them is refused without echoing them.
"""

from __future__ import annotations

import argparse

from ..errors import InputError

__all__ = ["STORE_HELP", "add_store_arguments", "check_store_arguments", "MODEL_HELP", "add_model_argument",
           "session_name"]

STORE_HELP = ("keep the session on a SPARQL 1.1 server instead of in memory: sparql+http(s)://HOST:PORT/PATH "
              "(one endpoint: Virtuoso, Fuseki), sparql+http://HOST:PORT/query?update=/update (split endpoints) "
              "or oxigraph+http://HOST:PORT. Credentials only from the environment variables HYDRA_STORE_USER "
              "and HYDRA_STORE_PASSWORD (HTTP Basic), never on the command line")

MODEL_HELP = ("'rules' (the offline engine, default) or a litellm model such as openai/gpt-4o-mini or "
              "openai/NAME with --api-base for a local server; --engine is the same option")


def add_model_argument(p: argparse.ArgumentParser) -> None:
    """``--model NAME`` (the notebook's word) with ``--engine NAME`` as its alias, both stored as ``engine``."""
    p.add_argument("--model", "--engine", dest="engine", metavar="MODEL", default="rules", help=MODEL_HELP)


def add_store_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", metavar="URL", help=STORE_HELP)
    p.add_argument("--session", metavar="NAME",
                   help="with --store: the name of the session on the server (default 'cli'); sessions share a "
                        "server without sharing graphs")


def check_store_arguments(args: argparse.Namespace) -> None:
    """``--session`` means nothing without ``--store``: say so instead of ignoring it."""
    if getattr(args, "session", None) and not getattr(args, "store", None):
        raise InputError(f"--session {args.session!r} names a session kept on a SPARQL server: give --store URL "
                         "too (e.g. --store oxigraph+http://127.0.0.1:7878), or leave --session out.")
    if getattr(args, "store", None) is not None and not str(args.store).strip():
        raise InputError("--store is empty: give a SPARQL server URL such as oxigraph+http://127.0.0.1:7878 or "
                         "sparql+http://HOST:PORT/sparql.")


def session_name(args: argparse.Namespace) -> str:
    return str(getattr(args, "session", None) or "cli")
