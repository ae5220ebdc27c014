"""Text -> triple candidates (the offline rules engine's reading of text), and trigger learning.

Modules: :mod:`.words` (word lists), :mod:`.tokens`, :mod:`.mentions` (mention finding),
:mod:`.compiled` (an ontology's tables), :mod:`.subjects`, :mod:`.extract`, :mod:`.relation_model`
and :mod:`.relation_training` (the learned relation model), :mod:`.learn`.

Extraction works sentence by sentence with precompiled tables (no SPARQL, no
model):

1. sentences are split at ``. ! ?`` except after abbreviations and initials;
2. mentions are found: names (capitalised spans with inner ``of/the/de/for``,
   initials ``J. J. Abrams``, titles with colons ``Looney Tunes: Back in
   Action``), quoted titles, dates, years, numbers, and known values learned for
   a property (``comedy horror``, ``tenor``);
3. relation triggers are matched on word stems (so inflections match): each
   property's label and alternative labels, the passive form of agent nouns
   (``director`` -> ``directed by``), and learned triggers (``hydra:trigger``);
4. each trigger takes the nearest mention of a kind its property accepts as the
   object (and the following ones of a list ``A, B and C``); the subject is the
   sentence subject (a title that runs to ``is``/``(``, else its first name; a list
   ``A and B star in …`` gives each), after a pronoun the previous sentence's subject,
   after ``The film`` the latest entity typed ``Film``; nearer subjects win: ``X's
   producer Y``, ``the capital of X is Y``, ``…, which is in Y``; in ``Y was the
   architect of X`` the owner ``X`` is the subject. A passive alternative label of an
   active property (``directed by`` for ``directs``) swaps subject and object;
5. a learned relation model (see Learning) proposes a property for the mentions no
   trigger linked, when it is confident ("a 2016 American space opera film" -> genre);
6. every entity gets one class: the KG's, a class read in ``X is a <class>``, or
   one inferred from the domains and ranges of the properties it takes part in
   (an ``isA`` candidate with ``inferred=True``; the contracts decide from the text
   whether a type is stated, and flag facts that rest on inferred types). A class
   the text states is proposed even when the KG knows the entity only by an
   inferred type, so a contradiction reaches the contracts (``type_conflict``).
   Nothing formed vanishes: relations whose domain or range cannot hold, and
   values not in their datatype's form, are proposed as read, so that the
   contracts reject them where the user sees it.

Trigger syntax (``hydra:trigger``, readable and editable): a plain phrase
``directed by`` means *subject … phrase object*; ``{o}`` marks where the object
stands when it precedes the phrase (``{o} film``), and ``{s}`` a subject that
follows (``{o} directed {s}``).

Learning (:func:`learn_triggers`) stores in the ontology, per property:

* ``hydra:trigger`` - phrases that precede (or follow) the property's objects in
  the labelled sentences, kept when they are frequent enough and precise: the
  share of their labelled occurrences that belong to this property times the
  share of their occurrences in this property's sentences that sit next to its
  object;
* ``hydra:objectForm`` - the kinds of mention its objects take (``name``,
  ``quoted``, ``value``, ``year``, ``date``, ``number``);
* ``hydra:knownValue`` - object values (``tenor``, ``science fiction``) whose
  occurrences in the training sentences mostly are this property's objects;

and on the ontology node (``owl:Ontology``) ``hydra:leadingArticle "keep"`` when
the labelled names include a leading ``The``, ``hydra:nameWord`` for lower-case
words that mostly occur inside names (``national``, ``volleyball``, ``team``), and
``hydra:relationModel``: a JSON literal holding an averaged perceptron over each
mention's context (the words before and after it and in its clause, its own words
and kind, the sentence's content words) that says which property, if any, links the
sentence's subject to it; the lower-case object values seen in the labels (``space
opera``), read as mentions; and the second parts of names the labels write ``A, B``
(``Cook County, Illinois``), which join such pairs into one name.

Compiled tables are cached per ontology and rebuilt whenever its index is
(:meth:`Ontology.refresh`), so edits to these annotations take effect after a refresh.
"""

from __future__ import annotations

from ...sentences import split_sentences
from .compiled import KNOWN_VALUE, LEADING_ARTICLE, NAME_WORD, OBJECT_FORM, TRIGGER
from .extract import extract_triples
from .learn import learn_triggers
from .relation_model import RELATION_MODEL
from .words import MENTION_KINDS

__all__ = [
    "extract_triples",
    "learn_triggers",
    "split_sentences",
    "MENTION_KINDS",
    "TRIGGER",
    "OBJECT_FORM",
    "KNOWN_VALUE",
    "LEADING_ARTICLE",
    "NAME_WORD",
    "RELATION_MODEL",
]
