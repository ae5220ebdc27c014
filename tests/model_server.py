"""The local SmolLM2 server (hydra_magic.testing.model_server) and its pytest fixture."""

from __future__ import annotations

from typing import Iterator

import pytest

from hydra_magic.testing.model_server import *  # noqa: F401,F403 - the tests import the server's names from here
from hydra_magic.testing.model_server import ModelServer, ModelServerError, require_model


@pytest.fixture(scope="session")
def model_server() -> Iterator[ModelServer]:
    """A started :class:`ModelServer` for the whole test session; skipped (or failed in CI) if impossible."""
    try:
        server = ModelServer().start()
    except ModelServerError as exc:
        if require_model():
            pytest.fail(f"HYDRA_REQUIRE_MODEL=1 but the model server cannot start: {exc}")
        pytest.skip(f"no local model server: {exc}")
    try:
        yield server
    finally:
        server.stop()
