"""The trust suite: short paragraphs with the verdicts a careful reader expects.

The product promise checked here: a wrong fact is never accepted as *verified*
(accepted with no flags); a negated, hedged or hypothetical statement is not a
fact; nothing an engine formed silently vanishes.

Every case is a dict:

``id``, ``domain``, ``kind``
    ``kind`` names the family the case covers (see ``KINDS``).
``text``
    1-3 sentences, extracted in a fresh session of the domain's ontology.
``setup``
    Optional text extracted first in the same session (usually stating types,
    ``Ridley Scott is a director.``), so the case's facts can be *verified*.
``facts``
    True, cue-free facts a careful reader extracts from ``text`` that the
    ontology can express (recall). For the ``ACCEPT_KINDS`` they must be accepted.
``not_facts``
    Negated, hedged or hypothetical relations of the text: never accepted; if
    formed, rejected with one of ``CUE_CODES``.
``wrong``
    Wrong facts the text provokes (subject/object swapped, nonsense, types that
    contradict stated ones): never accepted as verified.
``must_report``
    ``((s, p, o), {codes})``: candidates that must appear among the rejected with
    one of the codes (nothing vanishes). ``report_in_strict=False`` limits them to the
    default mode (strict mode rejects the setup's inferred types, so no conflict arises).
``type_conflict``
    Optional ``(entity, (ClassA, ClassB), codes)``: an issue with one of ``codes`` must
    name both classes. Across texts (an earlier text implied a type, a later one states
    another) the code is ``type_conflict``; within one text the stated type may win,
    and the implied one is then refused as ``retype_conflict`` naming both.

Triples are ``(subject, predicate, object)`` with snake_case entity names, the
property's name (compared case-insensitively) or ``isA`` with a class name.

The runner (:func:`run_cases`) and the figures (:func:`figures`) live here too,
so that ``tests/test_trust.py`` and ``benchmarks/bench_trust.py`` share them.
This module imports ``hydra_magic`` only inside the runner, so a benchmark can
load it by path against another checkout of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Any, Sequence

Triple = tuple[str, str, str]

#: Rejection codes of a cue (a statement that is not a fact).
CUE_CODES = frozenset({"negated", "hedged", "hypothetical"})
#: Kinds whose ``facts`` must be accepted (cue look-alikes, cue words in names, mixed polarity).
ACCEPT_KINDS = frozenset({"lookalike", "cue_in_name", "mixed"})
SWAP = frozenset({"domain_mismatch", "range_mismatch"})
CONFLICT = frozenset({"type_conflict", "domain_mismatch", "range_mismatch"})
#: A type implied and a type stated in the same text: either conflict code, naming both classes.
CONFLICT_SAME_TEXT = frozenset({"type_conflict", "retype_conflict"})

KINDS = {
    "plain": "a cue-free statement with stated types: its facts are verified",
    "swap_known": "subject/object swapped, types known: reported as rejected, never verified",
    "swap_unknown": "subject/object swapped (or misread), types unknown: flagged or rejected, never verified",
    "nonsense": "a relation between entities it cannot hold between: never verified",
    "type_conflict": "a later sentence (same or later text) states types that contradict the ones a "
                     "relation implied: both classes named, the relation reported",
    "negated": "not, never, no longer, neither/nor, failed to, denied: not a fact",
    "hedged": "reportedly, allegedly, may/might/could have, rumoured, is said to, possibly: not a fact",
    "hypothetical": "will, would, if, plans to: not a fact",
    "mixed": "a negated and a plain relation in one sentence: the plain one is kept",
    "lookalike": "cue-like words that are no cue (Will Smith, May 1979, Notting Hill, Nevertheless)",
    "cue_in_name": "a cue word inside an entity name (No Country for Old Men, Edward Said)",
    "cue_no_relation": "a cue in a sentence that states no relation: nothing is verified",
}

#: One CQ block per domain (the offline CQ parser understands every line).
DOMAINS: dict[str, str] = {
    "films": "Which films did a director direct?\n"
             "When was a film released?\n"
             "Which actors starred in a film?\n"
             "Which studio produced a film?",
    "science": "Which element did a scientist discover?\n"
               "Which prize did a scientist win?\n"
               "Where was a scientist born?\n"
               "When was a scientist born?\n"
               "Which university did a scientist attend?",
    "business": "Which company did a person found?\n"
                "Which company acquired a company?\n"
                "Where is a company headquartered?\n"
                "When was a company founded?",
    "geography": "Which country is a city located in?\n"
                 "What is the capital of a country?\n"
                 "Which river flows through a city?\n"
                 "Which country borders a country?\n"
                 "What is the population of a city?",
    "medicine": "Which drug treats a disease?\n"
                "Which symptom does a disease cause?\n"
                "Which company manufactures a drug?\n"
                "Which gene is associated with a disease?",
    "sports": "Which team does a player play for?\n"
              "Which team won a championship?\n"
              "Who coaches a team?",
}


def case(id: str, domain: str, kind: str, text: str, *, facts: Sequence[Triple] = (),
         not_facts: Sequence[Triple] = (), wrong: Sequence[Triple] = (),
         must_report: Sequence[tuple[Triple, AbstractSet[str]]] = (), setup: str = "",
         type_conflict: tuple[str, tuple[str, str], AbstractSet[str]] | None = None,
         report_in_strict: bool = True) -> dict[str, Any]:
    """One case (see the module docstring for the fields)."""
    assert domain in DOMAINS and kind in KINDS, (id, domain, kind)
    return {"id": id, "domain": domain, "kind": kind, "text": text, "setup": setup,
            "facts": list(facts), "not_facts": list(not_facts), "wrong": list(wrong),
            "must_report": [(t, set(c)) for t, c in must_report], "type_conflict": type_conflict,
            "report_in_strict": report_in_strict}


FILM_TYPES = "Ridley Scott is a director. Alien is a film. Titanic is a film."

CASES: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ films
    case("film-plain-1", "films", "plain", "Ridley Scott directed Alien. Sigourney Weaver starred in Alien.",
         setup=FILM_TYPES + " Sigourney Weaver is an actor.",
         facts=[("ridley_scott", "directs", "alien"), ("sigourney_weaver", "starsIn", "alien")]),
    case("film-plain-2", "films", "plain",
         "Alien was released on 25 May 1979. Brandywine Productions produced Alien.",
         setup=FILM_TYPES + " Brandywine Productions is a studio.",
         facts=[("alien", "releaseDate", "1979-05-25"), ("brandywine_productions", "produces", "alien")]),
    case("film-swap-known-1", "films", "swap_known", "Alien directed Ridley Scott.", setup=FILM_TYPES,
         wrong=[("alien", "directs", "ridley_scott")],
         must_report=[(("alien", "directs", "ridley_scott"), SWAP)]),
    case("film-swap-unknown-1", "films", "swap_unknown", "Heat directed Michael Mann.",
         wrong=[("heat", "directs", "michael_mann")]),
    case("film-nonsense-1", "films", "nonsense", "The Eiffel Tower directed Paris.",
         wrong=[("eiffel_tower", "directs", "paris")]),
    case("film-type-conflict-1", "films", "type_conflict",
         "Alien directed Ridley Scott. Ridley Scott is a director. Alien is a film.",
         wrong=[("alien", "directs", "ridley_scott"), ("ridley_scott", "isA", "Film"),
                ("alien", "isA", "Director")],
         must_report=[(("alien", "directs", "ridley_scott"), CONFLICT)],
         type_conflict=("ridley_scott", ("Director", "Film"), CONFLICT_SAME_TEXT)),
    case("film-type-conflict-later-text", "films", "type_conflict", "Ridley Scott is a director.",
         setup="Alien directed Ridley Scott.",
         wrong=[("ridley_scott", "isA", "Film")],
         must_report=[(("ridley_scott", "isA", "Director"), {"type_conflict"})],
         type_conflict=("ridley_scott", ("Director", "Film"), {"type_conflict"}),
         report_in_strict=False),
    case("film-negated-1", "films", "negated", "Ridley Scott did not direct Titanic.", setup=FILM_TYPES,
         not_facts=[("ridley_scott", "directs", "titanic")]),
    case("film-mixed-1", "films", "mixed", "Ridley Scott never directed Titanic but directed Alien.",
         setup=FILM_TYPES,
         facts=[("ridley_scott", "directs", "alien")], not_facts=[("ridley_scott", "directs", "titanic")]),
    case("film-hedged-1", "films", "hedged", "Ridley Scott reportedly directed Titanic.", setup=FILM_TYPES,
         not_facts=[("ridley_scott", "directs", "titanic")]),
    case("film-hedged-2", "films", "hedged", "Ridley Scott may have directed Titanic.", setup=FILM_TYPES,
         not_facts=[("ridley_scott", "directs", "titanic")]),
    case("film-hypothetical-1", "films", "hypothetical", "James Cameron will direct Avatar 4.",
         setup="James Cameron is a director. Avatar 4 is a film.",
         not_facts=[("james_cameron", "directs", "avatar_4")]),
    case("film-lookalike-will", "films", "lookalike", "Will Smith starred in Independence Day.",
         setup="Will Smith is an actor. Independence Day is a film.",
         facts=[("will_smith", "starsIn", "independence_day")]),
    case("film-lookalike-may", "films", "lookalike", "Ridley Scott directed Alien in May 1979.",
         setup=FILM_TYPES, facts=[("ridley_scott", "directs", "alien")]),
    case("film-lookalike-notting", "films", "lookalike", "Hugh Grant starred in Notting Hill.",
         setup="Hugh Grant is an actor. Notting Hill is a film.",
         facts=[("hugh_grant", "starsIn", "notting_hill")]),
    case("film-lookalike-nevertheless", "films", "lookalike", "Nevertheless, Ridley Scott directed Alien.",
         setup=FILM_TYPES, facts=[("ridley_scott", "directs", "alien")],
         wrong=[("nevertheless", "directs", "alien")]),
    case("film-cue-in-name-neverending", "films", "cue_in_name",
         "Wolfgang Petersen directed The Never-Ending Story.",
         setup="Wolfgang Petersen is a director. The Never-Ending Story is a film.",
         facts=[("wolfgang_petersen", "directs", "never_ending_story")]),
    case("film-cue-in-name-never-let-me-go", "films", "cue_in_name", "Mark Romanek directed Never Let Me Go.",
         setup="Mark Romanek is a director. Never Let Me Go is a film.",
         facts=[("mark_romanek", "directs", "never_let_me_go")]),
    case("film-cue-in-name-maybe-baby", "films", "cue_in_name", "Ben Elton directed Maybe Baby.",
         setup="Ben Elton is a director. Maybe Baby is a film.",
         facts=[("ben_elton", "directs", "maybe_baby")]),
    case("film-cue-no-relation", "films", "cue_no_relation",
         "Critics said that the premiere would never be forgotten."),

    # ---------------------------------------------------------------- science
    case("sci-plain-1", "science", "plain", "Marie Curie discovered Polonium. Marie Curie was born in Warsaw.",
         setup="Marie Curie is a scientist. Polonium is an element. Warsaw is a place.",
         facts=[("marie_curie", "discovers", "polonium"), ("marie_curie", "bornIn", "warsaw")]),
    case("sci-plain-2", "science", "plain",
         "Marie Curie was born on 7 November 1867. Marie Curie attended the University of Paris.",
         setup="Marie Curie is a scientist. The University of Paris is a university.",
         facts=[("marie_curie", "birthDate", "1867-11-07"),
                ("marie_curie", "attends", "university_of_paris")]),
    case("sci-swap-known-1", "science", "swap_known", "Radium discovered Marie Curie.",
         setup="Marie Curie is a scientist. Radium is an element.",
         wrong=[("radium", "discovers", "marie_curie")],
         must_report=[(("radium", "discovers", "marie_curie"), SWAP)]),
    case("sci-swap-unknown-1", "science", "swap_unknown", "Radium discovered Marie Curie.",
         wrong=[("radium", "discovers", "marie_curie")]),
    case("sci-type-conflict-1", "science", "type_conflict",
         "Radium discovered Marie Curie. Marie Curie is a scientist.",
         wrong=[("radium", "discovers", "marie_curie"), ("marie_curie", "isA", "Element")],
         must_report=[(("radium", "discovers", "marie_curie"), CONFLICT)],
         type_conflict=("marie_curie", ("Scientist", "Element"), CONFLICT_SAME_TEXT)),
    case("sci-type-conflict-later-text", "science", "type_conflict",
         "Marie Curie is a scientist. Radium is an element.",
         setup="Radium discovered Marie Curie.",
         wrong=[("marie_curie", "isA", "Element"), ("radium", "isA", "Scientist")],
         must_report=[(("marie_curie", "isA", "Scientist"), {"type_conflict"}),
                      (("radium", "isA", "Element"), {"type_conflict"})],
         type_conflict=("marie_curie", ("Scientist", "Element"), {"type_conflict"}),
         report_in_strict=False),
    case("sci-negated-never", "science", "negated", "Albert Einstein never won the Fields Medal.",
         setup="Albert Einstein is a scientist. The Fields Medal is a prize.",
         not_facts=[("albert_einstein", "wins", "fields_medal")]),
    case("sci-negated-neither-nor", "science", "negated",
         "Marie Curie neither discovered Helium nor won the Fields Medal.",
         setup="Marie Curie is a scientist. Helium is an element.",
         not_facts=[("marie_curie", "discovers", "helium"), ("marie_curie", "wins", "fields_medal")]),
    case("sci-hedged-allegedly", "science", "hedged", "Marie Curie allegedly discovered Helium.",
         setup="Marie Curie is a scientist. Helium is an element.",
         not_facts=[("marie_curie", "discovers", "helium")]),
    case("sci-hedged-might", "science", "hedged", "Marie Curie might have won the Fields Medal.",
         setup="Marie Curie is a scientist.",
         not_facts=[("marie_curie", "wins", "fields_medal")]),
    case("sci-hypothetical-would", "science", "hypothetical",
         "Without the war, Lise Meitner would have won the Nobel Prize.",
         setup="Lise Meitner is a scientist.",
         not_facts=[("lise_meitner", "wins", "nobel_prize")]),
    case("sci-lookalike-may", "science", "lookalike", "Pierre Curie was born on 15 May 1859.",
         setup="Pierre Curie is a scientist.",
         facts=[("pierre_curie", "birthDate", "1859-05-15")]),
    case("sci-cue-in-name-said", "science", "cue_in_name", "Edward Said attended Princeton University.",
         setup="Edward Said is a scientist. Princeton University is a university.",
         facts=[("edward_said", "attends", "princeton_university")]),

    # --------------------------------------------------------------- business
    case("biz-plain-1", "business", "plain", "Steve Jobs founded Apple. Apple is headquartered in Cupertino.",
         setup="Steve Jobs is a person. Apple is a company. Cupertino is a place.",
         facts=[("steve_jobs", "founds", "apple"), ("apple", "headquarteredIn", "cupertino")]),
    case("biz-plain-2", "business", "plain", "Apple acquired NeXT. Apple was founded on 1 April 1976.",
         setup="Apple is a company. NeXT is a company.",
         facts=[("apple", "acquires", "ne_xt"), ("apple", "foundingDate", "1976-04-01")]),
    case("biz-swap-known-1", "business", "swap_known", "Apple founded Steve Jobs.",
         setup="Steve Jobs is a person. Apple is a company.",
         wrong=[("apple", "founds", "steve_jobs")],
         must_report=[(("apple", "founds", "steve_jobs"), SWAP)]),
    case("biz-type-conflict-1", "business", "type_conflict",
         "Microsoft founded Bill Gates. Bill Gates is a person.",
         wrong=[("microsoft", "founds", "bill_gates"), ("bill_gates", "isA", "Company")],
         must_report=[(("microsoft", "founds", "bill_gates"), CONFLICT)],
         type_conflict=("bill_gates", ("Person", "Company"), CONFLICT_SAME_TEXT)),
    case("biz-type-conflict-later-text", "business", "type_conflict", "Bill Gates is a person.",
         setup="Microsoft founded Bill Gates.",
         wrong=[("bill_gates", "isA", "Company")],
         must_report=[(("bill_gates", "isA", "Person"), {"type_conflict"})],
         type_conflict=("bill_gates", ("Person", "Company"), {"type_conflict"}),
         report_in_strict=False),
    case("biz-negated-failed", "business", "negated", "Microsoft failed to acquire Yahoo.",
         setup="Microsoft is a company. Yahoo is a company.",
         not_facts=[("microsoft", "acquires", "yahoo")]),
    case("biz-hedged-said", "business", "hedged", "Apple is said to have acquired Tesla.",
         setup="Apple is a company. Tesla is a company.",
         not_facts=[("apple", "acquires", "tesla")]),
    case("biz-hypothetical-plans", "business", "hypothetical", "Microsoft plans to acquire Nokia.",
         setup="Microsoft is a company. Nokia is a company.",
         not_facts=[("microsoft", "acquires", "nokia")]),
    case("biz-mixed-1", "business", "mixed", "Google did not acquire Yahoo, but Google acquired YouTube.",
         setup="Google is a company. Yahoo is a company. YouTube is a company.",
         facts=[("google", "acquires", "you_tube")],
         not_facts=[("google", "acquires", "yahoo")]),
    case("biz-cue-in-name-will", "business", "cue_in_name", "Will Keith Kellogg founded the Kellogg Company.",
         setup="Will Keith Kellogg is a person. The Kellogg Company is a company.",
         facts=[("will_keith_kellogg", "founds", "kellogg_company")]),

    # -------------------------------------------------------------- geography
    case("geo-plain-1", "geography", "plain", "Lyon is located in France. The Rhone flows through Lyon.",
         setup="Lyon is a city. France is a country. The Rhone is a river.",
         facts=[("lyon", "locatedIn", "france"), ("rhone", "flowsThrough", "lyon")]),
    case("geo-plain-2", "geography", "plain", "France borders Spain. Lyon has a population of 500000.",
         setup="France is a country. Spain is a country. Lyon is a city.",
         facts=[("france", "borders", "spain"), ("lyon", "population", "500000")]),
    case("geo-swap-known-1", "geography", "swap_known", "France is located in Paris.",
         setup="Paris is a city. France is a country.",
         wrong=[("france", "locatedIn", "paris")],
         must_report=[(("france", "locatedIn", "paris"), SWAP)]),
    case("geo-swap-unknown-1", "geography", "swap_unknown", "Paris is the capital of France.",
         facts=[("france", "hasCapital", "paris")],
         wrong=[("paris", "hasCapital", "france")]),
    case("geo-nonsense-1", "geography", "nonsense", "The Seine flows through Germany.",
         setup="The Seine is a river. Germany is a country.",
         wrong=[("seine", "flowsThrough", "germany")],
         must_report=[(("seine", "flowsThrough", "germany"), SWAP)]),
    case("geo-hedged-possibly", "geography", "hedged", "The Danube possibly flows through Prague.",
         setup="The Danube is a river. Prague is a city.",
         not_facts=[("danube", "flowsThrough", "prague")]),
    case("geo-negated-no-longer", "geography", "negated", "Berlin is no longer located in Prussia.",
         setup="Berlin is a city. Prussia is a country.",
         not_facts=[("berlin", "locatedIn", "prussia")]),
    case("geo-cue-in-name-willamette", "geography", "cue_in_name",
         "The Willamette River flows through Portland.",
         setup="The Willamette River is a river. Portland is a city.",
         facts=[("willamette_river", "flowsThrough", "portland")]),
    case("geo-cue-no-relation", "geography", "cue_no_relation",
         "If it rains, the streets of Paris might flood."),

    # --------------------------------------------------------------- medicine
    case("med-plain-1", "medicine", "plain", "Metformin treats Diabetes. Influenza causes Fever.",
         setup="Metformin is a drug. Diabetes is a disease. Influenza is a disease. Fever is a symptom.",
         facts=[("metformin", "treats", "diabetes"), ("influenza", "causes", "fever")]),
    case("med-plain-2", "medicine", "plain", "Bayer manufactures Aspirin. BRCA1 is associated with Breast Cancer.",
         setup="Bayer is a company. Aspirin is a drug. BRCA1 is a gene. Breast cancer is a disease.",
         facts=[("bayer", "manufactures", "aspirin"), ("brca1", "associatedWith", "breast_cancer")]),
    case("med-swap-known-1", "medicine", "swap_known", "Diabetes treats Metformin.",
         setup="Metformin is a drug. Diabetes is a disease.",
         wrong=[("diabetes", "treats", "metformin")],
         must_report=[(("diabetes", "treats", "metformin"), SWAP)]),
    case("med-swap-unknown-1", "medicine", "swap_unknown", "Fever causes Influenza.",
         wrong=[("fever", "causes", "influenza")]),
    case("med-negated-denied", "medicine", "negated", "Bayer denied that it manufactures Thalidomide.",
         setup="Bayer is a company. Thalidomide is a drug.",
         not_facts=[("bayer", "manufactures", "thalidomide")]),
    case("med-hedged-could", "medicine", "hedged", "Ivermectin could have treated Covid.",
         setup="Ivermectin is a drug. Covid is a disease.",
         not_facts=[("ivermectin", "treats", "covid")]),
    case("med-hypothetical-if", "medicine", "hypothetical",
         "If the trial succeeds, Lecanemab treats Alzheimer.",
         setup="Lecanemab is a drug. Alzheimer is a disease.",
         not_facts=[("lecanemab", "treats", "alzheimer")]),
    case("med-mixed-1", "medicine", "mixed", "Aspirin does not treat Influenza, but Aspirin treats Headache.",
         setup="Aspirin is a drug. Influenza is a disease. Headache is a disease.",
         facts=[("aspirin", "treats", "headache")], not_facts=[("aspirin", "treats", "influenza")]),
    case("med-cue-no-relation", "medicine", "cue_no_relation",
         "Doctors fear that the outbreak could never be contained."),

    # ----------------------------------------------------------------- sports
    case("sport-plain-1", "sports", "plain",
         "Lionel Messi plays for Inter Miami. Pep Guardiola coaches Manchester City.",
         setup="Lionel Messi is a player. Inter Miami is a team. Pep Guardiola is a person. "
               "Manchester City is a team.",
         facts=[("lionel_messi", "playsFor", "inter_miami"), ("pep_guardiola", "coaches", "manchester_city")]),
    case("sport-plain-2", "sports", "plain", "Real Madrid won the Champions League.",
         setup="Real Madrid is a team. The Champions League is a championship.",
         facts=[("real_madrid", "wins", "champions_league")]),
    case("sport-swap-known-1", "sports", "swap_known", "Barcelona plays for Messi.",
         setup="Messi is a player. Barcelona is a team.",
         wrong=[("barcelona", "playsFor", "messi")],
         must_report=[(("barcelona", "playsFor", "messi"), SWAP)]),
    case("sport-nonsense-1", "sports", "nonsense", "The Premier League coaches Wembley Stadium.",
         wrong=[("premier_league", "coaches", "wembley_stadium")]),
    case("sport-hedged-rumoured", "sports", "hedged", "Kylian Mbappe is rumoured to play for Liverpool.",
         setup="Kylian Mbappe is a player. Liverpool is a team.",
         not_facts=[("kylian_mbappe", "playsFor", "liverpool")]),
    case("sport-negated-no-longer", "sports", "negated", "Cristiano Ronaldo no longer plays for Manchester United.",
         setup="Cristiano Ronaldo is a player. Manchester United is a team.",
         not_facts=[("cristiano_ronaldo", "playsFor", "manchester_united")]),
    case("sport-hypothetical-will", "sports", "hypothetical", "Harry Kane will play for Tottenham again.",
         setup="Harry Kane is a player. Tottenham is a team.",
         not_facts=[("harry_kane", "playsFor", "tottenham")]),
    case("sport-cue-in-name-will-power", "sports", "cue_in_name", "Will Power plays for Team Penske.",
         setup="Will Power is a player. Team Penske is a team.",
         facts=[("will_power", "playsFor", "team_penske")]),
]


# --------------------------------------------------------------------- runner
def key(t: Triple) -> Triple:
    """How triples are matched: predicate case-insensitive (``isA`` -> ``isa``)."""
    s, p, o = t
    return (str(s), str(p).lower(), str(o))


@dataclass
class Outcome:
    """What one case's extraction gave (the text's extraction; the setup is not scored)."""

    case: dict[str, Any]
    mode: str = "default"
    accepted: dict[Triple, list[str]] = field(default_factory=dict)  # key -> flags
    rejected: dict[Triple, set[str]] = field(default_factory=dict)   # key -> codes
    issues: list[tuple[str, str]] = field(default_factory=list)      # (code, message), every issue seen
    error: str = ""
    text: str = ""                                                   # the result's to_text()

    def verified(self, t: Triple) -> bool:
        k = key(t)
        return k in self.accepted and not self.accepted[k]

    def is_accepted(self, t: Triple) -> bool:
        return key(t) in self.accepted

    def codes(self, t: Triple) -> set[str]:
        return self.rejected.get(key(t), set())

    def must_report(self) -> list[tuple[Triple, set[str]]]:
        """The case's ``must_report`` entries that apply in this outcome's mode."""
        if self.mode == "strict" and not self.case.get("report_in_strict", True):
            return []
        return list(self.case["must_report"])


def make_config(mode: str) -> Any:
    """A journal-less SessionConfig; ``None`` when ``mode`` is not supported by the package.

    Retries of rejected candidates still run, without the back-off sleeps (the
    rules engine is deterministic; sleeping would only slow the suite down).
    """
    from hydra_magic.pipeline import RetryPolicy
    from hydra_magic.session import SessionConfig

    kw: dict[str, Any] = {"journal_dir": None,
                          "retry": RetryPolicy(base_delay=0.0, max_delay=0.0, jitter=False)}
    if mode == "default":
        return SessionConfig(**kw)
    try:
        return SessionConfig(**kw, types=mode)
    except TypeError:
        return None


def _record(out: Outcome, result: Any) -> None:
    for ct in result.accepted:
        c = ct.candidate
        out.accepted[key((c.subject, c.predicate, c.object))] = list(getattr(ct, "flags", None) or [])
        out.issues += [(i.code, i.message) for i in getattr(ct, "issues", [])]
    for rj in result.rejected:
        c = rj.checked.candidate
        out.rejected.setdefault(key((c.subject, c.predicate, c.object)), set()).update(rj.codes)
        out.issues += [(i.code, i.message) for i in rj.issues]


def run_case(c: dict[str, Any], mode: str = "default") -> Outcome:
    """Run one case in a fresh in-memory session of its domain."""
    from hydra_magic.session import Session

    out = Outcome(c, mode)
    config = make_config(mode)
    if config is None:
        out.error = f"SessionConfig has no types={mode!r} option"
        return out
    s = Session(f"trust-{c['id']}", config)
    s.add_cqs(DOMAINS[c["domain"]])
    if c.get("setup"):
        setup = s.extract(c["setup"], source=f"{c['id']}-setup")
        out.issues += [(i.code, i.message) for rj in setup.rejected for i in rj.issues]
    result = s.extract(c["text"], source=c["id"])
    _record(out, result)
    out.text = result.to_text()
    return out


def run_cases(mode: str = "default", cases: list[dict[str, Any]] | None = None) -> list[Outcome]:
    return [run_case(c, mode) for c in (CASES if cases is None else cases)]


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    """The trust figures of one mode's run."""
    facts = [(o, t) for o in outcomes for t in o.case["facts"]]
    fact_keys = {o.case["id"]: {key(t) for t in o.case["facts"]} for o in outcomes}
    verified_facts = sum(o.verified(t) for o, t in facts)
    verified_relations = [(o.case["id"], k) for o in outcomes for k, flags in o.accepted.items()
                          if not flags and k[1] != "isa"]
    true_relations = sum(k in fact_keys[cid] for cid, k in verified_relations)
    wrong = [(o.case["id"], t) for o in outcomes for t in o.case["wrong"] if o.verified(t)]
    not_facts = [(o.case["id"], t) for o in outcomes for t in o.case["not_facts"] if o.is_accepted(t)]
    missing = [(o.case["id"], t) for o in outcomes for t, codes in o.must_report()
               if not (o.codes(t) & codes)]
    return {
        "cases": len(outcomes),
        "errors": sum(bool(o.error) for o in outcomes),
        "facts": len(facts),
        "verified_facts": verified_facts,
        "recall": round(verified_facts / len(facts), 3) if facts else 0.0,
        "verified_relations": len(verified_relations),
        "precision": round(true_relations / len(verified_relations), 3) if verified_relations else 1.0,
        "wrong": sum(len(o.case["wrong"]) for o in outcomes),
        "wrong_verified": len(wrong),
        "not_facts": sum(len(o.case["not_facts"]) for o in outcomes),
        "not_facts_accepted": len(not_facts),
        "must_report": sum(len(o.must_report()) for o in outcomes),
        "must_report_missing": len(missing),
        "wrong_verified_list": [f"{cid}: {t}" for cid, t in wrong],
        "not_facts_accepted_list": [f"{cid}: {t}" for cid, t in not_facts],
        "must_report_missing_list": [f"{cid}: {t}" for cid, t in missing],
        "verified_not_in_facts": [f"{cid}: {k}" for cid, k in verified_relations if k not in fact_keys[cid]],
    }
