"""The English lexicon of the CQ grammar, as data: function words, irregular nouns and verbs,
adjectives, common verbs, attribute words and their datatypes, the word lists of the question families.

Plain tables (the irregular verbs are one readable table, indexed at import); :mod:`.morphology`,
:mod:`.word_classes` and :mod:`.cq` read them.
"""

from __future__ import annotations

# --- nouns (morphology) ---------------------------------------------------------

VOWELS = frozenset("aeiou")

IRREGULAR_PLURALS = {
    "people": "person", "persons": "person", "children": "child", "men": "man", "women": "woman",
    "mice": "mouse", "geese": "goose", "teeth": "tooth", "feet": "foot", "oxen": "ox", "lice": "louse",
    "dice": "die", "criteria": "criterion", "phenomena": "phenomenon", "bacteria": "bacterium",
    "fungi": "fungus", "cacti": "cactus", "nuclei": "nucleus", "stimuli": "stimulus", "alumni": "alumnus",
    "radii": "radius", "larvae": "larva", "antennae": "antenna", "formulae": "formula",
    "indices": "index", "matrices": "matrix", "vertices": "vertex", "appendices": "appendix",
    "analyses": "analysis", "theses": "thesis", "hypotheses": "hypothesis", "diagnoses": "diagnosis",
    "crises": "crisis", "axes": "axis", "syntheses": "synthesis", "parentheses": "parenthesis",
    "bases": "base", "chairmen": "chairman", "businessmen": "businessman", "firemen": "fireman",
    "policemen": "policeman", "fishermen": "fisherman", "gentlemen": "gentleman",
    "spokesmen": "spokesman", "sportsmen": "sportsman", "craftsmen": "craftsman",
    "salesmen": "salesman", "workmen": "workman", "congressmen": "congressman",
    "buses": "bus", "viruses": "virus", "statuses": "status", "campuses": "campus",
    "bonuses": "bonus", "censuses": "census", "geniuses": "genius", "octopuses": "octopus",
    "platypuses": "platypus", "choruses": "chorus", "focuses": "focus", "corpora": "corpus",
    "genera": "genus", "quizzes": "quiz", "gases": "gas", "canvases": "canvas", "aliases": "alias",
    "biases": "bias", "atlases": "atlas", "lenses": "lens", "irises": "iris",
    "wolves": "wolf", "halves": "half", "calves": "calf", "shelves": "shelf", "leaves": "leaf",
    "loaves": "loaf", "thieves": "thief", "selves": "self", "elves": "elf", "scarves": "scarf",
    "dwarves": "dwarf", "wharves": "wharf", "hooves": "hoof", "knives": "knife", "wives": "wife",
    "lives": "life", "midwives": "midwife", "housewives": "housewife",
    "cookies": "cookie", "movies": "movie", "zombies": "zombie", "pies": "pie", "ties": "tie",
    "lies": "lie", "rookies": "rookie", "prairies": "prairie", "calories": "calorie",
    "genies": "genie", "smoothies": "smoothie", "selfies": "selfie", "goalies": "goalie",
    "hippies": "hippie", "aunties": "auntie", "brownies": "brownie", "sorties": "sortie",
    "caches": "cache", "niches": "niche", "aches": "ache", "headaches": "headache",
    "avalanches": "avalanche", "moustaches": "moustache", "quiches": "quiche",
    "shoes": "shoe", "toes": "toe", "canoes": "canoe", "oboes": "oboe", "foes": "foe",
    "hoes": "hoe", "floes": "floe", "sloes": "sloe",
    "houses": "house", "causes": "cause", "uses": "use", "excuses": "excuse", "muses": "muse",
    "fuses": "fuse", "abuses": "abuse", "blouses": "blouse", "spouses": "spouse",
    "warehouses": "warehouse", "greenhouses": "greenhouse", "courthouses": "courthouse",
    "lighthouses": "lighthouse", "databases": "database",
}
#: Nouns with one form for both numbers (plural of "data" is "data").
SAME_BOTH = frozenset({
    "news", "series", "species", "means", "headquarters", "physics", "mathematics", "economics",
    "ethics", "politics", "statistics", "genetics", "linguistics", "logistics", "athletics",
    "gymnastics", "electronics", "robotics", "graphics", "informatics", "bioinformatics",
    "data", "metadata", "media", "sheep", "deer", "fish", "moose", "bison", "aircraft",
    "spacecraft", "offspring", "software", "hardware", "firmware", "information", "equipment",
    "feedback", "staff", "salmon", "trout", "swine", "corps", "chaos", "cosmos", "ethos",
    "thanks", "trousers", "scissors", "glasses", "clothes", "premises", "whereabouts",
    "barracks", "crossroads", "gallows", "diabetes", "measles", "mumps", "billiards",
})
#: Words that end in -s (or look plural) but are singular, or are the same in both numbers.
INVARIANT_NOUNS = frozenset({
    "news", "series", "species", "means", "headquarters", "physics", "mathematics", "economics",
    "ethics", "politics", "statistics", "genetics", "linguistics", "logistics", "athletics",
    "gymnastics", "electronics", "robotics", "graphics", "informatics", "bioinformatics",
    "diabetes", "measles", "mumps", "billiards", "chaos", "cosmos", "ethos", "pathos",
    "rhinoceros", "christmas", "data", "metadata", "media", "sheep", "deer", "fish", "moose",
    "bison", "aircraft", "spacecraft", "offspring", "software", "hardware", "firmware",
    "information", "equipment", "feedback", "staff", "salmon", "trout", "swine", "corps",
    "thanks", "trousers", "scissors", "glasses", "clothes", "premises", "whereabouts",
    "barracks", "crossroads", "gallows", "innings", "lens", "gas", "bus", "plus", "bonus",
    "status", "virus", "campus", "census", "focus", "genus", "corpus", "chorus", "canvas",
    "atlas", "alias", "bias", "iris", "thesis", "analysis", "basis", "axis", "crisis",
    "diagnosis", "hypothesis", "synopsis", "emphasis", "oasis", "tennis", "class", "process",
    "access", "address", "business", "success", "progress", "glass", "grass", "mass", "boss",
    "loss", "cross", "dress", "press", "express", "congress", "witness", "fitness", "wellness",
    "illness", "ness", "gps", "dns", "os", "sms", "aids", "arts", "sports", "ios",
})


PLURALS_BY_SINGULAR: dict[str, str] = {}
for _pl, _sg in IRREGULAR_PLURALS.items():
    PLURALS_BY_SINGULAR.setdefault(_sg, _pl)
PLURALS_BY_SINGULAR.update({"person": "people", "potato": "potatoes", "tomato": "tomatoes",
                             "hero": "heroes", "echo": "echoes", "veto": "vetoes", "torpedo": "torpedoes",
                             "volcano": "volcanoes", "mosquito": "mosquitoes", "quiz": "quizzes"})


# --- verbs (morphology) ---------------------------------------------------------

IRREGULAR_VERBS_TABLE = """
arise arose arisen|awake awoke awoken|be was been|bear bore born|beat beat beaten
become became become|begin began begun|bend bent bent|bet bet bet|bind bound bound
bite bit bitten|bleed bled bled|blow blew blown|break broke broken|breed bred bred
bring brought brought|broadcast broadcast broadcast|build built built|buy bought bought
catch caught caught|choose chose chosen|cling clung clung|come came come|cost cost cost
creep crept crept|cut cut cut|deal dealt dealt|dig dug dug|do did done|draw drew drawn
drink drank drunk|drive drove driven|eat ate eaten|fall fell fallen|feed fed fed
feel felt felt|fight fought fought|find found found|flee fled fled|fly flew flown
forbid forbade forbidden|forecast forecast forecast|foresee foresaw foreseen
forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten
give gave given|go went gone|grow grew grown|hang hung hung|have had had|hear heard heard
hide hid hidden|hit hit hit|hold held held|hurt hurt hurt|keep kept kept|kneel knelt knelt
know knew known|lay laid laid|lead led led|leave left left|lend lent lent|let let let
light lit lit|lose lost lost|make made made|mean meant meant|meet met met
mislead misled misled|overcome overcame overcome|oversee oversaw overseen
overtake overtook overtaken|pay paid paid|prove proved proven|put put put|quit quit quit
read read read|rebuild rebuilt rebuilt|rewrite rewrote rewritten|ride rode ridden
ring rang rung|rise rose risen|run ran run|say said said|see saw seen|seek sought sought
sell sold sold|send sent sent|set set set|sew sewed sewn|shake shook shaken|shed shed shed
shine shone shone|shoot shot shot|show showed shown|shrink shrank shrunk|shut shut shut
sing sang sung|sink sank sunk|sit sat sat|sleep slept slept|slide slid slid
speak spoke spoken|speed sped sped|spend spent spent|spin spun spun|split split split
spread spread spread|spring sprang sprung|stand stood stood|steal stole stolen
stick stuck stuck|sting stung stung|strike struck struck|swear swore sworn
sweep swept swept|swim swam swum|swing swung swung|take took taken|teach taught taught
tear tore torn|tell told told|think thought thought|throw threw thrown
undergo underwent undergone|understand understood understood
undertake undertook undertaken|upset upset upset|wake woke woken|wear wore worn
weave wove woven|win won won|withdraw withdrew withdrawn|withhold withheld withheld
write wrote written|inhabit inhabited inhabited|outrun outran outrun|overthrow overthrew overthrown
"""
IRREGULAR: dict[str, tuple[str, str]] = {}
for _entry in IRREGULAR_VERBS_TABLE.replace("\n", "|").split("|"):
    if _entry.strip():
        _b, _p, _pp = _entry.split()
        IRREGULAR[_b] = (_p, _pp)
IRREGULAR_FORMS: dict[str, str] = {}
for _b, (_p, _pp) in sorted(IRREGULAR.items()):
    for _f in (_p, _pp):
        if _f != _b:
            IRREGULAR_FORMS.setdefault(_f, _b)
IRREGULAR_FORMS.update({"is": "be", "are": "be", "am": "be", "were": "be", "been": "be", "being": "be",
                         "has": "have", "does": "do", "goes": "go", "says": "say", "got": "get",
                         "focuses": "focus", "biases": "bias", "bias": "bias", "focus": "focus",
                         "embed": "embed", "shed": "shed", "wed": "wed", "shred": "shred", "premiered": "premiere",
                         "premiering": "premiere",
                         "burnt": "burn", "learnt": "learn", "spelt": "spell", "dreamt": "dream"})

#: Two-syllable verbs whose final consonant doubles (stress on the last syllable).
DOUBLING = frozenset({
    "admit", "commit", "submit", "permit", "omit", "emit", "transmit", "remit", "acquit", "refer",
    "prefer", "confer", "defer", "deter", "infer", "transfer", "occur", "recur", "incur", "concur",
    "control", "patrol", "enrol", "compel", "expel", "propel", "repel", "dispel", "excel", "rebel",
    "regret", "equip", "abet", "allot", "outwit", "embed", "format", "program", "kidnap", "unplug",
    "handicap", "overlap", "upgrade",
}) - {"upgrade"}
#: Stems (after removing -ed/-ing) that need their final "e" back although the rules say no.
ADD_E = frozenset({
    "creat", "welcom", "conven", "interven", "contraven", "scal", "inhal", "exhal", "impal",
    "adher", "interfer", "rever", "persever", "coher", "stor", "scor", "ignor", "explor", "restor",
    "ador", "bor", "snor", "implor", "deplor", "chor", "unit", "invit", "cit", "excit", "ignit",
    "recit", "incit", "expedit", "sit", "writ", "bit", "smit", "spit", "vot", "not", "quot", "promot",
    "devot", "denot", "emot", "remot", "complet", "compet", "delet", "deplet", "secret", "tast",
    "wast", "past", "hast", "chast", "cach", "bath", "breath", "cloth", "loath", "seeth", "sooth",
    "teeth", "writh", "bequeath", "sheath", "wreath", "rout", "consol", "cajol", "parol", "spong",
    "condon", "postpon", "aton", "guid", "persuad", "dissuad", "glid", "chid",
})
#: Stems that keep their shape although a rule would add "e" or undouble a consonant.
NO_E = frozenset({
    "develop", "envelop", "gallop", "wallop", "gossip", "worship", "scallop", "dollop",
    "blossom", "ransom", "bottom", "fathom", "random", "focus", "bias", "gas", "canvas", "chorus",
    "add", "odd", "err", "purr", "butt", "boycott", "watt", "buzz", "fizz", "jazz", "egg", "ebb",
    "pencil", "stencil", "council", "cavil", "orphan", "open", "happen", "listen",
    "abandon", "pardon", "reckon", "beckon", "summon", "pivot", "pilot", "riot", "ballot",
    "target", "budget", "market", "interpret", "benefit", "pocket", "visit", "edit", "exhibit",
    "inhabit", "limit", "credit", "inherit", "profit", "deposit", "audit", "vomit", "exit",
    "model", "label", "travel", "cancel", "level", "channel", "signal", "total", "equal",
    "gag", "tag", "flag",
})
#: British double-l spellings: "controlled" → "control", "travelled" → "travel".
LL_UNDOUBLE = frozenset({
    "controll", "patroll", "labell", "travell", "modell", "cancell", "levell", "signall", "fuell",
    "compell", "propell", "repell", "expell", "excell", "enroll", "rebell", "dispell", "channell",
    "totall", "equall", "counsell", "marvell", "tunnell", "quarrell",
})


EED_PAST = frozenset({"freed", "agreed", "guaranteed", "refereed", "decreed", "disagreed", "teed"})


# --- function words, adjectives, common verbs, attribute words ------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DETERMINERS = _words("a an the this that these those some any each every all my our your their its his her "
                     "no another such both either neither whose")
DEMONSTRATIVE = _words("this that these those the its his her their my our your")
#: Modifiers dropped from class names: "other animals" is Animal, "the main types" are types.
QUALIFIERS = _words("other same different various certain particular specific given main possible several "
                    "many few respective individual potential primary else")
PRONOUNS = _words("it they them he she him something someone somebody anything anyone anybody everything "
                  "everyone one ones this that these those")
FIRST_PERSON = _words("i we me us you myself ourselves yourself")
PREPS = _words("in on at by for from with to of about into onto through over under between among against "
               "during within without as like near around across after before behind via per toward towards "
               "upon along beyond since until inside outside throughout beside besides")
PARTICLES = _words("up out off down away back")
AUX_DO = _words("do does did")
AUX_BE = _words("is are was were be been being am")
AUX_HAVE = _words("has have had")
MODALS = _words("can could will would shall should may might must")
AUX = AUX_DO | AUX_BE | AUX_HAVE | MODALS
NEG = _words("not never")
WH = _words("which what who whom whose where when how why")
CONJ = _words("and or nor but")
ADVERBS = _words("also still often usually typically always ever currently already now mostly mainly generally "
                 "commonly actually really very most least more less well only just even sometimes normally "
                 "frequently rarely primarily originally first last previously recently best better worse "
                 "worst today yesterday nowadays together")
#: Trailing time adverbs that add nothing to the ontology: "Who has used X today?".
TRAILING = (("today",), ("now",), ("nowadays",), ("currently",), ("recently",), ("yesterday",),
            ("in", "the", "past"), ("so", "far"), ("at", "the", "moment"))
FUNCTION = (DETERMINERS | PRONOUNS | FIRST_PERSON | PREPS | AUX | NEG | WH | CONJ
            | _words("there here if then than that so because whether while"))
SUPERLATIVE = {"highest": "max", "largest": "max", "biggest": "max", "greatest": "max", "longest": "max",
               "tallest": "max", "oldest": "max", "most": "max", "lowest": "min", "smallest": "min",
               "shortest": "min", "youngest": "min", "least": "min", "fewest": "min"}
ADJECTIVES = _words(
    "extinct free open available active popular reliable extensible scriptable compatible proprietary pure "
    "mixed wild domestic native invasive carnivorous herbivorous omnivorous nocturnal aquatic terrestrial "
    "marine toxic venomous poisonous edible alive dead public private commercial official valid current old "
    "new young large small big tall short long fast slow rich poor famous rare common local global national "
    "international independent deprecated stable secure safe dangerous healthy organic digital mobile online "
    "offline abstract concrete secondary male female married single obsolete accessible interoperable suitable "
    "appropriate capable similar related relevant equivalent identical adjacent close near far responsible "
    "dependent homogeneous heterogeneous structured unstructured solid liquid gaseous soluble insoluble "
    "endemic migratory social solitary venomous harmful useful free-standing open-source closed-source "
    "maintained deprecated licensed certified endangered threatened protected vulnerable extinct "
    "true false real virtual physical mental electronic genetic specific generic scientific academic exotic "
    "tropical arctic dominant resistant efficient present absent prevalent abundant fertile sterile "
    "permanent temporary visible invisible optional mandatory required free-to-use easy difficult")
ADJ_SUFFIXES = ("ous", "ive", "able", "ible", "ful", "less", "ical")

#: Base forms of verbs common in competency questions (plus the irregular ones); used to find the verb.
COMMON_VERBS = frozenset(IRREGULAR) | _words(
    "accept access acquire act add affect allow analyse analyze annotate answer appear apply approve "
    "attend attract author award belong border borrow call cause change cite claim classify collaborate "
    "collect combine compare compile compose compute connect consist constrain consume contain continue "
    "contribute convert cook cover create cross cure decide declare define delete deliver depend depict "
    "derive describe design destroy detect determine develop differ digest direct discover display "
    "distribute divide document download edit employ enable encode end enjoy ensure enter equip establish "
    "evaluate examine exchange exhibit exist expand explain export express extend extract face feature fill "
    "filter finance fix follow form fund generate govern graze guide handle happen harm hate help host hunt "
    "identify illustrate implement import improve include increase indicate infect influence inform inhabit "
    "install integrate intend interact introduce invent invest invite involve issue join kill label lack "
    "land last launch license like limit link list listen live load locate look love maintain manage "
    "manufacture map mark marry match measure mention merge migrate model modify monitor move name need "
    "nest observe obtain occupy occur offer open operate order organise organize originate own paint "
    "participate pass perform permit pick place plan plant play pollinate possess predict prefer premiere "
    "prepare present preserve prevent prey process produce program promote protect prove provide publish "
    "purchase pursue qualify rank rate reach receive recommend record reduce refer regulate relate release "
    "rely remain remove render rent repair replace report represent reproduce require research resemble "
    "reside resolve respond restrict retrieve return reuse review rule save schedule score search "
    "select serve share sign simulate solve specify sponsor star start state store study submit suffer "
    "suggest supervise supply support surround survive suspend target teach test threaten touch trace "
    "track trade train transfer transform translate transmit transport travel treat trigger try type "
    "update upgrade upload use validate value verify visit visualise visualize vote want watch work "
    "eat drink hunt feed breed produce direct act compose found lead own discover invent distinguish "
    "characterise characterize categorise categorize differentiate separate")

#: Head word → XSD short name for data properties; phrases first.
DATATYPE_PHRASES = {
    "phone number": "string", "telephone number": "string", "serial number": "string", "id number": "string",
    "isbn number": "string", "account number": "string", "version number": "string", "zip code": "string",
    "date of birth": "date", "date of death": "date", "place of birth": "string", "number of": "integer",
    "date and time": "dateTime", "point in time": "dateTime",
}
DATATYPE_HEADS: dict[str, str] = {}
for _dt, _heads in {
    "integer": "year years count number age population quantity rank ranking capacity seats pages episodes "
               "seasons votes inhabitants enrollment enrolment floors goals points wins losses total copies "
               "members employees residents births deaths followers downloads views",
    "date": "date birthday birthdate anniversary deadline day dob",
    "dateTime": "timestamp datetime",
    "time": "time hour",
    "float": "height weight price rating cost budget revenue income salary length width depth area distance "
             "speed temperature mass volume percentage percent rate ratio score gross density elevation altitude "
             "latitude longitude duration runtime size lifespan wingspan amount fee frequency pressure diameter "
             "radius power voltage energy gdp earnings profit",
    "string": "name title description label code identifier id email address url homepage website phone "
              "isbn version motto slogan summary abstract comment note nickname alias acronym abbreviation "
              "symbol formula text content status colour color genre nationality gender sex definition "
              "synopsis plot tagline surname firstname username password iri uri doi",
}.items():
    for _h in _heads.split():
        DATATYPE_HEADS[_h] = _dt
BOOLEAN_HEADS = _words("flag")
#: Modifiers of "time" that name a clock time ("opening time"); other modified times are durations.
CLOCK_TIMES = _words("start starting end ending opening closing departure arrival kickoff kick-off launch "
                     "wake meal check-in check-out pickup local sunrise sunset show broadcast air")

#: Attribute heads that name places: "What is the birth place of a person?" is an object property.
PLACE_HEADS = {"place": "place", "location": "place", "birthplace": "place", "headquarters": "place",
               "hometown": "town", "city": "city", "country": "country", "town": "town", "region": "region",
               "continent": "continent", "venue": "venue", "capital": "city"}

#: Units counted by "How many X does Y have?" that are numbers, not things (→ integer numberOfX).
COUNT_UNITS = _words("page seat calorie inhabitant resident vote view copy sale point goal minute hour day "
                     "week month year second kilometre kilometer mile metre meter gram kilogram dollar euro "
                     "ticket word character line lap download follower like star time")

#: Event noun for a verb, for "When was X <verb>ed?" → ``<noun>Date``.
NOMINAL = {
    "release": "release", "bear": "birth", "die": "death", "found": "founding", "establish": "establishment",
    "publish": "publication", "create": "creation", "build": "construction", "marry": "marriage",
    "produce": "production", "discover": "discovery", "invent": "invention", "record": "recording",
    "open": "opening", "close": "closing", "complete": "completion", "launch": "launch", "start": "start",
    "begin": "beginning", "end": "end", "finish": "finish", "elect": "election", "sign": "signing",
    "graduate": "graduation", "compose": "composition", "perform": "performance", "premiere": "premiere",
    "broadcast": "broadcast", "air": "air", "visit": "visit", "arrive": "arrival", "depart": "departure",
    "register": "registration", "update": "update", "issue": "issue", "award": "award", "occur": "occurrence",
    "write": "writing", "paint": "painting", "film": "filming", "shoot": "shooting", "name": "naming",
    "sell": "sale", "buy": "purchase", "purchase": "purchase", "deliver": "delivery", "renew": "renewal",
    "approve": "approval", "submit": "submission", "admit": "admission", "decide": "decision",
    "conclude": "conclusion", "expire": "expiry", "retire": "retirement", "appoint": "appointment",
    "employ": "employment", "hire": "hiring", "announce": "announcement", "adopt": "adoption",
    "acquire": "acquisition", "enter": "entry", "modify": "modification", "introduce": "introduction",
    "demolish": "demolition", "destroy": "destruction", "last": "last", "change": "change", "move": "move",
    "happen": "event", "take": "taking", "make": "making", "do": "doing", "see": "sighting", "win": "win",
    "lose": "loss", "fly": "flight", "grow": "growth", "fall": "fall", "rise": "rise", "speak": "speech",
    "give": "giving", "hold": "holding", "run": "run", "go": "going", "come": "arrival", "leave": "departure",
    "meet": "meeting", "catch": "catch", "sing": "singing", "draw": "drawing", "develop": "development",
    "deploy": "deployment", "measure": "measurement", "pay": "payment", "ship": "shipment", "hatch": "hatching",
}


#: Plural nouns that are also verb forms; in a subject they are nouns ("Which uses …" is rare).
PLURAL_NOUN_VERBS = _words(
    "plants records features awards names models types values lists maps stars trades uses works plays films "
    "shows studies reports tests reviews programs prices rates ranks scores supports places orders forms marks "
    "links hosts funds tracks states needs lacks changes issues services documents labels matches targets "
    "releases exports imports updates answers references schedules returns visits ends starts sets tools "
    "rules guides stores signs votes parts species authors")


KNOWN_NOUNS_ED = _words("bed seed need speed feed breed deed reed weed shed sled red hundred kindred "
                        "creed steed greed")


ING_NOUNS = _words("thing king ring string wing building painting meeting setting training clothing "
                   "morning evening spring during nothing something anything everything feeling funding "
                   "housing wedding recording ceiling "
                   # symptoms and signs, nouns in "side effects are bleeding and anaemia"
                   "bleeding swelling vomiting itching bruising sweating wheezing coughing fainting "
                   "scarring tingling")


# --- words of the question families ---------------------------------------------

KIND_WORDS = _words("type types kind kinds sort sorts category categories subclass subclasses subtype subtypes "
                    "form forms variety varieties class classes")


TIME_UNITS = {"year": ("year", "integer"), "date": ("date", "date"), "day": ("date", "date"),
              "time": ("time", "dateTime"), "month": ("month", "string"), "century": ("century", "integer"),
              "decade": ("decade", "integer"), "age": ("age", "integer"), "season": ("season", "string")}

#: Events whose "When …?" is answered by a year: the start of an organisation or a structure. Texts
#: report a founding or a construction by its year ("founded in 1975", "built in 1889"), so "When was a
#: company founded?" makes ``foundingYear`` (a year, as "In what year …"), not a ``xsd:date`` no such text
#: can fill.
#: Other events (born, died, released, approved) keep ``xsd:date``: texts give their day.
YEAR_EVENTS = _words("found establish incorporate form build construct")


HOW_ADJ = {"old": ("age", "integer"), "tall": ("height", "float"), "high": ("height", "float"),
           "long": ("length", "float"), "big": ("size", "float"), "large": ("size", "float"),
           "heavy": ("weight", "float"), "far": ("distance", "float"), "deep": ("depth", "float"),
           "wide": ("width", "float"), "fast": ("speed", "float"), "expensive": ("price", "float"),
           "much": ("price", "float"), "hot": ("temperature", "float"), "cold": ("temperature", "float")}
COST_VERBS = {"cost": ("cost", "float"), "weigh": ("weight", "float"), "earn": ("earnings", "float"),
              "gross": ("gross", "float"), "last": ("duration", "float"), "take": ("duration", "float"),
              "live": ("lifespan", "float"), "measure": ("size", "float")}


IMPERATIVES = _words("list name show give find enumerate describe identify return retrieve get display")


# --- CQ reader (english/cq) additions, kept apart from the prose engine's entries ---------------------------
# Taxonomy nouns ("which specialization of entity is an animal?", "what subsets of plants exist?", BigCQ): as
# "kind of", a subclass question, never a property hasSpecialization, hasSubset. Not "sample", "example": a
# sample or an example of a thing is a thing.
KIND_WORDS = KIND_WORDS | _words("specialization specializations specialisation specialisations subcategory "
                                 "subcategories subset subsets")
# Instruments (round 7): "Which data can I analyse *with the software*?" names what does the verb (the software
# analyses the data); "Which animals can I eat *with a plant*?" does not (an animal eaten with a plant).
INSTRUMENT_HEADS = _words("software tool program programme application app library package service instrument "
                          "device machine algorithm method editor viewer browser script pipeline workflow "
                          "framework plugin server database computer")
# Acronyms that name a kind of thing, not one thing ("Which proteins bind DNA?", "a tool with a GUI"); any other
# all-capital word names one thing (XML, SWO, the EU).
COMMON_ACRONYMS = frozenset("DNA RNA CDNA API GUI CPU GPU RAM URL URI IRI ID PC".split())
# Heads that an acronym before them names one of ("the FASTA format": FASTA is a format); before other heads it is
# an owner or a modifier ("the EBI website" is no EBI), read as before (a compound class).
NAMED_KIND_HEADS = _words("format language standard protocol ontology database specification licence license "
                          "project consortium tool software package library algorithm program programme "
                          "method model vocabulary schema notation service framework")
