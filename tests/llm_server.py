"""The scripted OpenAI-compatible server (hydra_magic.testing.llm_server) and its pytest fixture."""

from __future__ import annotations

from typing import Iterator

import pytest

from hydra_magic.testing.llm_server import *  # noqa: F401,F403 - the tests import the server's names from here
from hydra_magic.testing.llm_server import LLMServer


@pytest.fixture
def llm_server() -> Iterator[LLMServer]:
    """A started :class:`LLMServer`, stopped after the test."""
    with LLMServer() as srv:
        yield srv
