"""Synthetic news articles for the benchmarks: registries and article models.

Everything here is a pure function of a seeded ``random.Random``, so the same
N always yields byte-identical corpora. Names, outlets and topics are invented
from generic word pools; nothing comes from the real seed articles.
"""
from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass, field

FIRST = """Anna Boris Carla Dmitri Elena Farid Greta Hassan Ines Jonas Katya Lars Maria Nikolai
Olga Pavel Quentin Rosa Stefan Tamara Ulrich Vera Walter Xenia Yusuf Zofia Adrian Beatriz Cyril
Dana Emil Fatima Gustav Helga Igor Julia Kamal Lena Marek Nadia Oscar Petra Rafael Sofia Tomas
Ursula Viktor Wanda Yannis Zara Alma Bruno Clara Darius Edith Felix Gloria Henrik Ida Jakob
Karin Leon Mila Noah Oksana Pablo Rita Samir Tilde Uma Vincent Willa Yara Zeno Amir Bianca
Conrad Delia Erik Flora""".split()
LAST = """Albrecht Baranov Castellano Dvorak Eriksen Fontaine Gallagher Haddad Ivanova Jansen
Kowalski Lindqvist Moreau Novak Okafor Petrov Quintana Rossi Schneider Tanaka Urbanek Varga
Weber Xiong Yilmaz Zielinski Andersen Bianchi Costa Dimitrov Esposito Fischer Grant Horvat
Ibrahim Jovanovic Kaplan Laurent Mendes Nilsson Oliveira Popescu Ramos Sorensen Toivonen
Ueda Vasquez Wagner Yamamoto Zamora Abbasi Berg Carvalho Dahl Engel Ferrante Gruber Holm Ilic
Jaeger Keller Lund Marin Nagy Olsen Pereira Reyes Santos Thorsen Ulrich Vidal Winter Young
Zeller Arslan Bauer Chen Duarte Ekström Falk Gomez Hansen Ionescu Juhasz Klein Lopez Meyer Nordin
Ortiz Pohl""".split()
COUNTRIES = """Norland Ostravia Belmaria Caldera Draskovia Estrania Felsland Galicorn Haverland
Istria Jorvik Kesmark Lunaria Morvania Nestoria Ovalia Pellardy Quarvia Rostavia Sorvenia
Tarsia Umbria Valdora Westmark""".split()
CITIES = """Arlen Brevik Corvala Dunmore Eskholm Fenwick Galdor Harrow Idris Jallen Korsa Lisk
Marrow Nolde Orsk Pellin Quell Ravenna Solmar Tessin""".split()
ROLES = ["foreign minister", "prime minister", "defence minister", "finance minister",
         "president", "spokesperson for the foreign ministry", "central bank governor",
         "secretary general", "ambassador", "opposition leader", "trade commissioner",
         "energy minister", "chief negotiator", "deputy prime minister", "interior minister",
         "economist", "senior analyst", "union leader", "mayor", "health minister"]
ORG_KINDS = ["Ministry of Trade", "Ministry of Defence", "Central Bank", "Energy Agency",
             "Health Service", "Border Authority", "Statistics Office", "Security Council",
             "Climate Office", "Press Service"]
OUTLETS = ["Daily Ledger", "Global Wire", "Northern Courier", "Evening Standard Post",
           "Capital Herald", "World Dispatch", "Press Agency NA", "Harbour Times"]
SUBJECTS = ["missile defense", "arms control", "energy security", "gas pipelines",
            "trade tariffs", "grain exports", "climate policy", "carbon markets",
            "refugee policy", "border security", "cyber security", "nuclear energy",
            "public health", "vaccine supply", "central banking", "inflation",
            "sovereign debt", "labour rights", "press freedom", "election reform",
            "space program", "fisheries", "rail transport", "shipping lanes",
            "water rights", "food prices", "housing", "pension reform", "tax reform",
            "anti-corruption", "peace talks", "sanctions", "naval exercises",
            "satellite launches", "oil prices", "digital services", "data privacy",
            "artificial intelligence", "semiconductors", "rare earths", "drought relief",
            "flood defenses", "wildfires", "tourism", "student exchanges", "rural development",
            "minimum wage", "public transport"]
SYNONYMS = ["policy", "plans", "talks", "measures", "agreement", "crisis", "reform", "debate"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# Context sentences: {c}/{c2} countries, {city}, {kw} a topic keyword, {n} a number,
# {m} a mentioned person's full name, {org} an organization, {day} a weekday.
CONTEXT = [
    "The announcement came after weeks of talks in {city} on {kw}.",
    "Officials in {c} have repeatedly said that {kw} remains a priority for the coming year.",
    "Analysts said the decision could reshape the debate over {kw} across the region.",
    "The government of {c} has set aside {n} million for the programme, according to budget documents.",
    "Negotiators from {c} and {c2} are expected to meet again in {city} next month.",
    "{m} raised the issue of {kw} during a visit to {city} earlier this year.",
    "The {org} published figures on {day} showing a rise of {n} percent over the previous quarter.",
    "Critics argue that the plan does little to address the underlying causes of the problem.",
    "The talks follow a series of disagreements between {c} and {c2} over {kw}.",
    "A draft of the proposal, seen by reporters, sets out {n} separate measures.",
    "Lawmakers in {c} are due to vote on the measure before the end of the session.",
    "The issue has dominated the agenda since the summit in {city} last autumn.",
    "Diplomats said privately that a compromise on {kw} was still within reach.",
    "Public opinion in {c} remains divided, with a recent poll showing {n} percent in favour.",
    "Earlier this week {m} described the situation as serious but manageable.",
    "The {org} declined to comment on the details of the agreement.",
    "Observers noted that the wording of the statement had been softened at the last minute.",
    "Trade between {c} and {c2} has grown steadily over the past decade.",
    "Several regional governments have asked for more time to implement the new rules on {kw}.",
    "The plan is expected to cost about {n} billion over five years, officials said.",
    "Opposition parties in {c} called for a full parliamentary inquiry.",
    "Industry groups welcomed the move but warned that details on {kw} were still missing.",
    "Protesters gathered outside the ministry in {city} on {day} to demand a public hearing.",
    "The report, which runs to {n} pages, was commissioned by the {org}.",
    "Independent experts have questioned whether the targets on {kw} can be met in time.",
    "Relations between {c} and {c2} have been strained since the dispute over {kw} began.",
    "A joint statement is expected once the working groups have finished their review.",
    "The measure would apply to companies with more than {n} employees.",
]
QUOTES = [
    "We are ready to discuss {kw} with all our partners, but we will not accept conditions imposed from outside",
    "This decision will make it possible to build a system that protects all of our citizens",
    "Nobody in {c} wants a confrontation over {kw}, and I think our neighbours understand that",
    "The only real choice is cooperation, because we all face the same risks",
    "We have made three practical proposals and we expect a serious answer from {c2}",
    "Our position on {kw} has not changed and it will not change under pressure",
    "I think it is a positive step, and it shows that dialogue can still produce results",
    "The figures speak for themselves: we have cut costs by {n} percent in two years",
    "There is no alternative to a negotiated settlement, and the sooner we accept that the better",
    "We will continue to defend the interests of {c} at every level",
    "It is too early to say whether the agreement will hold, but the signs are encouraging",
    "People are tired of promises on {kw}; they want to see results on the ground",
    "We have been clear all along that this plan is not directed against anyone",
    "The government has lost the trust of the people it was elected to serve",
    "I would like to stress that our door remains open to further talks",
    "We cannot solve {kw} alone, and we are not trying to",
    "This is a matter of principle for us, not a matter of money",
    "Our experts will study the proposal carefully before we give a formal answer",
    "The next few weeks will be decisive for {kw} in the whole region",
    "We expect our partners to keep the commitments they made in {city}",
    "Any attempt to link these two questions will only slow the process down",
    "We welcome the decision, although it comes much later than we had hoped",
]
QUESTIONS = [
    "How do you evaluate the decision on {kw}?",
    "What will this mean for relations with {c}?",
    "Critics say the plan goes too far. What is your answer to them?",
    "Do you expect an agreement before the end of the year?",
    "What are the main obstacles to progress on {kw}?",
    "How will you persuade the public that this is the right approach?",
]
_CONTEXT_KW = [t for t in CONTEXT if "{kw}" in t]
_CONTEXT_M = [t for t in CONTEXT if "{m}" in t]
HEADLINES = [
    "{last}: {c} ready for talks on {kw}",
    "{c} and {c2} clash over {kw}",
    "{last} warns of delays in {kw} {syn}",
    "New {kw} {syn} divides {c}",
    "{c} unveils {kw} {syn} after talks in {city}",
    "{last} says {kw} deal is within reach",
    "{org} backs {kw} {syn}",
    "Talks on {kw} resume in {city}",
]


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def quote_id(text: str, taken: set[str]) -> str:
    """``q-`` + 8 hex of the normalised text; ``-2`` etc. on a repeat in one article."""
    base = "q-" + hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:8]
    qid, n = base, 1
    while qid in taken:
        n += 1
        qid = f"{base}-{n}"
    taken.add(qid)
    return qid


@dataclass
class Registry:
    speakers: dict[str, dict]            # slug -> {name, role, aliases, kind}
    people: list[str]                    # slugs of persons
    orgs: list[str]                      # slugs of organizations
    topics: dict[str, dict]              # slug -> {name, description, keywords}


def make_registry(rng: random.Random, n_articles: int) -> Registry:
    """Registries scale with the corpus (about one person per 8 articles) so each
    speaker page stays a realistic size at every N."""
    n_people = max(40, min(n_articles // 8, len(FIRST) * len(LAST)))
    pairs = [(f, last) for f in FIRST for last in LAST]
    rng.shuffle(pairs)
    speakers: dict[str, dict] = {}
    people = []
    for first, last in pairs[:n_people]:
        name = f"{first} {last}"
        slug = slugify(name)
        role = f"{rng.choice(ROLES)} of {rng.choice(COUNTRIES)}"
        speakers[slug] = {"name": name, "role": role, "aliases": [last], "kind": "person"}
        people.append(slug)
    orgs = []
    for country in COUNTRIES:
        for kind in rng.sample(ORG_KINDS, 2):
            name = f"{country} {kind}"
            slug = slugify(name)
            speakers[slug] = {"name": name, "role": kind.lower(), "aliases": [],
                              "kind": "organization"}
            orgs.append(slug)
    topics = {}
    for subject in SUBJECTS:
        keywords = [subject, f"{subject} {rng.choice(SYNONYMS)}"]
        topics[slugify(subject)] = {"name": subject.capitalize(),
                                    "description": f"News and statements on {subject}.",
                                    "keywords": keywords}
    return Registry(speakers, people, orgs, topics)


@dataclass
class Article:
    title: str
    slug: str
    date: str                     # 'YYYY-MM-DDTHH:MM'
    source: str
    dateline: str
    format: str                   # report | interview
    interviewer: str | None
    summary: str
    paragraphs: list[str]         # Markdown paragraphs (interview turns bolded)
    speakers: list[str]
    quotes: list[dict]
    mentions: list[str]
    topics: list[str]
    topic_terms: dict[str, list[str]]
    words: int = 0
    plain: list[str] = field(default_factory=list)   # same paragraphs, no Markdown

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def _fill(rng: random.Random, template: str, slots: dict) -> str:
    values = {k: (rng.choice(v) if isinstance(v, list) else v) for k, v in slots.items()}
    return template.format(**values)


def make_article(rng: random.Random, reg: Registry, index: int, taken: set[str]) -> Article:
    """One article of about 600 words; ``taken`` holds slugs already used."""
    fmt = "interview" if rng.random() < 0.15 else "report"
    n_spk = rng.randint(2, 4)
    pool = reg.people if rng.random() < 0.8 else reg.people + reg.orgs
    speakers = rng.sample(pool, n_spk)
    mentions = rng.sample([p for p in reg.people if p not in speakers], rng.randint(0, 2))
    topics = rng.sample(list(reg.topics), rng.randint(3, 5))
    topic_terms = {t: [rng.choice(reg.topics[t]["keywords"])] for t in topics}
    names = {s: reg.speakers[s]["name"] for s in speakers + mentions}
    c, c2 = rng.sample(COUNTRIES, 2)
    city = rng.choice(CITIES)
    outlet = rng.choice(OUTLETS)
    slots = {"c": c, "c2": c2, "city": city, "n": [str(rng.randint(3, 95)) for _ in range(5)],
             "org": [reg.speakers[o]["name"] for o in rng.sample(reg.orgs, 2)],
             "day": WEEKDAYS, "m": [names[m] for m in mentions] or [names[speakers[-1]]]}

    lead = speakers[0]
    kw0 = topic_terms[topics[0]][0]
    title_slots = dict(slots, kw=kw0, syn=SYNONYMS, last=_short(reg, lead))
    title = _fill(rng, rng.choice(HEADLINES), title_slots)
    title = title[0].upper() + title[1:]
    slug = slugify(title)
    if slug in taken:
        slug = f"{slug}-{index}"
    taken.add(slug)

    # Quotes: every speaker gets at least one; topic keywords flow into them.
    n_q = rng.randint(max(3, n_spk), 6)
    owners = speakers + [rng.choice(speakers) for _ in range(n_q - n_spk)]
    rng.shuffle(owners)
    ids: set[str] = set()
    texts: set[str] = set()
    quotes = []
    for owner in owners:
        while True:
            text = _fill(rng, rng.choice(QUOTES), dict(slots, kw=[topic_terms[t][0] for t in topics]))
            if text not in texts:
                break
        texts.add(text)
        quotes.append({"id": quote_id(text, ids), "speaker": owner, "text": text, "partial": False})

    role = reg.speakers[lead]["role"]
    summary = (f"{names[lead]}, {role}, said on {rng.choice(WEEKDAYS)} that {c} would "
               f"press ahead with its {kw0} {rng.choice(SYNONYMS)}.")
    paragraphs = [summary]
    plain = [summary]
    interviewer = outlet if fmt == "interview" else None
    # Every topic keyword appears at least once in the context prose.
    keywords = [topic_terms[t][0] for t in topics]
    pending_kw = list(keywords)
    pending_m = list(mentions)
    target = rng.randint(540, 660)
    words = len(summary.split())
    qi = 0
    while qi < len(quotes) or words < target:
        ctx_n = rng.randint(1, 3)
        sentences, used = [], set()
        for _ in range(ctx_n):
            extra = {}
            if pending_kw:   # still owe a topic keyword: use a template that carries one
                kw, template = pending_kw.pop(), rng.choice(_CONTEXT_KW)
            elif pending_m:  # likewise every mentioned person is named once
                kw, template = rng.choice(keywords), rng.choice(_CONTEXT_M)
                extra = {"m": names[pending_m.pop()]}
            else:
                kw, template = rng.choice(keywords), rng.choice(CONTEXT)
                while template in used:   # no sentence twice in one paragraph
                    template = rng.choice(CONTEXT)
            used.add(template)
            sentences.append(_fill(rng, template, dict(slots, kw=kw, **extra)))
        para = " ".join(sentences)
        paragraphs.append(para)
        plain.append(para)
        words += len(para.split())
        if qi < len(quotes):
            q = quotes[qi]
            qi += 1
            md, txt = _quote_paragraph(rng, reg, q, fmt, interviewer, slots, topic_terms)
            paragraphs.extend(md)
            plain.extend(txt)
            words += sum(len(p.split()) for p in txt)
    return Article(title=title, slug=slug, date=_date(rng), source=outlet, dateline=city,
                   format=fmt, interviewer=interviewer, summary=summary, paragraphs=paragraphs,
                   speakers=speakers, quotes=quotes, mentions=mentions, topics=topics,
                   topic_terms=topic_terms, words=words, plain=plain)


def _short(reg: Registry, slug: str) -> str:
    entry = reg.speakers[slug]
    return entry["aliases"][0] if entry["aliases"] else entry["name"]


def _quote_paragraph(rng, reg, q, fmt, interviewer, slots, topic_terms):
    """Markdown and plain-text forms of the paragraph(s) carrying one quote."""
    name = reg.speakers[q["speaker"]]["name"]
    short = _short(reg, q["speaker"])
    text = q["text"]
    if fmt == "interview":
        question = _fill(rng, rng.choice(QUESTIONS),
                         dict(slots, kw=[v[0] for v in topic_terms.values()]))
        answer = f"{text}. {rng.choice(['That is our view.', 'We will see.', 'I am convinced of that.'])}"
        return ([f"**{interviewer}:** {question}", f"**{short}:** {answer}"],
                [f"{interviewer}: {question}", f"{short}: {answer}"])
    form = rng.randrange(3)
    if form == 0:
        para = f"“{text},” {name} said."
    elif form == 1:
        para = f"{name} told reporters: “{text}.”"
    else:
        para = f"“{text},” {short} added, speaking in {slots['city']}."
    return [para], [para]


def _date(rng: random.Random) -> str:
    return (f"{rng.randint(2008, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f"T{rng.randint(6, 22):02d}:{rng.choice([0, 5, 15, 30, 42, 49]):02d}")


def make_corpus(n: int, seed: int = 7) -> tuple[Registry, list[Article]]:
    rng = random.Random(f"digest-bench-{seed}-{n}")
    reg = make_registry(rng, n)
    taken: set[str] = set()
    return reg, [make_article(rng, reg, i, taken) for i in range(n)]
