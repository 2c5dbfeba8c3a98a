"""Generic English news vocabulary: speech verbs, titles, role nouns, places.

Nothing here names a particular person; facts about people belong in
``content/speakers.yaml``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import gender_guesser.detector

from .wordtrie import trie_pattern


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in text.split())


# Verbs that introduce reported speech, as inflected forms.  Multi-word forms
# ("pointed out") are listed with a space.
_SPEECH_LEMMAS = """
say tell add stress underline underscore note conclude write state explain insist claim
argue warn announce declare remark comment reply respond answer ask admit acknowledge
confirm deny emphasize emphasise affirm assert observe suggest continue recall praise
urge reiterate tweet post complain concede predict vow pledge describe caution
maintain contend recount testify estimate joke quip boast lament mutter shout scream
whisper cry laugh sigh yell exclaim retort counter announce demand
call dismiss hail report
muse bark retaliate assure agree bemoan proclaim assert cite opine exhort fume snap scoff
rail thunder gush marvel chide scold blast slam lash mock quote recite read write tweet
reflect reason plead beg vent rant grumble quip interject interrupt chime echo caution
acknowledge elaborate clarify specify announce concur disagree object protest question
wonder speculate hint indicate signal insist vow promise threaten boast brag concede
""".split()
_IRREGULAR = {"say": ["said", "says", "saying"], "read": ["reads", "reading"],
              "snap": ["snapped", "snaps", "snapping"], "plead": ["pleaded", "pleads", "pleading", "pled"],
              "beg": ["begged", "begs", "begging"], "chime": ["chimed in", "chimes in", "chiming in"],
              "quote": ["quoted", "quotes", "quoting"], "question": ["questioned", "questions", "questioning"],
              "signal": ["signaled", "signalled", "signals", "signaling", "signalling"],
              "interject": ["interjected", "interjects", "interjecting"], "tell": ["told", "tells", "telling"],
              "write": ["wrote", "writes", "writing", "written"], "cry": ["cried", "cries", "crying"],
              "reply": ["replied", "replies", "replying"], "testify": ["testified", "testifies", "testifying"],
              "underline": ["underlined", "underlines", "underlining"]}


def _inflect(lemma: str) -> list[str]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return [lemma + "d", lemma + "s", lemma[:-1] + "ing"]
    if re.search(r"(s|sh|ch|x|z)$", lemma):
        return [lemma + "ed", lemma + "es", lemma + "ing"]
    if re.search(r"[^aeiou]y$", lemma):
        return [lemma[:-1] + "ied", lemma[:-1] + "ies", lemma + "ing"]
    if re.search(r"[^aeiou][aeiou][bdgmnpt]$", lemma) and lemma not in {"comment", "answer", "counter", "post", "admit"}:
        return [lemma + lemma[-1] + "ed", lemma + "s", lemma + lemma[-1] + "ing"]
    if lemma == "admit":
        return ["admitted", "admits", "admitting"]
    return [lemma + "ed", lemma + "s", lemma + "ing"]


SPEECH_VERBS = frozenset(f for lemma in _SPEECH_LEMMAS for f in _inflect(lemma)) | frozenset(
    ["pointed out", "points out", "pointing out", "went on", "goes on", "summed up",
     "was quoted as saying", "is quoted as saying", "quoted as saying", "spelled out",
     "expressed confidence", "expressed hope", "expressed concern", "expressed regret",
     "expressed doubt", "expressed the hope", "made clear", "made it clear", "put it", "puts it",
     "issued a statement", "said in a statement", "wrote in", "added that",
     "according to"])
# A prefix tree tries longer forms first, so "pointed out" wins over a shorter prefix.
SPEECH_VERB_RE = re.compile(r"\b(" + trie_pattern(SPEECH_VERBS, space=r"\s+", ignore_case=True) + r")\b", re.I)

# Words that may sit between a subject and its speech verb ("he has also said").
FILLERS = _words("""has have had also again earlier later then further once previously
recently would will was is were are just reportedly repeatedly personally then already
still even only quickly simply firmly bluntly flatly publicly privately today yesterday
on monday tuesday wednesday thursday friday saturday sunday in a statement""")

HONORIFICS = _words("mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady madam")
# Abbreviated titles ("Gov. Alan Berglund"): titles, and evidence of a person.
TITLE_ABBR = _words("""gov gov. sen sen. rep rep. gen gen. lt lt. col col. capt capt. sgt sgt.
maj maj. adm adm. supt supt. insp insp. det det. cllr cllr""")
FEMALE_HONORIFICS = _words("mrs mrs. ms ms. miss dame lady madam")

# Head nouns of roles a person holds.  Lower-case; matched case-insensitively.
ROLE_NOUNS = _words("""president premier minister secretary secretary-general chancellor
prime spokesman spokeswoman spokesperson chief head leader director chairman chairwoman
chair ceo cfo coo cto founder ambassador envoy official officer commander governor mayor
senator congressman congresswoman lawmaker legislator mp deputy representative diplomat
general admiral colonel major captain lieutenant sergeant king queen prince princess
emperor pope archbishop bishop cardinal rabbi imam judge justice prosecutor attorney lawyer
counsel barrister solicitor coach manager boss captain striker goalkeeper player analyst
economist professor researcher scientist expert author editor correspondent reporter
columnist commentator adviser advisor aide negotiator mediator inspector superintendent
commissioner councillor councilor sheriff constable detective chairperson executive
president-elect vice-president spokesmen officials doctor nurse surgeon physician
midwife teacher headteacher principal dean rector chancellor owner resident residents
campaigner activist organiser organizer witness victim mother father son daughter wife
husband landlord tenant driver pilot farmer fisherman trader investor shareholder
master skipper novelist writer poet artist painter singer musician composer
actor actress chef cook baker buyer seller shopkeeper publican entrepreneur banker broker
photographer filmmaker director producer nurse paramedic firefighter soldier officer
student pupil graduate volunteer worker employee miner dockworker fisherman biologist ecologist physicist chemist historian curator architect engineer designer
""")
# Words that qualify a role ("former Danish premier", "deputy foreign minister").
ROLE_MODIFIERS = _words("""former ex then new outgoing incoming acting deputy vice senior
top chief junior first second interim current late defence defense foreign interior
finance health education justice trade economy energy environment home state general
under assistant executive managing lead principal permanent special national regional
local federal prime club team head""")
ROLE_NOUNS = ROLE_NOUNS | TITLE_ABBR | _words("author co-author speaker")
TITLE_WORDS = ROLE_NOUNS | ROLE_MODIFIERS | HONORIFICS | _words("""secretary general
affairs security""")
FEMALE_ROLES = _words("""spokeswoman chairwoman congresswoman mother wife daughter sister
queen princess actress businesswoman grandmother aunt""")
MALE_ROLES = _words("""spokesman chairman congressman father husband son brother king prince
actor businessman grandfather uncle""")

# Party and faction words: they qualify a name ("Republican Sen. …") and are never part of one.
PARTY_WORDS = _words("""republican republicans democrat democrats democratic gop independent
conservative conservatives liberal liberals labour tory tories libertarian socialist""")

# Heads of organisation names ("the Foreign Ministry", "Interior Department").
ORG_HEADS = _words("""ministry department office agency commission council committee
government embassy parliament assembly senate congress duma cabinet administration
kremlin pentagon court tribunal police army navy force forces military party union
alliance organisation organization bank fund institute foundation association
federation company corporation group firm authority authorities board service
services inc ltd plc corp co university college school hospital trust club""")
GOVERNMENT_HEADS = _words("""ministry department office government embassy cabinet
administration agency commission""")
# Media outlets: "the X daily", "X newspaper".
# Last words of newspaper titles ("The Times", "the Wall Street Journal").
MEDIA_TITLES = _words("""times post journal herald guardian telegraph tribune gazette mail mirror
express observer chronicle independent standard examiner inquirer""")
MEDIA_KINDS = {"daily": "daily newspaper", "newspaper": "newspaper", "weekly": "weekly newspaper",
               "paper": "newspaper", "tabloid": "tabloid newspaper", "magazine": "magazine",
               "news agency": "news agency", "agency": "news agency", "broadcaster": "broadcaster",
               "channel": "television channel", "website": "news website",
               "news website": "news website", "radio": "radio station",
               "television": "television channel", "tv": "television channel"}
ORG_NOUNS = _words("""ministry department newspaper daily paper agency company firm
government office commission council committee group organisation organization bank
club party union court authority board""")

# Capitalised words that end or mark a place or thing rather than a person.
NOT_PERSON = _words("""sea ocean river lake mountain mountains island islands gulf bay strait
peninsula street road avenue square bridge airport station port harbour harbor region
province oblast city town village district county state states kingdom republic union
east west north south northern southern eastern western central far middle upper lower
great greater united new old saint st st. fort mount war revolution day week games cup
championship olympics prize award centre center hospital school college academy museum
stadium club church cathedral mosque temple palace house hall tower park valley desert
treaty accord agreement pact act bill law summit conference forum talks council
committee commission ministry department agency office institute university bank fund
party parliament assembly senate congress court army navy force forces group company
corporation times post daily herald journal news press tribune guardian telegraph
review monitor gazette express mail mirror star sun observer chronicle agency radio
television tv channel network online media international security affairs foreign
defence defense interior finance health europe asia africa america americas arctic
antarctic atlantic pacific euro world global national federal royal imperial soviet
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday christmas easter ramadan
""") | ORG_HEADS

# Capitalised words that open sentences and are never part of a name.
STOP_CAPS = _words("""the a an and but or so if as at in on of for from to by with
without after before during since while when where what which who whom whose why how
this that these those there here it its he she they we you i his her their our my your
meanwhile however although though despite also still yet then thus hence now today
yesterday tomorrow earlier later last next first second third according asked speaking
commenting calling seeking offering giving studying writing adding noting many some most
all both each every no not none one two three other another such only even just
mr mrs ms dr""")

# Countries and their adjectives, for qualifying "the Foreign Ministry".
COUNTRIES = {
    "Russia": "Russian", "United States": "US", "US": "US", "U.S.": "US", "America": "American",
    "Britain": "British", "UK": "British", "United Kingdom": "British", "England": "English",
    "Scotland": "Scottish", "Wales": "Welsh", "Ireland": "Irish", "France": "French",
    "Germany": "German", "Italy": "Italian", "Spain": "Spanish", "Portugal": "Portuguese",
    "Netherlands": "Dutch", "Belgium": "Belgian", "Switzerland": "Swiss", "Austria": "Austrian",
    "Poland": "Polish", "Czech Republic": "Czech", "Slovakia": "Slovak", "Hungary": "Hungarian",
    "Romania": "Romanian", "Bulgaria": "Bulgarian", "Greece": "Greek", "Turkey": "Turkish",
    "Ukraine": "Ukrainian", "Belarus": "Belarusian", "Georgia": "Georgian", "Armenia": "Armenian",
    "Azerbaijan": "Azerbaijani", "Kazakhstan": "Kazakh", "Sweden": "Swedish", "Norway": "Norwegian",
    "Denmark": "Danish", "Finland": "Finnish", "Iceland": "Icelandic", "Estonia": "Estonian",
    "Latvia": "Latvian", "Lithuania": "Lithuanian", "Serbia": "Serbian", "Croatia": "Croatian",
    "China": "Chinese", "Japan": "Japanese", "Korea": "Korean", "India": "Indian",
    "Pakistan": "Pakistani", "Afghanistan": "Afghan", "Iran": "Iranian", "Iraq": "Iraqi",
    "Syria": "Syrian", "Israel": "Israeli", "Egypt": "Egyptian", "Saudi Arabia": "Saudi",
    "Lebanon": "Lebanese", "Jordan": "Jordanian", "Libya": "Libyan", "Tunisia": "Tunisian",
    "Morocco": "Moroccan", "Algeria": "Algerian", "Nigeria": "Nigerian", "Kenya": "Kenyan",
    "South Africa": "South African", "Ethiopia": "Ethiopian", "Canada": "Canadian",
    "Mexico": "Mexican", "Brazil": "Brazilian", "Argentina": "Argentine", "Chile": "Chilean",
    "Colombia": "Colombian", "Venezuela": "Venezuelan", "Cuba": "Cuban", "Peru": "Peruvian",
    "Australia": "Australian", "New Zealand": "New Zealand", "Indonesia": "Indonesian",
    "Vietnam": "Vietnamese", "Thailand": "Thai", "Philippines": "Philippine",
    "Malaysia": "Malaysian", "Singapore": "Singaporean", "Taiwan": "Taiwanese",
}
DEMONYMS = frozenset(COUNTRIES.values()) | frozenset(
    {"Soviet", "European", "Western", "Eastern", "Asian", "African", "Arab", "Kurdish",
     "Palestinian", "Chechen", "Tibetan", "Catalan", "Basque", "Flemish"})
_DEMONYM_COUNTRY = {}
for _country, _adj in COUNTRIES.items():
    _DEMONYM_COUNTRY.setdefault(_adj, _country)


@lru_cache(maxsize=8192)
def country_of(word: str) -> str | None:
    """'Russia' / 'Russian' / "Russia's" -> 'Russian' (the adjective), else None."""
    word = re.sub(r"[’']s$", "", word)
    if word in COUNTRIES:
        return COUNTRIES[word]
    return word if word in DEMONYMS and word in _DEMONYM_COUNTRY else None


# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = _words("""mr mrs ms dr prof gen col lt sen rep gov capt sgt maj adm supt insp
st jr sr no vs etc inc co corp ltd jan feb mar apr jun jul aug sep sept oct nov dec mt ft
approx dept est""")


@lru_cache(maxsize=1)
def _given_names() -> gender_guesser.detector.Detector:
    return gender_guesser.detector.Detector(case_sensitive=False)


@lru_cache(maxsize=65536)
def given_name_gender(word: str) -> str | None:
    """'m' or 'f' for a word the given-name lists know as a first name (not a title,
    place or month that happens to be one), else None."""
    low = word.lower().rstrip(".")
    if low in TITLE_WORDS or low in STOP_CAPS or low in NOT_PERSON - {"bill", "will", "mark", "grant"} \
            or country_of(word) or word.isupper():
        return None
    g = _given_names().get_gender(word.rstrip("."))
    return "m" if g in ("male", "mostly_male") else "f" if g in ("female", "mostly_female") else None


def is_given_name(word: str) -> bool:
    return given_name_gender(word) is not None
