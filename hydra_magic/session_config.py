"""The settings of one session (each declared once in :mod:`hydra_magic.settings`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from .iri import DEFAULT_BASE
from .outcomes import RetryPolicy
from .settings import SESSION_SETTINGS, setting

__all__ = ["SessionConfig"]


@dataclass
class SessionConfig:
    """Settings of a session. Each user setting is declared once in :mod:`hydra_magic.settings`
    (the magics' traits and ``[tool.hydra]`` come from there); this holds one session's values."""

    base: str = DEFAULT_BASE
    model: str = setting("model").default
    journal_dir: str | None = ".hydra"
    #: A SPARQL server to keep the session on instead of ``journal_dir`` (see hydra_magic.store.sparql_http).
    store: str = ""
    #: Inputs above this many characters are refused with a message saying how to raise it.
    max_input_chars: int = setting("max_input_chars").default
    chunk_chars: int = setting("chunk_chars").default
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    history_limit: int = setting("history_limit").default
    engine_options: dict[str, Any] = field(default_factory=dict)
    #: ``"default"``: facts resting on types inferred from a relation are kept, flagged
    #: ``type_inferred`` and counted apart; ``"strict"``: such facts are rejected (``untyped_entity``).
    types: str = setting("types").default
    #: Seconds a SPARQL query may run before it is stopped (``%%sparql``, CQ tests, :meth:`Session.query`).
    sparql_timeout: float = setting("sparql_timeout").default

    @property
    def max_attempts(self) -> int:
        """Tries per chunk or CQ batch (the retry policy's ``max_attempts``)."""
        return self.retry.max_attempts

    @max_attempts.setter
    def max_attempts(self, value: int) -> None:
        self.retry = replace(self.retry, max_attempts=value)

    @property
    def max_epochs(self) -> int:
        """Readings of each chunk by a model engine (the retry policy's ``max_epochs``)."""
        return self.retry.max_epochs

    @max_epochs.setter
    def max_epochs(self, value: int) -> None:
        self.retry = replace(self.retry, max_epochs=value)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"base": self.base}
        out.update({s.name: getattr(self, s.name) for s in SESSION_SETTINGS if s.saved})
        out["retry"] = {"max_attempts": self.retry.max_attempts, "base_delay": self.retry.base_delay,
                        "max_delay": self.retry.max_delay, "jitter": self.retry.jitter}
        return out


_dataclass_init = SessionConfig.__init__


def _init_with_alias(self: SessionConfig, *args: Any, engine: str | None = None, **kwargs: Any) -> None:
    """``SessionConfig(engine=...)``: the former name of ``model`` still works."""
    if engine is not None:
        if "model" in kwargs and kwargs["model"] != engine:
            raise TypeError(f"SessionConfig got model={kwargs['model']!r} and engine={engine!r}; engine is "
                            "the former name of model: give one.")
        kwargs["model"] = engine
    _dataclass_init(self, *args, **kwargs)


def _engine_alias(cfg: SessionConfig) -> str:
    return cfg.model


def _set_engine_alias(cfg: SessionConfig, value: str) -> None:
    cfg.model = value


# After the dataclass is made (so that replace() and fields() see model alone).
SessionConfig.__init__ = _init_with_alias  # type: ignore[method-assign]
SessionConfig.engine = property(_engine_alias, _set_engine_alias,  # type: ignore[attr-defined]
                                doc="The former name of :attr:`model`.")
