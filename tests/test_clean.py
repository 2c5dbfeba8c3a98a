"""Tests of the article body extractor (generator.ingest.clean)."""

from __future__ import annotations

import importlib.util
import json
import re
import time
from pathlib import Path

import pytest

from generator.ingest.clean import Extracted, extract, normalize

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPEC = SHARED / "spec" / "seed-expectations.yaml"
DEV = SHARED / "eval" / "article-extraction" / "dev.json"
SCORE = SHARED / "eval" / "article-extraction" / "score.py"

P1 = ("The city council approved the new transport budget on Monday after a long debate "
      "that lasted well into the evening, officials said.")
P2 = ("Supporters argued that the plan would cut commuting times for thousands of residents, "
      "while critics warned that the costs had been badly underestimated.")
P3 = ("The mayor said the first construction contracts would be signed early next year and "
      "that work on the northern line could begin by the summer.")
P4 = ("Opposition members promised to keep scrutinising the spending and asked for quarterly "
      "reports on the progress of every project in the package.")
BODY = [P1, P2, P3, P4]
TITLE = "Council approves transport budget after marathon session"


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def page(*before: str, body=BODY, after: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*before, *body, *after])


def assert_clean(ex: Extracted, *gone: str) -> None:
    assert list(ex.paragraphs) == BODY
    for g in gone:
        assert all(fold(g) not in fold(p) for p in ex.paragraphs), g


# --------------------------------------------------------------- normalize
def test_normalize_folds_odd_spaces_and_newlines():
    assert normalize("Email\u00a0|\u00a0Print") == "Email | Print"
    assert normalize("a\u2009b\u202fc\u3000d") == "a b c d"
    assert normalize("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_normalize_strips_zero_width_and_keeps_quotes():
    assert normalize("zero\u200bwidth\ufeff") == "zerowidth"
    assert normalize("“quoted” it’s") == "“quoted” it’s"
    assert normalize("Cafe\u0301") == "Café"  # NFC


# --------------------------------------------------------------- boilerplate
def test_icon_text_removed():
    icons = "icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon closeicon " * 3
    ex = extract(page(icons, TITLE))
    assert_clean(ex, "cameraicon")
    assert ex.title == TITLE


def test_skip_link_and_reading_time_removed():
    ex = extract(page("Skip to main content", TITLE, "3 min", body=[P1, "5 min read", P2, P3, P4]))
    assert_clean(ex, "Skip to main content", "3 min", "5 min read")


def test_podcast_player_and_timestamps_removed():
    ex = extract(page(TITLE, after=("Podcasts", "0:00", "26:13", "0:00", "24:57")))
    assert_clean(ex, "Podcasts", "26:13", "0:00")


def test_share_bar_removed_even_with_nbsp():
    bar = "Email\u00a0|\u00a0Print\u00a0|\u00a0Subscribe\u00a0|\u00a0Comments\u00a0|\u00a0Forum\u00a0"
    ex = extract(page(TITLE, "16:14, June 07, 2011", bar))
    assert_clean(ex, "Email | Print")
    assert "Email | Print | Subscribe | Comments | Forum" in ex.header


def test_read_also_link_removed():
    ex = extract(page(TITLE, after=("Read also\u00a0– Mayor promises faster trams across the region",)))
    assert_clean(ex, "Read also")


def test_page_not_found_block_removed():
    ex = extract(page(TITLE, after=(
        "Daily newsletterReceive essential international news every morning",
        "Page not found",
        "The content you requested does not exist or is not available anymore.",
    )))
    assert_clean(ex, "Page not found", "does not exist", "newsletter")


def test_headline_lists_removed():
    ex = extract(page(TITLE, after=(
        "Weekly review", "\u2022 Do you have anything to say?",
        "Special Coverage", "  \u2022 Floods hit the southern provinces",
        "  \u2022 Ministers meet to discuss regional trade",
        "Major headlines", "Editor's Pick",
        "  \u2022 Three injured in warehouse fire near the port",
        "  \u2022 Farmers protest over new water rules",
        "Hot Forum Discussion",
    )))
    assert_clean(ex, "Special Coverage", "Editor's Pick", "Floods hit", "anything to say")


def test_comment_thread_cut():
    ex = extract(page(TITLE, after=(
        "34 responses to “Council approves transport budget”",
        "reader42 says:", "November 19, 2019 at 6:34 am",
        "This is the worst decision the council has made in years and everybody knows it.",
        "Leave a Reply Cancel reply",
    )))
    assert_clean(ex, "worst decision", "says:")


def test_teaser_list_of_other_stories_removed():
    teasers = []
    for n in range(5):
        teasers += [f"Another unrelated headline number {n}", "Jane Writer",
                    f"This is the long summary sentence of unrelated story number {n}, "
                    "written by the editors to lure readers into clicking through to it."]
    ex = extract(page(TITLE, after=tuple(teasers)))
    assert_clean(ex, "unrelated")


def test_cookie_notice_and_copyright_removed():
    ex = extract(page(TITLE, after=(
        "This website uses cookies to improve your experience while you navigate through the "
        "website, and you can opt out of them at any time in the settings.",
        "© 2019 Example Media. All rights reserved.",
    )))
    assert_clean(ex, "cookies", "All rights reserved")


# --------------------------------------------------------------- structure
def test_paragraphs_kept_in_order_and_folded():
    text = page(TITLE, body=[P1.replace(" ", "  ", 3), P2, P3, P4])
    ex = extract(text)
    assert list(ex.paragraphs) == BODY


def test_interview_turns_kept_with_labels():
    turns = [
        "Host: What did the council decide about the transport budget this week?",
        "Smith: We approved it after a long debate, and I think it is a good compromise.",
        "Host: Will the costs be kept under control?",
        "Smith: Yes.",
        "Host: Thank you for talking to us.",
        "Smith: You are welcome.",
    ]
    ex = extract(page(TITLE, body=[P1, *turns]))
    assert list(ex.paragraphs) == [P1, *turns]


def test_title_skips_deck_that_repeats_the_lede():
    deck = "The council approved the new transport budget"
    ex = extract(page("All news", TITLE, deck,
                      body=["CITY, May 5 (Wire) — The council approved the new transport budget on "
                            "Monday after a long debate that lasted well into the evening.", P2, P3]))
    assert ex.title == TITLE
    assert ex.paragraphs[0].startswith("CITY, May 5 (Wire) —")
    assert deck in ex.header


def test_title_from_page_title_repetition():
    ex = extract(page(f"{TITLE} - Example News", "Home", "World", "Sport", TITLE, "By Jane Writer"))
    assert ex.title == TITLE
    assert_clean(ex, "By Jane Writer")


# --------------------------------------------------------------- credits
def test_source_line_moves_to_credits():
    ex = extract(page(TITLE, after=("Source: Xinhua", "Weekly review")))
    assert_clean(ex, "Source:")
    assert ex.credits == ("Xinhua",)


def test_leading_agency_moves_to_credits():
    ex = extract(page(TITLE, body=[P1, "AFP - " + P2, P3, P4]))
    assert ex.paragraphs[1] == P2
    assert ex.credits == ("AFP",)


def test_dateline_is_not_a_credit():
    first = "BERLIN -- " + P1
    ex = extract(page(TITLE, body=[first, P2, P3]))
    assert ex.paragraphs[0] == first
    assert ex.credits == ()


# --------------------------------------------------------------- bounds
def test_empty_and_chrome_only_pages():
    assert extract("") == Extracted(None, (), (), ())
    assert extract("Home\nMenu\nSearch\n").paragraphs == ()


def test_large_input_is_bounded():
    text = "Home\n" * 400_000 + "x" * 2_000_000 + "\n" + page(TITLE)
    start = time.perf_counter()
    extract(text)
    assert time.perf_counter() - start < 10


# --------------------------------------------------------------- shared data
def _seed_cases():
    if not SPEC.exists():
        return []
    import yaml
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return sorted(spec["articles"].items())


@pytest.mark.skipif(not SPEC.exists(), reason=f"shared spec not found at {SPEC}")
@pytest.mark.parametrize("name,expected", _seed_cases())
def test_seed_expectations(name, expected):
    seed = REPO / "seeds" / name
    if not seed.exists():
        seed = SHARED / "seeds" / name
    ex = extract(seed.read_text(encoding="utf-8"))
    body = fold(" ".join(ex.paragraphs))
    assert fold(ex.title or "") == fold(expected["title"])
    assert body.startswith(fold(expected["body_starts"]))
    assert body.endswith(fold(expected["body_ends"]))
    for line in expected["boilerplate"]:
        assert all(fold(line) not in fold(p) for p in ex.paragraphs), line


@pytest.mark.skipif(not (DEV.exists() and SCORE.exists()), reason=f"benchmark not found at {DEV.parent}")
def test_dev_benchmark_f1():
    spec = importlib.util.spec_from_file_location("article_score", SCORE)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    data = json.loads(DEV.read_text(encoding="utf-8"))
    preds = {k: "\n\n".join(extract(v["text"]).paragraphs) for k, v in data.items()}
    f1, precision, recall, _ = score.score(data, preds)
    assert f1 >= 0.92, (f1, precision, recall)
