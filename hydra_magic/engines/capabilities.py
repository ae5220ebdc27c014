"""What an engine can do, declared by the engine and read by the pipeline.

``repair``: the engine reads ``feedback`` (the rejected candidates with their
issues) and may answer differently, so a second attempt can help. An engine that
does not say so is asked once: the offline engine answers the same input the
same way, so it is never asked to retry, nor made to wait for one.

``concurrency``: the engine has an ``async aextract`` and limits its own requests
(the model engine's per-model limiter), so the pipeline may run the chunks of a
text at the same time.

``gleaning``: the engine's ``extract`` takes ``found`` (the candidates already
found in the chunk) and looks for facts not in it, so re-reading a chunk can find
more (HyDRA's extraction epochs). An engine that does not say so reads a chunk
once: the offline engine would find exactly the same facts again.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

__all__ = ["Capabilities", "capabilities_of"]


@dataclass(frozen=True)
class Capabilities:
    repair: bool = False
    concurrency: bool = False
    gleaning: bool = False


def capabilities_of(engine: Any) -> Capabilities:
    """The engine's declared :class:`Capabilities` (``engine.capabilities``); undeclared: none of them.

    ``concurrency`` holds only where the engine really has an ``async aextract``.
    """
    declared = getattr(engine, "capabilities", None)
    has_async = inspect.iscoroutinefunction(getattr(engine, "aextract", None))
    if isinstance(declared, Capabilities):
        return Capabilities(declared.repair, declared.concurrency and has_async, declared.gleaning)
    return Capabilities(repair=False, concurrency=has_async)
