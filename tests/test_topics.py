"""topics.yaml: loading, the packaged default, keyword matching and trigger terms."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.ingest.slugs import slugify
from generator.ingest.topics import DEFAULT, Taxonomy

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
