"""Common-noun entities, as data: the classes whose instances English writes in lower case
("polonium", "credit cards", "chronic myeloid leukemia"), the property labels whose values are
such nouns, and the nouns that never name an entity of their own ("the company").

A class takes common nouns when the head of its name or label (its last word, singular) is in
:data:`COMMON_HEADS`: ``Disease``, ``DrugClass`` (head ``class``), ``SideEffect``, ``Product``.
Names still read as names for such classes ("Windows"); the noun reading is added, only in
argument position (see :func:`.nouns.noun_objects`).
"""

from __future__ import annotations

#: Heads of class names whose instances are written in lower case.
COMMON_HEADS = frozenset(
    """
disease illness disorder condition infection syndrome symptom cancer tumor tumour injury
effect reaction complication
class category family
drug medicine medication antibiotic vaccine therapy treatment
compound element chemical substance material mineral metal molecule ingredient nutrient
food dish product service commodity crop
protein enzyme hormone
position role occupation profession job
competition championship trophy
habitat prey
""".split()
)

#: Property labels (lemmatised, as the paraphrase table keys them) whose values are common nouns
#: whatever their range: "What does a species feed on?" asks for "aquatic insects".
COMMON_LABELS = frozenset({"feed on", "eat", "side effect", "symptom", "ingredient", "prey on"})

#: Range heads that a copula names ("X is a tyrosine kinase inhibitor" for ``DrugClass``).
CATEGORY_HEADS = frozenset({"class", "category", "family"})

#: Heads that never make a noun phrase an entity: a definite description or a generic word
#: ("the company", "the drug", "patients") refers to something else or to nothing.
GENERIC_HEADS = frozenset(
    """
company firm group corporation business organisation organization team club side squad
film movie drug person people man woman men women child children patient patients adult adults
country city town place area region one ones thing things way ways part parts number numbers
kind kinds type types sort form forms case cases year years time times day days world others
amount lot lots range variety series set member members other
risk use study studies trial trials report reports work works result results effect effects
game games match matches final finals season seasons title titles record records
""".split()
)

#: Words that may stand between a trigger and its noun object ("side effects include nausea",
#: "associated with an increased risk of breast cancer").
NOUN_BRIDGES = frozenset(
    "include includes included including such as like the a an are were is was mainly mostly "
    "chiefly largely primarily".split()
)

#: Where a living thing lives is written with common nouns ("lives in high-elevation lakes and
#: streams"): a place-like range takes them when the domain is one of these.
LIVING_HEADS = frozenset("species organism animal plant bird fish insect mammal reptile amphibian frog".split())
PLACE_HEADS = frozenset("place location habitat environment area region".split())
