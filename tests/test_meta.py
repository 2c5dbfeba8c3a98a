"""Tests of the outlet registry and of source, dateline and summary detection."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.errors import ContentError
from generator.ingest.dates import find_date
from generator.ingest.meta import find_dateline, find_source, summarize
from generator.ingest.outlets import Outlets

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = ROOT / "generator" / "defaults" / "sources.yaml"
CONTENT_SOURCES = ROOT / "content" / "sources.yaml"
SPEC = ROOT.parent / "shared" / "spec" / "seed-expectations.yaml"
SEEDS = ROOT / "seeds"

LEDE = ("The central bank raised interest rates by half a point, its biggest increase in more than "
        "a decade, in an effort to rein in stubborn inflation.")
MORE = ("Economists had expected a smaller move, and markets fell sharply in the minutes after the "
        "announcement was made public.")


@pytest.fixture(scope="module")
def outlets() -> Outlets:
    return Outlets.load(DEFAULT_SOURCES)


# ---------------------------------------------------------------- registry

def test_default_registry_canonicalises_aliases(outlets):
    assert len(outlets) >= 40
    assert outlets.canonical("Itar-Tass") == "ITAR-TASS"
    assert outlets.canonical("itar tass") == "ITAR-TASS"
    assert outlets.canonical("Agence France-Presse") == "AFP"
    assert outlets.canonical("the associated press") == "AP"
    assert outlets.canonical("Guardian") == outlets.canonical("TheGuardian") == "The Guardian"
    assert outlets.canonical("Daily Planet") is None


def test_later_file_amends_and_renames(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("Wire One: {aliases: [W1, Wire-One], url: https://w1.example}\n", encoding="utf-8")
    extra = tmp_path / "extra.yaml"
    extra.write_text("W-1:\n  aliases: [Wire One]\n  signatures: [w1 footer]\n", encoding="utf-8")
    reg = Outlets.load(base, extra, tmp_path / "missing.yaml")
    assert len(reg) == 1
    assert reg.canonical("Wire-One") == reg.canonical("w1") == "W-1"
    outlet = next(iter(reg))
    assert outlet.url == "https://w1.example" and outlet.signatures == ["w1 footer"]


def test_bad_yaml_names_file_and_line(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("Good: {aliases: [G]}\nBad: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        Outlets.load(bad)
    assert str(bad) in str(err.value) and err.value.line is not None


def test_bad_entry_names_its_line(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("Good: {aliases: [G]}\nOdd:\n  alias: [O]\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        Outlets.load(bad)
    assert err.value.line == 2 and "alias" in str(err.value)


def test_content_registry_is_valid_and_extends_default():
    reg = Outlets.load(DEFAULT_SOURCES, CONTENT_SOURCES)
    assert len(reg) >= len(Outlets.load(DEFAULT_SOURCES))
    assert all(isinstance(s, str) for o in reg for s in o.signatures)


# ------------------------------------------------------------------ source

def test_source_from_credits(outlets):
    assert find_source([], [LEDE], ["Agence France-Presse"], outlets) == "AFP"


def test_unknown_credit_is_kept_as_written(outlets):
    assert find_source([], [LEDE], ["Daily Planet"], outlets) == "Daily Planet"


def test_generic_credit_is_not_a_source(outlets):
    assert find_source([], [LEDE], ["News agencies"], outlets) is None


@pytest.mark.parametrize("lede, expected", [
    ("LONDON (Reuters) - " + LEDE, "Reuters"),
    ("BRUSSELS, June 7 (Xinhua) -- " + LEDE, "Xinhua"),
    ("KIEV, March 2 /ITAR-TASS/. " + LEDE, "ITAR-TASS"),
    ("MOSCOW. Dec 6 (Interfax) - " + LEDE, "Interfax"),
    ("DAKAR, May 2 (APS) — " + LEDE, "APS"),            # an agency the registry lacks
    ("OSLO, May 4 (Itar-Tass) — " + LEDE, "ITAR-TASS"),
    ("Agence France-Presse — " + LEDE, "AFP"),
    ("(CNN) — " + LEDE, "CNN"),
    ("Hong Kong (CNN Business) " + LEDE, "CNN"),
    ("Studio Nord (Denmark) designed the lights. " + LEDE, None),
])
def test_source_from_wire_byline(outlets, lede, expected):
    assert find_source([], [lede, MORE], [], outlets) == expected


def test_source_from_byline_line(outlets):
    assert find_source(["Markets", "By Jane Doe, Bloomberg News"], [LEDE], [], outlets) == "Bloomberg"


def test_outlet_told_is_not_the_source(outlets):
    lede = "The minister told Interfax news agency in an interview that the deal was close."
    assert find_source([], [lede, MORE], [], outlets) is None
    raw = "\n\n".join([lede, MORE, "Source: Xinhua", "Editor's pick"])
    assert find_source([], [lede, MORE], [], outlets, raw) == "Xinhua"


def test_source_from_interview_turns(outlets):
    paragraphs = [LEDE, "BBC: What happens next?", "Minister: We wait and see.",
                  "BBC: And the markets?", "Minister: They will calm down."]
    assert find_source([], paragraphs, [], outlets) == "BBC"


def test_exclusive_interview_names_the_source(outlets):
    lede = "The governor spoke about the budget in an exclusive interview with Al Jazeera on the eve of the vote."
    assert find_source([], [lede, MORE], [], outlets) == "Al Jazeera"


def test_plain_interview_with_an_outlet_is_not_enough(outlets):
    lede = "The governor spoke about the budget in an interview with Al Jazeera, the channel reported."
    assert find_source([], [lede, MORE], [], outlets) is None


def test_source_from_page_title(outlets):
    raw = "Central bank raises rates - WSJ\n\nMenu\n\n" + LEDE
    assert find_source([], [LEDE], [], outlets, raw) == "The Wall Street Journal"


def test_source_from_signature(tmp_path):
    reg_file = tmp_path / "sources.yaml"
    reg_file.write_text("Gazette: {signatures: ['gz-sprite  gz-logo']}\n", encoding="utf-8")
    reg = Outlets.load(DEFAULT_SOURCES, reg_file)
    raw = "GZ-SPRITE gz-logo menu\n\n" + LEDE
    assert find_source([], [LEDE], [], reg, raw) == "Gazette"
    assert find_source([], [LEDE], [], reg, LEDE) is None


def test_source_from_copyright_line_but_not_a_longer_company(outlets):
    assert find_source([], [LEDE], [], outlets, LEDE + "\n© 2020 Reuters. All rights reserved.") == "Reuters"
    assert find_source([], [LEDE], [], outlets, LEDE + "\n© 2019 CBS Interactive. All rights reserved.") is None


def test_no_evidence_no_source(outlets):
    assert find_source(["Home", "World"], [LEDE, MORE], [], outlets, LEDE) is None


# ---------------------------------------------------------------- dateline

@pytest.mark.parametrize("opening, expected", [
    ("MOSCOW, December 6 (Itar-Tass) — ", "Moscow"),
    ("LONDON (Reuters) - ", "London"),
    ("SAN FRANCISCO, Calif. (AP) — ", "San Francisco"),
    ("BEIJING, June 7 (Xinhua) -- ", "Beijing"),
    ("WASHINGTON — ", "Washington"),
    ("RIO DE JANEIRO (AFP) - ", "Rio de Janeiro"),
    ("Geneva, 4 May (EFE) — ", "Geneva"),
    ("KIEV, March 2 /ITAR-TASS/. ", "Kiev"),
    ("MOSCOW. Dec 6 (Interfax) - ", "Moscow"),
    ("ST. PETERSBURG, June 1 (RIA Novosti) - ", "St. Petersburg"),
    ("Dekalb, Ill. — ", "Dekalb"),
    ("AFP - ", None),
    ("The Eagles (6-5, 3-4) ", None),
    ("Studio Nord (Denmark) ", None),
    ("UPDATE — ", None),
    ("Minister: ", None),
    ("", None),
])
def test_find_dateline(opening, expected):
    assert find_dateline([opening + LEDE, MORE]) == expected


def test_dateline_only_opens_the_article():
    assert find_dateline([LEDE, MORE, "PARIS (AFP) - " + LEDE]) is None


# ----------------------------------------------------------------- summary

def test_summary_takes_first_sentence_and_strips_dateline():
    text = "NAIROBI, Kenya (AP) — " + LEDE + " " + MORE
    assert summarize([text]) == LEDE


def test_summary_adds_second_sentence_after_a_short_first():
    text = "Rates went up again. " + LEDE + " " + MORE
    assert summarize([text]) == "Rates went up again. " + LEDE


def test_summary_keeps_abbreviations_inside_sentences():
    text = "Mr. Smith of the U.S. Treasury met Gen. Adams on Monday to talk about the budget. " + MORE
    assert summarize([text]) == "Mr. Smith of the U.S. Treasury met Gen. Adams on Monday to talk about the budget. " + MORE


def test_summary_skips_title_short_lines_and_interview_turns():
    title = "Central bank raises rates by half a point in effort to curb inflation"
    paragraphs = [title, "3 min read", "Q: Why did the bank act now, and what comes after this decision?",
                  "Reuters - " + LEDE]
    assert summarize(paragraphs, title) == LEDE


def test_summary_skips_photo_captions():
    caption = "Traders watch the screens on the floor of the exchange in Frankfurt on Tuesday. (Jane Roe/AP)"
    assert summarize([caption, LEDE]) == LEDE


def test_summary_of_nothing_is_empty():
    assert summarize([]) == ""
    assert summarize(["Home", "Email | Print | Subscribe | Comments | Forum | Share | Tweet | Like"]) == ""


# ------------------------------------------------------------------- seeds

def _seed_parts(raw: str):
    from generator.ingest.clean import extract
    ex = extract(raw)
    return ex.header, ex.paragraphs, ex.title, ex.credits


def _fold(s) -> str:
    return " ".join(str(s).split())


SPEC_ARTICLES = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["articles"] if SPEC.exists() else {}


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/spec/seed-expectations.yaml is not beside the repo")
@pytest.mark.parametrize("seed", sorted(SPEC_ARTICLES))
def test_seed_metadata(seed):
    expected = SPEC_ARTICLES[seed]
    raw = (SEEDS / seed).read_text(encoding="utf-8")
    header, paragraphs, title, credits = _seed_parts(raw)
    reg = Outlets.load(DEFAULT_SOURCES, CONTENT_SOURCES)

    assert find_source(header, paragraphs, credits, reg, raw) == expected["source"]

    found = find_date(header, paragraphs)
    if expected["date"] is None:
        assert found.iso is None or found.note, "an inferred date must say how"
    else:
        assert found.iso == _fold(expected["date"]).replace(" ", "T")
        # A year the page never writes was inferred, and the note says how.
        assert (found.note is not None) == (found.iso[:4] not in raw)

    assert find_dateline(paragraphs) == expected.get("dateline")
    summary = summarize(paragraphs, title)
    assert summary and _fold(summary) in _fold(raw).replace("\u00a0", " ")
    assert len(summary.split()) <= 80
