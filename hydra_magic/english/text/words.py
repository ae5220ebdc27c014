"""The word lists of the text grammar, as data: months and date forms, sentence openers, name
connectors, honorifics, demonym endings, the words a trigger or a filler may be.
"""

from __future__ import annotations

import re

from ..lexicon import IRREGULAR, PREPS

#: Kinds of mention an object can be.
MENTION_KINDS = ("name", "quoted", "value", "year", "date", "number")

MONTHS = (
    "january february march april may june july august september october november december"
).split()
MONTH_RX = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)
DATE_RXS = [
    re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + MONTH_RX + r"),?\s+(\d{4})\b"),
    re.compile(r"\b(" + MONTH_RX + r")\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b"),
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(" + MONTH_RX + r")\s+(\d{4})\b"),
]
# Words that open a sentence but never a name.
#: Irregular past participles that open a clause before the subject with a preposition after them
#: ("Born in Oslo, she …", "Known as X, the club …"); those spelt as their verb ("cut", "set") are left out.
PARTICIPLE_OPENERS = frozenset(pp for base, (_, pp) in IRREGULAR.items() if pp != base)
OPENING_PREPOSITIONS = PREPS

OPENERS = frozenset(
    """
a an the in on at after before during following from with without as since although though while
when where whereas if unless because by for to of into upon under over between among about this that
these those there here it its he his she her they their them we our you your i my one some many most
several both each other another such every until despite against within through throughout across
unlike besides
however meanwhile also later then originally initially currently today formerly now
nevertheless nonetheless notwithstanding moreover furthermore instead still yet thus therefore hence
last next earlier
""".split()
)
# Words that end a company's or club's name and may be left out of a later mention of it ("Harbour
# City" for "Harbour City FC", "Olsen" for "Olsen Foods AG").
ORG_SUFFIXES = frozenset(
    "fc afc cf sc ac inc corp corporation co company ltd limited plc llc ag sa gmbh nv bv group holdings".split()
)
PRONOUNS = frozenset("he she it they his her its their this these".split())
# Inner words that may join two capitalised words into one name.
CONNECTORS = frozenset(
    "of the for in de del della di da du des van von der den la le les los las el al bin ibn y et".split()
)
# "in" joins two capitalised parts only right after these heads ("Nobel Prize in Physics").
IN_HEADS = frozenset("prize prizes award awards medal chair professor professorship doctorate degree".split())
# "for" joins two capitalised parts only after these heads ("Academy Award for Best Actor").
FOR_HEADS = frozenset(
    "award awards prize medal trophy cup institute center centre society association "
    "committee foundation council school museum party ministry minister secretary department "
    "office league commission agency fund campaign organization organisation alliance front "
    "movement union".split()
)
DATE_PREPOSITIONS = frozenset(
    "in on of since by from to until till before after during around circa c about , and".split()
)
ADJECTIVE_SUFFIXES = ("ese", "ian", "an", "n", "i")
HONORIFICS = frozenset("dr mr mrs ms sir dame lord lady".split())
DETERMINERS = frozenset("a an the its his her their this that these those".split())
STOP_TRIGGERS = frozenset(
    "a an the and or , . ; : ( ) ' \" - is was are were be been its his her their "
    "this that which who whom whose by for in at on of from with to as into onto over "
    "under about after before during also".split()
)
DEMONYM_ENDINGS = ("an", "ian", "ese", "ish", "ch", "ic", "i", "ss")
BARRIERS = frozenset('.;:()[]"“”?!')


IRREGULAR_AGENTS = {
    "writer": "written by",
    "builder": "built by",
    "leader": "led by",
    "maker": "made by",
    "founder": "founded by",
    "owner": "owned by",
    "seller": "sold by",
    "singer": "sung by",
    "teacher": "taught by",
    "winner": "won by",
    "speaker": "spoken by",
}


TITLE_WORDS = frozenset(
    "of in a an the per or and to on at for du la le de del von van y et und der die "
    "das el los las".split()
)


# Words that may stand between a subject and a trigger it states directly ("X was directed by Y").
AUXILIARIES = frozenset("is was are were has had have also".split())


RELATIVES = frozenset("which where who whose whom".split())


# Words that may stand between a trigger and its object ("written by American songwriters X").
NOT_FILLERS = frozenset(
    "by in of for from with at on to as and or but that which who whom whose when where "
    "while is was are were be been has have had not".split()
)


# The final preposition of a label ("born in", "founded by") may stand after a date or place
# phrase ("born on 24 July 1783 in Caracas"); the words that phrase may hold.
GAP_PREPOSITIONS = frozenset("in on by at to into for from with".split())
GAP_WORDS = frozenset("in on at from during the a an of around about circa early late mid until".split())


# Species names: a capitalised genus and a lower-case epithet ("Streptomyces griseus", "R. muscosa")
# are one name. Latin endings of epithets; English words with those endings are left out.
EPITHET_ENDINGS = ("us", "um", "a", "ae", "is", "ii", "i", "ensis", "oides", "ans", "ens", "ea", "ox", "ax", "ex", "ix")
NOT_EPITHETS = frozenset(
    """
area idea data media via extra era camera drama formula agenda bacteria criteria phenomena
basis analysis thesis crisis diagnosis axis tennis emphasis synopsis genesis oasis metropolis
thus plus bonus virus campus census status focus genus versus minus corpus chorus
this his was has its alumni stimuli radius nucleus fungus cactus
arena opera cinema saga sofa pizza pasta gorilla koala panda quota dogma aroma trauma asthma
visa diploma dilemma mafia militia anaemia anemia nausea edema malaria hernia pneumonia
banana umbrella antenna vanilla propaganda veranda stamina replica
museum forum album premium medium stadium aquarium podium symposium consortium curriculum
momentum minimum maximum spectrum vacuum opium sodium calcium helium uranium radium polonium
index complex annex cortex duplex vertex reflex convex matrix helix suffix prefix appendix
relax syntax climax anthrax paradox detox inbox
""".split()
)


# Given names whose gender is unambiguous, for "he"/"she" (a short list; a name not here has no
# known gender, and an earlier "he"/"she" that referred to an entity tells its gender too).
FEMALE_NAMES = frozenset(
    """
mary marie maria anna anne ann elizabeth margaret sarah jane emma olivia sophia sophie isabella
charlotte amelia grace alice lucy laura julia claire catherine katherine kate helen ellen emily
hannah rachel rebecca ruth susan linda barbara patricia jennifer jessica karen nancy lisa
irène irene eva eve rosa rose clara ada agnes frances louise marta martha victoria diana
ana angela carmen carla chloe christine elena eleanor ella fatima francesca gabriela
giulia hanna heather ingrid isabel jana joan joanna josephine judith julie karin katarina
leila lena lina lucia magdalena margarita maya mia monica natalia nina paula rita sara
silvia sofia sylvia teresa ursula vera yasmin zoe beatriz camila valentina ines inés
marguerite simone madeleine astrid greta elsa freya birgit hilde
""".split()
)
MALE_NAMES = frozenset(
    """
john james robert michael william david richard joseph thomas charles christopher daniel paul
mark george steven edward peter pierre jean jacques louis henri henry albert alexander carl
karl frederick friedrich hans johann ivan pablo juan carlos jose josé antonio giovanni luigi
mario francesco ahmed mohamed muhammad ali omar hassan simon simón andrew brian kevin jason
adam alan alfred anthony arthur benjamin bill bob bruce chris colin darius david dennis
denis diego duncan edgar eric erik felix fernando francis frank fred gary gerald gregory
harold harry hugo ian jack jacob jakob javier jorge joe juan kenneth lars luis luke
manuel marcus martin matthew miguel nicholas nils olaf oscar patrick pedro philip
ralph raymond ricardo roberto roger ronald samuel sebastian sergio stefan stephen ted tom
victor vincent walter wilhelm william ryan harrison hans jürgen jurgen
albert ernst howard alexander ludwig sigmund gustav otto bjorn björn
""".split()
)
# Nouns that tell the gender of the name they introduce ("her husband X", "the actress X").
GENDERED_NOUNS = {
    **dict.fromkeys("son brother father husband king prince actor businessman sportsman nephew uncle "
                    "grandson grandfather boyfriend mr sir lord".split(), "m"),
    **dict.fromkeys("daughter sister mother wife queen princess actress businesswoman sportswoman niece "
                    "aunt granddaughter grandmother girlfriend mrs ms dame lady".split(), "f"),
}
# Nouns that name people ("the chemist X", "X, a Swedish composer,"; class labels "Person",
# "Composer"): "it" does not refer to such an entity.
PERSON_NOUNS = frozenset(
    """person people human man woman composer director actor actress writer author screenwriter novelist
    poet player footballer athlete coach manager scientist chemist physicist biologist economist politician
    musician singer pianist artist architect engineer founder leader president minister painter
    goalkeeper midfielder striker forward defender winger captain teacher student professor""".split()
)
# Playing positions: a role noun before a name ("the midfielder X", "Point guard X") or in an
# apposition ("X, an Egyptian forward,") names the position the person plays.
POSITION_NOUNS = frozenset(
    "goalkeeper defender midfielder forward striker winger fullback full-back centre-back center-back sweeper "
    "playmaker quarterback pitcher catcher shortstop outfielder wicketkeeper batsman bowler".split()
) | frozenset({"point guard", "shooting guard", "small forward", "power forward", "centre forward",
               "center forward", "left back", "right back", "centre back", "center back"})
# Words before another name of the same entity ("born Maria Sklodowska", "known as X", "née X").
ALIAS_CUES = frozenset("born née nee called named alias as aka".split())
PRONOUN_GENDER = {"he": "m", "his": "m", "him": "m", "she": "f", "her": "f", "it": "n", "its": "n"}


# Scale words after a number ("1.7 million") and the words that may lead a quantity after its
# trigger ("a population of about 1.7 million", "employs roughly 5,800 people").
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
NUMBER_LEADS = frozenset(
    "of about around roughly approximately nearly almost some over more than at just under "
    "close to an estimated".split()
)

