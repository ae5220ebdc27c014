"""Other ways English states a relation, as data: per property label (its first word as a verb
lemma, ``born in`` -> ``bear in``), phrases that say the same with the same two arguments.

Notation of a phrase (compiled by :func:`.compiled._paraphrase_triggers`):

- ``word*``: the word is a verb; each of its forms is read (``buy*`` -> buy, buys, bought,
  buying);
- ``word+``: as ``*``, and its passive with ``by`` names the subject (``establish+`` also reads
  "established by X" as X founds …);
- ``<phrase``: the phrase's object is the relation's subject ("<starring": "Heat, starring
  Al Pacino" -> Al Pacino stars in Heat);
- ``{o} phrase``: the object stands before the phrase ("has 310,000 inhabitants");
- ``light verb + role`` ("serve* as", "led by") are phrases like any other.

A phrase is left out of an ontology where it is another property's own label or where two
properties would share it: the ontology's words come first. These are general English
paraphrases of common relation words; they are not tied to one text.
"""

from __future__ import annotations

PARAPHRASES: dict[str, tuple[str, ...]] = {
    # organisations
    "found": ("establish+", "co-found+", "set+ up", "create+", "form+", "founder of", "co-founder of"),
    "founding date": ("establish* on",),
    "founding year": ("establish* in", "set* up in", "incorporate* in"),
    "acquire": ("buy+", "purchase+", "take* over", "purchase of", "acquisition of", "takeover of"),
    "sell": ("offer*", "market*", "manufacture*"),
    "market": ("sell+", "distribute+", "commercialise+", "commercialize+"),
    "headquarter in": ("base* in", "headquarters in", "head office in", "headquartered in", "headquarters are in",
                       "headquarters is in", "head office is in"),
    "chief executive": ("led by", "headed by", "run by", "chief executive officer", "ceo", "<lead*", "<head*"),
    "employ": ("workforce of",),
    "number of employees": ("employ*", "workforce of", "staff of"),
    # medicine and science
    "treat": ("used to treat", "indicated for", "approved for", "cure*", "used against",
              "used for the treatment of", "prescribed for the treatment of", "indicated for the treatment of",
              "used in the treatment of", "approved for the treatment of", "approved to treat", "indicated to treat",
              "prescribed for", "treatment for", "therapy for"),
    "inhibit": ("block*", "inhibitor of", "suppress*", "antagonist of", "blocker of"),
    "approval date": ("approve* on", "authorise* on", "authorize* on"),
    "side effect": ("adverse effect", "adverse reaction", "adverse event"),
    "associat with": ("link* to", "implicated in", "linked with", "related to"),
    "associate with": ("link* to", "implicated in", "linked with", "related to"),
    "encode": ("code* for",),
    "produce": ("make+", "synthesise+", "synthesize+", "secrete+"),
    "live in": ("inhabit*", "occur* in", "found in", "native to"),
    "feed on": ("eat*", "prey* on", "feed* mainly on", "feed* largely on"),
    "discover": ("identify+", "isolate+", "discoverer of"),
    "infect": ("infection of", "pathogen of", "parasite of"),
    # people
    "marry to": ("marry*", "wed*", "wife of", "husband of", "spouse of", "wife", "husband"),
    "bear in": ("native of",),
    "receive": ("win*", "award*", "earn*", "honoured with", "recipient of", "winner of"),
    "attend": ("study* at", "educate* at", "graduate* from", "enrol* at", "student at", "alumnus of", "alumna of",
               "graduate of", "degree from"),
    "hold": ("serve* as", "become*", "elected", "appointed", "post of", "office of"),
    "child": ("daughter", "son", "children", "father of", "mother of", "parent of", "<son of", "<daughter of",
              "<child of"),
    "has child": ("daughter", "son", "children", "father of", "mother of", "parent of", "<son of", "<daughter of",
                  "<child of"),
    # places
    "border": ("neighbour*", "neighbor*", "share* a border with", "share* borders with"),
    "lie on": ("stand* on", "situated on", "located on", "built on", "<pass* through", "<flow* through"),
    "flow into": ("empty* into", "drain* into", "discharge* into", "flow* into"),
    "capital": ("capital city", "seat of government"),
    "has capital": ("capital city", "seat of government"),
    "locate in": ("situated in", "lie* in", "city in", "town in", "village in", "port city in", "port town in",
                  "municipality in"),
    "highest mountain": ("highest point", "highest peak", "tallest mountain", "highest summit"),
    "population": ("inhabitants", "population of", "{o} inhabitants", "{o} residents"),
    # sport
    "play for": ("sign* for", "sign* with", "join*", "captain of", "striker for", "midfielder for", "defender for",
                 "goalkeeper for", "forward for", "winger for", "player for"),
    "win": ("claim*", "clinch*", "champion of", "title of"),
    "coach": ("manage+", "head coach of", "manager of", "coached by"),
    "has home ground": ("play* at", "play* its home games at", "play* their home games at", "home stadium",
                        "home games at", "stadium", "play* its home matches at", "play* their home matches at",
                        "home matches at"),
    "home ground": ("play* at", "play* its home games at", "play* their home games at", "home stadium",
                    "home games at", "stadium", "play* its home matches at", "play* their home matches at",
                    "home matches at"),
    "defeat": ("beat+", "win* against", "victory over", "overcome+", "<lose* to"),
    # film and books
    "direct": ("<film by", "<directed and written by", "<written and directed by", "director of"),
    "star in": ("<star*", "<starring", "<stars", "appear* in", "<cast includes", "<cast included",
                "<cast also includes", "<cast also included"),
    "release date": ("premiere* on", "release* on", "debut* on"),
    "write": ("<screenplay by", "<written by", "author of"),
    "write screenplay of": ("<screenplay by", "<script by", "screenwriter of", "write* the screenplay for",
                            "write* the script for", "co-write* the screenplay for"),
    "compose music for": ("<music by", "write* the score for", "write* the music for",
                          "compose* the score for", "compose* the music for", "composer of"),
    "base on": ("adapted from", "adaptation of", "based upon", "inspired by", "<adapted into"),
    "death date": ("pass* away on", "die* on"),
    "birth date": ("bear* on",),
}

#: Phrases that state a relation and leave its object implicit: the paragraph's topic, when it is the
#: one entity of the property's range the clause may mean ("Heat is a 1995 film. Al Pacino plays the
#: lead." -> Al Pacino stars in Heat). Keyed like :data:`PARAPHRASES`; ``word*`` is a verb in its forms.
IMPLICIT_OBJECT: dict[str, tuple[str, ...]] = {
    "star in": ("play* the lead", "play* the leading role", "play* the leading roles", "play* the lead role",
                "play* the lead roles", "play* the title role", "play* the main role", "play* the main roles",
                "star* as", "co-star*", "play* a", "play* an"),
}
