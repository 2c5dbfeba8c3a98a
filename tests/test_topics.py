"""topics.yaml: loading, the packaged default, keyword matching and trigger terms."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.ingest.slugs import slugify
from generator.ingest.topics import DEFAULT, Taxonomy, Topic

ROOT = Path(__file__).resolve().parents[1]


def test_missing_file_uses_packaged_default(tmp_path):
    tax = Taxonomy.load(tmp_path / "topics.yaml")
    assert DEFAULT.exists() and len(tax.topics) >= 10
    terms = tax.assign("Flood warning", ["Residents filled sandbags as the river rose and flooding spread."])
    assert "climate-and-environment" in terms


def test_assign_records_triggering_terms(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text("""\
ports:
  name: Ports
  keywords: [container port, dockworkers]
pensions: {name: Pensions, keywords: [pension scheme, retirement]}
treaties: {name: Treaties, keywords: [START, test-ban treaty]}
""", encoding="utf-8")
    tax = Taxonomy.load(path)
    got = tax.assign("Dockworkers strike", [
        "The container-port workers say the pension schemes are unfair.",
        "Talks will start on Monday.", "A Test Ban Treaty review is due."])
    assert got == {"ports": ["dockworkers", "container port"], "pensions": ["pension scheme"],
                   "treaties": ["test-ban treaty"]}
    assert tax.assign("", ["The New START treaty"]) == {"treaties": ["START"]}


def test_invalid_yaml_has_line(tmp_path):
    path = tmp_path / "topics.yaml"
    path.write_text("a: {name: A\nb: c\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        Taxonomy.load(path)
    assert err.value.line is not None


def test_demo_taxonomy_slugs_are_slugs():
    tax = Taxonomy.load(ROOT / "content" / "topics.yaml")
    assert all(slugify(t.slug) == t.slug for t in tax.topics)


def test_keyword_tree_finds_what_the_longest_first_list_finds():
    from generator.ingest import topics
    words = ["arms", "arms control", "arms race", "arm", "nuclear arms", "race", "art", "talks", "test-ban treaty"]
    tree = topics._keyword_regex(words)
    listed = re.compile(r"[^\w-](" + topics._list_alternation(words) + r"(?:s|es)?)(?!\w)")
    assert tree.pattern != listed.pattern
    rnd = random.Random(5)
    for _ in range(2000):
        text = "\n" + " ".join(rnd.choice(words + ["ARMS", "arms-control", "x", "armss", "test ban  treaty", "-race"])
                               for _ in range(8))
        assert [m.group(1) for m in tree.finditer(text)] == [m.group(1) for m in listed.finditer(text)], text


def test_keywords_with_odd_spacing_fall_back_to_the_list():
    tax = Taxonomy([Topic("a", "A", "", ("arms  race", "arms")), Topic("b", "B", "", ("race",))])
    assert "arms[\\s-]+race|" in tax._folded.pattern          # longest-first list, not a tree
    assert tax.assign("", ["An arms race, an arms  race."]) == {"a": ["arms  race"]}
