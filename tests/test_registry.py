"""speakers.yaml: loading, alias resolution, appending without touching edits."""
from __future__ import annotations

import pytest

from generator.errors import ContentError
from generator.ingest.analyze import analyze
from generator.ingest.registry import Registry
from generator.ingest.topics import Taxonomy

HAND_WRITTEN = """\
# Edited by hand -- keep this comment!
ingrid-halvorsen:   # the mayor
  name: Ingrid Halvorsen
  role: Mayor of Bodø      # corrected by the editor
  aliases: [Halvorsen, the mayor of Bodo]
  kind: person
  description: >
    Long-serving mayor.

coast-guard: {name: Norwegian Coast Guard, role: agency, aliases: [the coast guard], kind: organization}
"""


def test_missing_file_is_empty(tmp_path):
    reg = Registry.load(tmp_path / "speakers.yaml")
    assert reg.entries == {}
    assert reg.save(tmp_path / "speakers.yaml") is False
    assert not (tmp_path / "speakers.yaml").exists()


def test_save_appends_only_new_entries_and_keeps_hand_edits(tmp_path):
    path = tmp_path / "speakers.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    reg = Registry.load(path)
    assert reg.get("ingrid-halvorsen").role == "Mayor of Bodø"
    a = analyze("Quota row", ['"We will not give up the northern grounds," Halvorsen said.',
                              'Fisheries Minister Olav Strand said: "The quota is final."'],
                reg, Taxonomy([]))
    assert a.speakers == ["ingrid-halvorsen", "olav-strand"]
    assert reg.save(path) is True
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HAND_WRITTEN)                  # byte-for-byte
    added = text[len(HAND_WRITTEN):]
    assert "olav-strand:" in added and "ingrid-halvorsen" not in added
    again = Registry.load(path)
    assert again.get("olav-strand").role == "Fisheries Minister"
    assert again.get("olav-strand").aliases == []          # the surname is found without an alias
    assert again.lookup_surname("Strand") == "olav-strand"
    before = path.read_bytes()
    assert again.save(path) is False and path.read_bytes() == before


def test_save_is_deterministic(tmp_path):
    outputs = []
    for n in range(2):
        reg = Registry()
        analyze("t", ['"Enough," Chief Inspector Maria Costa said.', "Maria Costa met Gov. Tim Ruud."],
                reg, Taxonomy([]))
        reg.save(tmp_path / f"s{n}.yaml")
        outputs.append((tmp_path / f"s{n}.yaml").read_bytes())
    assert outputs[0] == outputs[1]


def test_aliases_surname_title_and_misspelling():
    reg = Registry()
    a = analyze("t", [
        "Alliance Secretary General Henrik Vestergaard arrived in Vilnius on Monday.",
        '"Our door stays open," Vestergaard said.',
        '"We are not a threat to anyone," the Secretary General said.',
        'Later Vestergard told students: "Dialogue is never wasted."',
        '"Nobody wants a new arms race," the former Norwegian premier stressed.'], reg, Taxonomy([]))
    assert a.speakers == ["henrik-vestergaard"]
    assert len(a.quotes) == 4
    entry = reg.get("henrik-vestergaard")
    assert "Vestergard" in entry.aliases
    assert "former Norwegian premier" in entry.aliases
    assert entry.role == "Alliance Secretary General"
    # a later article resolves the learned alias and the surname through the registry
    b = analyze("t", ['Vestergard warned again.', '"Stay calm," the former Norwegian premier said.',
                      '"We mean it," Vestergaard added.'], reg, Taxonomy([]))
    assert b.speakers == ["henrik-vestergaard"] and len(b.quotes) == 2


def test_registry_alias_in_file_resolves(tmp_path):
    path = tmp_path / "speakers.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    reg = Registry.load(path)
    assert reg.lookup("The mayor of Bodo") == "ingrid-halvorsen"
    assert reg.lookup_surname("Halvorsen") == "ingrid-halvorsen"
    assert reg.lookup("coast guard", "organization") == "coast-guard"


@pytest.mark.parametrize("text, line", [
    ("a:\n  name: A\n b: [unclosed\n", 3),
    ("a: {name: A}\nb: {role: x}\n", 2),
    ("a: {name: A, kind: robot}\n", 1),
])
def test_invalid_file_reports_file_and_line(tmp_path, text, line):
    path = tmp_path / "speakers.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        Registry.load(path)
    assert err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}:")


def test_lookups_see_entries_added_after_they_were_asked():
    reg = Registry()
    assert reg.lookup("Ines Okafor") is None and reg.lookup_surname("Okafor") is None
    slug = reg.add("Ines Okafor")
    assert reg.lookup("Ines Okafor") == slug and reg.lookup_surname("Okafor") == slug
    assert reg.lookup("the harbour master") is None
    reg.learn_alias(slug, "the harbour master")
    assert reg.lookup("The Harbour Master", "person") == slug
    reg.add("Tunde Okafor")
    assert reg.lookup_surname("Okafor") is None         # now ambiguous
