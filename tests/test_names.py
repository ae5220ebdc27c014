"""Names: session names are matched whole; invisible and combining characters never cut an IRI.

Regression tests for the issue "Session name "ab\\n" is accepted ... Zero-width and
combining characters inside a name cut it (Al\\u200bien -> al)".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from hydra_magic.candidates import TextChunk, TripleCandidate
from hydra_magic.errors import JournalError
from hydra_magic.iri import (
    DEFAULT_BASE,
    camel_case,
    clean_name,
    is_snake_case,
    mint,
    normalise_label,
    pascal_case,
    snake_case,
)
from hydra_magic.journal import Journal, valid_session_name
from hydra_magic.session import Session, SessionConfig

BASE = DEFAULT_BASE + "entity/"


# ------------------------------------------------------------ session names
@pytest.mark.parametrize("name", ["ab\n", "ab\r\n", "\nab", "a\nb", "ab\t"])
def test_session_name_with_a_newline_or_tab_is_refused(name: str, tmp_path: Path) -> None:
    # The old pattern ended in `$`, which also matches before a final "\n".
    assert not valid_session_name(name)
    with pytest.raises(JournalError, match=r"is not allowed: it contains a (newline|carriage return|tab)"):
        Journal(tmp_path, name)
    with pytest.raises(JournalError, match="not allowed"):
        Session(name, SessionConfig(journal_dir=str(tmp_path)))
    assert list(tmp_path.iterdir()) == []  # no directory with a newline in its name


def test_session_names_that_stay_allowed() -> None:
    for name in ("default", "films", "Films-2024", "a.b_c", "x" * 64, "0"):
        assert valid_session_name(name), name
    for name in ("", "x" * 65, "..", "a..b", "-a", ".hidden", "a b", "a/b", "é", "Al\u200bien"):
        assert not valid_session_name(name), name


def test_session_name_message_names_the_character(tmp_path: Path) -> None:
    with pytest.raises(JournalError) as info:
        Journal(tmp_path, "Al\u200bien")
    msg = str(info.value)
    assert "U+200B" in msg and "Use letters, digits" in msg


def test_magics_refuse_a_session_name_with_a_newline(hydra_ext: Any, journal_dir: str) -> None:
    from IPython.core.error import UsageError
    from traitlets import TraitError

    with pytest.raises(UsageError, match="newline"):
        hydra_ext.magics.open_session("ab\n")
    with pytest.raises(TraitError, match="not allowed"):
        hydra_ext.magics.session_name = "ab\n"
    assert not any("\n" in p.name for p in Path(journal_dir).iterdir())


# ------------------------------------------------------------ IRIs
def test_zero_width_characters_do_not_cut_a_name() -> None:
    # Before: snake_case("Al\u200bien") == "al_ien" and the rules engine minted "al".
    assert snake_case("Al\u200bien") == "alien"
    assert pascal_case("Al\u200bien") == "Alien"
    assert camel_case("release\u200d year") == "releaseYear"
    assert normalise_label("Al\u00adien") == "alien"  # soft hyphen
    assert mint(BASE, "Al\u200bien") == mint(BASE, "Alien")
    assert mint(BASE, "\ufeffalien\u2060") == URIRef(BASE + "alien")


def test_combining_marks_give_the_same_iri_as_the_precomposed_letter() -> None:
    assert snake_case("Zoe\u0301") == snake_case("Zo\u00e9") == "zo\u00e9"
    assert mint(BASE, snake_case("Zoe\u0301 Dupont")) == mint(BASE, "zo\u00e9_dupont")
    assert mint(BASE, "Zoe\u0301") == mint(BASE, "Zo\u00e9")


def test_combining_marks_stay_in_their_word() -> None:
    # Before: marks that NFC cannot merge were word breaks ("हिन्दी" fell apart, "İ" lost its dot).
    assert snake_case("\u0939\u093f\u0928\u094d\u0926\u0940 Film") == "\u0939\u093f\u0928\u094d\u0926\u0940_film"
    assert snake_case("e\u0301\u0301x") == "\u00e9\u0301x"
    assert snake_case("\u0130stanbul") == snake_case(snake_case("\u0130stanbul"))
    assert is_snake_case(snake_case("\u0130stanbul"))


def test_unpaired_surrogate_still_mints_a_valid_iri() -> None:
    iri = mint(BASE, "a\ud800b")  # JSON can carry "\ud800"; quote() used to raise UnicodeEncodeError
    assert str(iri).isascii() and "%EF%BF%BD" in str(iri)


class _OneTriple:
    """An engine that proposes one typing with a zero-width space in the entity name."""

    name = "zw"

    def propose_ontology(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover - not called
        raise AssertionError

    def extract(self, chunk: TextChunk, ontology: Any, kg: Any, feedback: Any = ()) -> list[TripleCandidate]:
        surface = "Al\u200bien"
        start = chunk.text.index(surface)
        return [TripleCandidate("al\u200bien", "isA", "Film", surface, sentence=chunk.text,
                                subject_span=(chunk.start + start, chunk.start + start + len(surface)))]


def test_entity_iri_is_normalised_and_the_surface_form_kept_as_label(make_session: Any) -> None:
    s = make_session("names")
    s.add_cqs("Which films did a director direct?")
    s.register_engine("zw", _OneTriple())
    result = s.extract("Al\u200bien is a film.", source="t", engine="zw")
    assert not result.rejected, [r.codes for r in result.rejected]
    (fact,) = [f for f in s.kg]
    assert fact.subject == s.kg.entity_iri("alien")
    assert s.kg.labels()[fact.subject] == "Al\u200bien"


# ------------------------------------------------------------ properties
_IRI_CHARS = re.compile(r"[A-Za-z0-9!$&'()*+,;=:@/\-._~]|%[0-9A-F]{2}")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_mints_a_valid_iri_and_minting_is_idempotent(text: str) -> None:
    iri = mint(BASE, text)
    suffix = str(iri)[len(BASE):]
    assert _IRI_CHARS.sub("", suffix) == "", suffix  # only unreserved/sub-delims or %XX: a valid IRI
    assert mint(BASE, unquote(suffix)) == iri  # minting the decoded name again changes nothing
    assert mint(BASE, clean_name(text)) == iri


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_names_are_stable_under_renaming(text: str) -> None:
    name = snake_case(text)
    assert snake_case(name) == name
    assert not name or is_snake_case(name)
    assert pascal_case(pascal_case(text)) == pascal_case(text)
    assert mint(BASE, snake_case(name)) == mint(BASE, name)
    assert "\u200b" not in name and "\u200d" not in name
