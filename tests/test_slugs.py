"""Slugs: ASCII, readable, unique, and unable to leave their folder."""
import re
from pathlib import Path

import pytest

from generator.fsutil import inside
from generator.ingest.slugs import MAX_LEN, slugify, unique

SAFE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.mark.parametrize("title, slug", [
    ("“NATO will never attack Russia” – Rasmussen", "nato-will-never-attack-russia-rasmussen"),
    ("RF, NATO should create 2 separate missile systems-Rasmussen",
     "rf-nato-should-create-2-separate-missile-systems-rasmussen"),
    ("Ünïcødé Straße in Zürich", "unicode-strasse-in-zurich"),
    ("Владимир Путин", "vladimir-putin"),
])
def test_titles_become_ascii_slugs(title, slug):
    assert slugify(title) == slug


@pytest.mark.parametrize("hostile", ["../../etc/passwd", "..", "/abs/path", "a/../../b", ".hidden",
                                     "C:\\Windows\\system32", "%2e%2e%2f", "\x00nul", "   ", "—", ""])
def test_hostile_titles_cannot_escape(hostile, tmp_path):
    slug = slugify(hostile)
    assert SAFE.fullmatch(slug), slug
    assert inside(tmp_path, f"{slug}.md").parent == tmp_path.resolve()


def test_long_titles_are_cut_at_a_word():
    slug = slugify("word " * 60)
    assert len(slug) <= MAX_LEN and not slug.endswith("-") and SAFE.fullmatch(slug)


def test_unique_appends_the_next_free_number():
    assert unique("a", set()) == "a"
    assert unique("a", {"a"}) == "a-2"
    assert unique("a", {"a", "a-2", "a-3"}) == "a-4"


def test_inside_refuses_paths_that_leave_the_folder(tmp_path: Path):
    with pytest.raises(ValueError):
        inside(tmp_path, "../x.md")
    with pytest.raises(ValueError):
        inside(tmp_path, "/etc/passwd")
