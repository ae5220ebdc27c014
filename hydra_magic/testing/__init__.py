"""Real servers on loopback, for the tests and benchmarks of hydra_magic and of code built on it.

* :mod:`.sparql_servers`: Oxigraph's server and OpenLink Virtuoso, started in a temporary directory
  on a free port and stopped after (``running_oxigraph``, ``running_virtuoso``);
* :mod:`.jupyterlab`: JupyterLab on a free port with a token, for browser tests (``running_lab``);
* :mod:`.llm_server`: a scripted OpenAI-compatible server (exact replies, failures, recorded requests);
* :mod:`.model_server`: SmolLM2-135M on llama.cpp's server (``make model-server``), and a recording proxy.

Nothing here is imported by the package itself; each module needs only the standard library
(and the server binaries it starts). A missing binary raises :class:`ServerUnavailable`, which a
test suite turns into a skip (or a failure, where the server is required).
"""

from .sparql_servers import ServerUnavailable

__all__ = ["ServerUnavailable"]
