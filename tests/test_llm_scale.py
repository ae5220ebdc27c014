"""Scale: concurrent chunks with sequential outcomes, one name per entity, prompts that do not grow with the KG."""

from __future__ import annotations

import asyncio
import re

from hydra_magic.candidates import TextChunk
from hydra_magic.engines.llm import LLMEngine
from hydra_magic.engines.llm_context import EntityRegistry, select_slice
from hydra_magic.kg import Evidence, Fact, KnowledgeGraph
from hydra_magic.pipeline import RetryPolicy, extract_chunks
from hydra_magic.session import Session, SessionConfig

from .llm_server import LLMServer, Reply, last_user, llm_server, prompt_text  # noqa: F401
from .test_llm_engine import FILM_TTL, _film_ontology

# One reading per chunk: these tests count the requests of one reading and its repairs; the gleaning
# epochs (RetryPolicy.max_epochs, 3 by default) have their own counts in test_gleaning.py.
FAST = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.01, max_epochs=1)


def chunk_of(body) -> str:
    m = re.search(r"Text:\n<<<\n(.*?)\n>>>", prompt_text(body), re.S)
    return m.group(1) if m else ""


def film_responder(body):
    """Answers every chunk 'FilmNNN was directed by PersonNNN.' with its three triples; repairs with nothing."""
    if "were rejected" in last_user(body):
        return Reply(json_content={"triples": []})
    out = []
    for f, p in re.findall(r"(Film\d+) was directed by (Person\d+)", chunk_of(body)):
        fs, ps = f.lower(), p.lower()
        out += [{"subject": fs, "predicate": "isA", "object": "Film", "subject_text": f},
                {"subject": ps, "predicate": "isA", "object": "Person", "subject_text": p},
                {"subject": fs, "predicate": "directedBy", "object": ps, "subject_text": f, "object_text": p}]
    return Reply(json_content={"triples": out}, delay=0.15)


def session_with(tmp_path, srv, chunk_chars=40, **kw) -> Session:
    eng = LLMEngine("openai/x", api_base=srv.url, api_key="x", cache_dir=str(tmp_path / "c"), use_cache=False,
                    retry=FAST, **kw)
    s = Session("s", SessionConfig(journal_dir=None, retry=FAST, chunk_chars=chunk_chars), engine=eng)
    s.add_ontology_turtle(FILM_TTL)
    return s


def ordered(result) -> list[tuple[str, str, str]]:
    return [(c.candidate.subject, c.candidate.predicate, c.candidate.object) for c in result.accepted]


def test_chunks_run_concurrently_within_the_limit_and_keep_the_sequential_outcome(llm_server, tmp_path):
    llm_server.responder = film_responder
    text = " ".join(f"Film{i:03d} was directed by Person{i:03d}." for i in range(12))
    progress = []
    s4 = session_with(tmp_path / "a", llm_server, concurrency=4)
    res4 = s4.extract(text, source="t", on_progress=lambda n, total: progress.append((n, total)))
    assert res4.chunks == 12 and llm_server.calls == 12
    assert 2 <= llm_server.max_in_flight <= 4
    assert progress[-1] == (12, 12) and len(progress) == 12
    llm_server.reset()
    s1 = session_with(tmp_path / "b", llm_server, concurrency=1)
    res1 = s1.extract(text, source="t")
    assert llm_server.max_in_flight == 1
    assert ordered(res4) == ordered(res1) and len(res4.accepted) == 36
    assert [c.candidate.chunk for c in res4.accepted] == sorted(c.candidate.chunk for c in res4.accepted)
    usage = s4.engine.last_batch
    assert usage is not None and usage.calls == 12


def test_types_from_earlier_chunks_count_whatever_finished_first(llm_server, tmp_path):
    # chunk 0 types person_x; chunk 1 uses it without typing it and answers first.
    def responder(body):
        text = chunk_of(body)
        if "were rejected" in last_user(body):
            return Reply(json_content={"triples": []})
        if "Person X made" in text:
            return Reply(json_content={"triples": [
                {"subject": "person_x", "predicate": "isA", "object": "Person", "subject_text": "Person X"}]},
                delay=0.3)
        return Reply(json_content={"triples": [
            {"subject": "film_y", "predicate": "isA", "object": "Film", "subject_text": "Film Y"},
            {"subject": "film_y", "predicate": "directedBy", "object": "person_x", "subject_text": "Film Y",
             "object_text": "Person X"}]})

    llm_server.responder = responder
    s = session_with(tmp_path, llm_server, chunk_chars=30)
    res = s.extract("Person X made many films. Film Y was directed by Person X.")
    assert res.chunks == 2
    assert ("film_y", "directedBy", "person_x") in ordered(res) and not res.rejected


def test_one_entity_gets_one_name_across_chunks(llm_server, tmp_path):
    def responder(body):
        text = chunk_of(body)
        if "Alien" in text:
            return Reply(json_content={"triples": [
                {"subject": "alien", "predicate": "isA", "object": "Film", "subject_text": "Alien"},
                {"subject": "ridley_scott", "predicate": "isA", "object": "Person", "subject_text": "Ridley Scott"},
                {"subject": "alien", "predicate": "directedBy", "object": "ridley_scott", "subject_text": "Alien",
                 "object_text": "Ridley Scott"}]}, delay=0.2)
        return Reply(json_content={"triples": [
            {"subject": "blade_runner", "predicate": "isA", "object": "Film", "subject_text": "Blade Runner"},
            {"subject": "scott", "predicate": "isA", "object": "Person", "subject_text": "Ridley Scott"},
            {"subject": "blade_runner", "predicate": "directedBy", "object": "scott",
             "subject_text": "Blade Runner", "object_text": "Ridley Scott"}]})

    llm_server.responder = responder
    s = session_with(tmp_path, llm_server, chunk_chars=45)
    res = s.extract("Alien was directed by Ridley Scott. Blade Runner was directed by Ridley Scott too.")
    assert res.chunks == 2
    assert ("blade_runner", "directedBy", "ridley_scott") in ordered(res)
    people = {str(e).rsplit("/", 1)[-1] for e in s.kg.entities()}
    assert people == {"alien", "blade_runner", "ridley_scott"}


def test_prompt_carries_the_known_entities_the_chunk_mentions_and_no_others(tmp_path):
    onto = _film_ontology()
    kg = KnowledgeGraph()
    facts, labels = [], {}
    for i in range(500):
        e = kg.entity_iri(f"person_{i}")
        facts.append(Fact(e, _type(), _person(onto), Evidence("old")))
        labels[e] = f"Someone Number{i}"
    ridley = kg.entity_iri("ridley_scott")
    facts.append(Fact(ridley, _type(), _person(onto), Evidence("old")))
    labels[ridley] = "Ridley Scott"
    kg.add(facts, labels)
    eng = LLMEngine("openai/x", api_base="http://127.0.0.1:9/v1", api_key="x", cache_dir=str(tmp_path))
    mentions = prompt_text({"messages": eng.extraction_messages(TextChunk("Alien was directed by Ridley Scott."),
                                                                onto, kg)})
    assert "- ridley_scott (Person)" in mentions and "person_1" not in mentions
    quiet = prompt_text({"messages": eng.extraction_messages(TextChunk("Alien was released in 1979."), onto, kg)})
    assert "Known entities" not in quiet
    empty = prompt_text({"messages": eng.extraction_messages(TextChunk("Alien was released in 1979."), onto,
                                                             KnowledgeGraph())})
    assert len(quiet) == len(empty)  # 501 known entities, none mentioned: not one more character


def test_large_ontology_is_sliced_to_what_the_chunk_can_use():
    s = Session("big", SessionConfig(journal_dir=None))
    ttl = [FILM_TTL] + [f":colourOf{i} a owl:DatatypeProperty ; rdfs:domain :Thing ; rdfs:range xsd:string ."
                        for i in range(100)]
    s.add_ontology_turtle("\n".join(ttl))
    sl = select_slice(s.ontology, "Alien was directed by Ridley Scott.", max_properties=10)
    names = {p.name for p in sl.properties}
    assert "directedBy" in names and len(names) <= 10 and sl.partial
    assert {c.name for c in sl.classes} >= {"Film", "Person", "Thing"}


def test_registry_resolves_names_and_labels():
    reg = EntityRegistry()
    reg.add("ridley_scott", "Ridley Scott", ["Person"])
    assert reg.resolve("Ridley Scott") == "ridley_scott" and reg.resolve("x", "ridley scott") == "ridley_scott"
    assert reg.resolve("scott") is None
    assert [e.name for e in reg.relevant("Films by Ridley Scott and others")] == ["ridley_scott"]
    assert reg.relevant("Ridley alone") == []


def test_extraction_inside_a_running_event_loop(llm_server, tmp_path):
    """In Jupyter a loop is already running: the chunks still run concurrently (own loop, worker thread)."""
    llm_server.responder = film_responder
    s = session_with(tmp_path, llm_server)

    async def cell():
        return s.extract("Film001 was directed by Person001. Film002 was directed by Person002.")

    res = asyncio.run(cell())
    assert res.chunks == 2 and len(res.accepted) == 6 and llm_server.calls == 2


def test_rules_engine_keeps_the_sequential_path(tmp_path):
    calls = []

    class Sync:
        name = "sync"

        def extract(self, chunk, ontology, kg, feedback=()):
            calls.append(chunk.index)
            return []

    onto = _film_ontology()
    chunks = [TextChunk("a.", 0, 0), TextChunk("b.", 3, 1)]
    outs = extract_chunks(Sync(), chunks, "a. b.", onto, KnowledgeGraph())
    assert calls == [0, 1] and [o.chunk.index for o in outs] == [0, 1]


def _type():
    from rdflib import RDF

    return RDF.type


def _person(onto):
    return onto.get_class("Person").iri


# ------------------------------------------------- one limiter per model (issue 10)
def test_limiter_admits_by_concurrency_requests_and_tokens_per_minute():
    from hydra_magic.engines.llm_limiter import Limiter, Limits

    now = [0.0]
    lim = Limiter(Limits(concurrency=2, requests_per_minute=3, tokens_per_minute=1000), clock=lambda: now[0])
    assert lim._try_admit(400) == 0 and lim._try_admit(400) == 0
    assert lim._try_admit(10) > 0  # two in flight: the third waits
    lim.release()
    assert lim._try_admit(400) == 60.0  # 800 of 1,000 tokens spent this minute: wait for the first to age out
    assert lim._try_admit(100) == 0  # a small one still fits (now 3 requests this minute)
    lim.release()
    lim.release()
    now[0] = 30.0
    assert lim._try_admit(1) == 30.0  # 3 requests within the minute: the oldest leaves at t=60
    now[0] = 60.0
    assert lim._try_admit(400) == 0
    lim.release()
    lim.pause(5)
    assert lim._try_admit(1) == 5.0  # a Retry-After holds every request
    now[0] = 65.0
    assert lim._try_admit(1) == 0


def test_one_limiter_bounds_requests_of_all_cells_and_threads(llm_server, tmp_path):
    """Two cells extracting at once (two threads, two event loops) share the model's concurrency of 2."""
    import threading

    llm_server.responder = film_responder
    s = session_with(tmp_path, llm_server, concurrency=2)
    texts = [" ".join(f"Film{i:03d} was directed by Person{i:03d}." for i in range(k, k + 6)) for k in (0, 100)]
    results: list = []
    threads = [threading.Thread(target=lambda t=t: results.append(s.engine.derive().extract(
        TextChunk(t, 0, 0, "x"), s.ontology, s.kg))) for t in texts]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert llm_server.calls == 2 and llm_server.max_in_flight <= 2
    llm_server.reset()
    cells = [threading.Thread(target=s.extract, args=(t,), kwargs={"source": f"c{n}"}) for n, t in enumerate(texts)]
    for th in cells:
        th.start()
    for th in cells:
        th.join()
    assert llm_server.calls == 12 and llm_server.max_in_flight == 2  # 12 chunks, never more than 2 at once


def test_retry_after_pauses_every_chunk_of_the_model(llm_server, tmp_path):
    import time

    seen: list[float] = []

    def respond(body):
        seen.append(time.monotonic())
        if len(seen) == 1:
            return Reply(status=429, error="slow down", headers={"Retry-After": "0.8"})
        return film_responder(body)

    s = session_with(tmp_path, llm_server, concurrency=2)
    llm_server.responder = film_responder
    s.extract("Film900 was directed by Person900.", source="warm-up")  # shape negotiated, clients warm
    llm_server.responder = respond
    text = " ".join(f"Film{i:03d} was directed by Person{i:03d}." for i in range(4))
    res = s.extract(text, source="t")
    assert not res.failed_chunks and len(res.accepted) == 12
    # Chunk 1 was already on its way; chunk 2 would start when it came back (0.15 s) but the model had
    # asked to wait 0.8 s: nothing else was sent before then (the back-off alone is 0.01 s at most).
    assert seen[1] - seen[0] < 0.4 and sorted(seen)[2] - seen[0] >= 0.75


def test_a_retry_after_past_the_budget_fails_at_once_and_says_so(llm_server, tmp_path):
    import time

    from hydra_magic.engines.llm import _litellm

    _litellm()  # imported before the clock starts

    def session() -> Session:
        eng = LLMEngine("openai/x", api_base=llm_server.url, api_key="x", cache_dir=str(tmp_path),
                        use_cache=False,
                        retry=RetryPolicy(max_epochs=1, max_attempts=3, base_delay=0.001, max_delay=0.01, budget=2))
        s = Session("b", SessionConfig(journal_dir=None, retry=eng.retry), engine=eng)
        s.add_ontology_turtle(FILM_TTL)
        return s

    llm_server.default = Reply(status=429, error="slow down", headers={"Retry-After": "30"})
    s = session()
    t0 = time.perf_counter()
    res = s.extract("Film001 was directed by Person001.")
    assert time.perf_counter() - t0 < 2 and llm_server.calls == 1
    [(_, err)] = res.failed_chunks
    assert "asked to wait 30 s" in err and "budget" in err
    # The model asked for 30 s: the next cell does not send a request it would refuse.
    res = s.extract("Film003 was directed by Person003.")
    [(_, err)] = res.failed_chunks
    assert llm_server.calls == 1 and "cannot take" in err and "Retry-After" in err
    # within the cap and the budget, the same advice is followed
    llm_server.reset()
    llm_server.script(Reply(status=429, headers={"Retry-After": "0.3"}))
    llm_server.default = Reply(json_content={"triples": []})
    t0 = time.perf_counter()
    session().extract("Film002 was directed by Person002.")
    assert time.perf_counter() - t0 >= 0.3 and llm_server.calls == 2
