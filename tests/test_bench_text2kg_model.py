"""``hydra bench text2kgbench`` on a real model: SmolLM2-135M behind llama.cpp (the ``model`` tests).

Two sentences (of the tiny data set of test_bench_text2kg), at most two attempts each and a bounded
reply, so the model runs a handful of short calls. The model is tiny and usually wrong; the test
asserts the bookkeeping and the contracts, never the model's content: every sentence is answered,
nothing fails in transport, every refusal has a rule code, and, since the sentences never state
what the people are, no relation fact can be accepted as verified (its object's type can only be
the model's say-so, which is not evidence).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from hydra_magic.bench.text2kgbench import run
from hydra_magic.issues import CODES

from .model_server import ENGINE_MODEL, ModelServer, model_server  # noqa: F401
from .test_bench_text2kg import tiny_data

pytestmark = pytest.mark.model


def test_the_bench_runs_a_real_model_through_the_contracts(model_server: ModelServer,  # noqa: F811
                                                            tmp_path: Path) -> None:
    out = io.StringIO()
    res = run(tiny_data(tmp_path), engine=ENGINE_MODEL, api_base=model_server.api_base, use_cache=False,
              per_ontology=2, max_attempts=2, timeout=180, out=out,
              engine_options={"max_tokens": {"extract": 256}, "concurrency": 1})
    m = res["model_output"]
    print(out.getvalue())  # the figures, for whoever reads the test log
    assert m["sentences"] == 2
    assert set(m["failed"]) <= {"parse_error"}, m["first_errors"]  # the words may be unusable; the exchange not
    assert m["accepted"] == m["verified"] + m["flagged"]
    assert m["verified"] == 0 and m["verified_not_in_gold"] == 0
    assert m["accepted_in_gold"] <= m["accepted"] <= m["proposed"]
    sentences = res["ontologies"]["1_movie"]["per_sentence"]
    assert len(sentences) == 2
    for s in sentences:
        for r in s.get("rejected", []):
            assert r["codes"] and set(r["codes"]) <= set(CODES), r
    assert sum(m["rejected"].values()) == sum(len(s.get("rejected", [])) for s in sentences)
    assert 2 <= m["calls"] <= res["usage"]["calls"] + res["usage"]["cache_hits"]
    assert "contracts let through" in out.getvalue()
