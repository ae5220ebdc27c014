"""A real model in the loop: SmolLM2-135M-Instruct behind llama.cpp's OpenAI-compatible server.

The model is tiny and usually wrong; these tests assert the protocol and the
verdict bookkeeping, never the model's content: the engine negotiates the
structured-output shape llama.cpp takes (``json_object`` with a ``schema``),
never sends a refused shape twice, always sends ``max_tokens``, and every
candidate the model proposes reaches the contracts and comes out accepted or
rejected with a rule code.

One extraction (three short TekGen-like sentences) goes through a recording
proxy and is shared by the tests of this module, so the model runs a bounded
number of short calls. Skipped, saying why, when the server cannot start here;
failed instead with ``HYDRA_REQUIRE_MODEL=1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import pytest

from hydra_magic.issues import CODES
from hydra_magic.pipeline import RetryPolicy
from hydra_magic.session import Session, SessionConfig

from .llm_server import FILM_TTL
from .model_server import ENGINE_MODEL, ModelServer, RecordingProxy, model_server  # noqa: F401

pytestmark = pytest.mark.model

SENTENCES = ("Alien is a 1979 science fiction horror film directed by Ridley Scott. "
             "Heat was directed by Michael Mann in 1995. "
             "Jaws is a 1975 film directed by Steven Spielberg.")

#: Enough for a handful of triples; bounds the time of every call.
MAX_TOKENS = 384


@dataclass
class Run:
    engine: Any
    result: Any
    proxy: RecordingProxy
    returned: list[list[Any]]  # candidates each aextract call handed to the pipeline
    checked: list[tuple[int, Any]]  # (candidates in, verdict) of each check_triples call


@pytest.fixture(scope="module")
def run(model_server: ModelServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """One extraction through a recording proxy, with spies on what reaches the contracts."""
    import hydra_magic.pipeline as pipeline
    from hydra_magic.engines import get_engine

    tmp = tmp_path_factory.mktemp("real-model")
    with RecordingProxy(model_server.api_base) as proxy:
        engine = get_engine(ENGINE_MODEL, api_base=proxy.api_base, cache_dir=str(tmp / "cache"), use_cache=False,
                            timeout=180, max_tokens={"extract": MAX_TOKENS}, concurrency=1)
        returned: list[list[Any]] = []
        checked: list[tuple[int, Any]] = []
        original_aextract, original_check = engine.aextract, pipeline.check_triples

        async def aextract(chunk: Any, ontology: Any, kg: Any, feedback: Any = (), **kw: Any) -> Any:
            out = await original_aextract(chunk, ontology, kg, feedback, **kw)  # found= in a gleaning epoch
            returned.append(list(out))
            return out

        def check(candidates: Any, *args: Any, **kw: Any) -> Any:
            verdict = original_check(candidates, *args, **kw)
            checked.append((len(candidates), verdict))
            return verdict

        engine.aextract = aextract
        mp = pytest.MonkeyPatch()
        mp.setattr(pipeline, "check_triples", check)
        try:
            policy = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.05)
            s = Session("real", SessionConfig(journal_dir=str(tmp / "journal"), retry=policy), engine=engine)
            s.add_ontology_turtle(FILM_TTL)
            result = s.extract(SENTENCES, source="tekgen")
        finally:
            mp.undo()
        yield Run(engine, result, proxy, returned, checked)


def test_extraction_finishes_with_no_transport_or_protocol_failure(run: Run) -> None:
    # A chunk may only fail because the model's words were unusable, never because of the exchange.
    assert all(err.startswith("[parse_error]") for _, err in run.result.failed_chunks), run.result.failed_chunks
    posts = run.proxy.posts()
    assert posts and all(x.status in (200, 500) for x in posts)
    assert [x for x in posts if x.status != 200] == [x for x in posts if x.shape == "json_schema"]
    assert not [r for r in run.engine.replies() if r.error and r.response_format != "json_schema"]


def test_every_candidate_reaches_the_contracts_and_gets_a_verdict(run: Run) -> None:
    proposed = [c for c in run.returned if c]
    assert proposed, "the model proposed no triple at all"
    # every candidate the model returned got a verdict (a repeat in a later gleaning epoch keeps the
    # verdict it got the first time), one verdict per candidate checked
    judged = {(ct.candidate.subject, ct.candidate.predicate, ct.candidate.object)
              for _, v in run.checked for ct in (*v.accepted, *v.rejected)}
    for batch in proposed:
        for c in batch:
            assert (c.subject, c.predicate, c.object) in judged, c
    for n, verdict in run.checked:
        assert len(verdict.accepted) + len(verdict.rejected) == n
        for ct in verdict.rejected:
            assert ct.codes and set(ct.codes) <= set(CODES), ct.codes
        for ct in verdict.accepted:
            assert not ct.codes
    for ct in run.result.rejected:
        assert ct.codes and set(ct.codes) <= set(CODES)
    # what the session kept is exactly what the contracts accepted
    assert len(run.result.accepted) <= sum(len(v.accepted) for _, v in run.checked)


def test_negotiation_picks_json_object_with_schema_and_never_resends_a_refused_shape(run: Run) -> None:
    shapes = [x.shape for x in run.proxy.posts()]
    assert shapes[0] == "json_schema" and shapes.count("json_schema") == 1  # refused once, never again
    assert set(shapes[1:]) == {"json_object+schema"}
    refused = run.proxy.posts()[0]
    assert refused.status == 500 and "response_format" in refused.reply
    sent = run.proxy.posts()[1].body["response_format"]["schema"]
    assert "triples" in sent["properties"]
    assert run.engine.structured_output_for("extract") == "json_object+schema"
    assert run.engine.usage.retries == 0  # a refused shape is not a transport retry


def test_max_tokens_is_sent_with_every_request(run: Run) -> None:
    assert {x.body.get("max_tokens") for x in run.proxy.posts()} == {MAX_TOKENS}
    finished = [r for r in run.engine.replies() if not r.error]
    assert finished and all(r.completion_tokens <= MAX_TOKENS for r in finished)


def test_the_replies_are_schema_shaped_json(run: Run) -> None:
    from hydra_magic.engines.llm_json import parse_reply
    from hydra_magic.engines.llm_schemas import ExtractionOut

    finished = [r for r in run.engine.replies() if not r.error and r.finish_reason == "stop"]
    assert finished
    for r in finished:
        assert parse_reply(r.content, ExtractionOut).value is not None, r.content[:300]
