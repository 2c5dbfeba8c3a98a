"""Who said what through the real CLI: attribution forms, one entry per person with
dated roles, transcripts, and merging a registry that holds duplicates.

The articles in tests/data/attribution were written for these tests before the
output was looked at, and are kept as they are.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import frontmatter

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "attribution"


def digest(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def ingest(tmp_path: Path, *names: str) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(DATA / name, seeds / name)
    done = digest("ingest", "--seeds", str(seeds), "--content", str(tmp_path / "content"))
    assert done.returncode == 0, done.stderr
    return tmp_path / "content"


def article(content: Path, seed: str) -> dict:
    for path in (content / "articles").glob("*.md"):
        meta, _, _ = frontmatter.read(path)
        if meta["seed"] == seed:
            return meta
    raise AssertionError(f"no article for {seed}")


def speakers(content: Path) -> dict:
    return yaml.safe_load((content / "speakers.yaml").read_text(encoding="utf-8"))


def who(content: Path, seed: str) -> list[tuple[str | None, str]]:
    reg = speakers(content)
    return [(reg[q["speaker"]]["name"] if q["speaker"] else None, q["text"]) for q in article(content, seed)["quotes"]]


def said_by(pairs, start: str) -> str | None:
    found = [name for name, text in pairs if text.startswith(start)]
    assert len(found) == 1, (start, pairs)
    return found[0]


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    content = ingest(tmp_path_factory.mktemp("forms"), "forms.txt")
    return who(content, "forms.txt")


@pytest.mark.parametrize("start, speaker", [
    ("We will not reopen the quay", "Ingrid Halvorsen"),                  # said X, <role>
    ("The engineers have had three weeks", "Tomas Brekke"),              # X, <role>, said
    ("has already cost the fleet", "Chris Weston"),                     # X, <role at outlet>, said "…"
    ("prices for cod have jumped", "Marta Lind"),                      # according to X
    ("every day the quay stays shut", "Jonas Weber"),                  # X told <outlet> that
    ("The pilings under the quay are older", "Kofi Mensah"),          # colon introduction, next paragraph
    ("I am furious", "Tomas Brekke"),                                 # shouted, surname alone
    ("The authority has known about the pilings", "Tomas Brekke"),    # second half of the same statement
    ("Shut for weeks and nobody tells us", "Jonas Weber"),            # tweeted
    ("Nobody is hiding anything", "Ingrid Halvorsen"),                # fumed:
    ("Some of the pilings date back", "Kofi Mensah"),
    ("Until we have tested the rest", "Kofi Mensah"),                # a quotation over two paragraphs
    ("We have moved half our orders", "Per Olsen"),                  # panel line Name, Outlet: "…"
])
def test_attribution_forms(forms, start, speaker):
    assert said_by(forms, start) == speaker


def test_unknown_speaker_is_null_not_the_nearest_name(forms):
    assert said_by(forms, "Nobody here believes the quay") is None       # "one fisherman said"
    assert not any(text.startswith("Closed until further notice") and name for name, text in forms)


def test_medvedev_is_one_person_with_dated_roles(tmp_path):
    names = ["medvedev-2010.txt", "medvedev-2013.txt", "medvedev-full.txt", "medvedev-again.txt"]
    content = ingest(tmp_path, *names)
    people = [slug for slug, e in speakers(content).items() if "Medvedev" in e["name"]]
    assert people == ["dmitry-medvedev"]
    roles = {}
    for name in names:
        meta = article(content, name)
        (q,) = meta["quotes"]
        assert q["speaker"] == "dmitry-medvedev"
        roles[meta["date"][:4], q.get("role")] = True
    assert ("2010", "President") in roles and ("2013", "Prime Minister") in roles
    before = {p: p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()}
    for _ in range(2):
        ingest(tmp_path)
        assert {p: p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()} == before


def test_press_conference_transcript(tmp_path):
    content = ingest(tmp_path, "transcript.txt")
    meta = article(content, "transcript.txt")
    assert meta["format"] == "interview"
    quotes = meta["quotes"]
    assert [q["speaker"] for q in quotes] == ["henrik-sorvik"] * 3
    assert quotes[1]["text"].startswith("No. We do not see an imminent threat")
    assert all(q["role"] == "Secretary General" for q in quotes)
    assert not any("Radio Vostok" in q["text"] or "How much" in q["text"] for q in quotes)


DUPLICATED = """\
# Kept by the desk -- this comment stays.
barack-obama:
  name: Barack Obama
  role: US President     # checked by hand
  aliases: []
  kind: person
obama:
  name: Obama
  role: President
  aliases: []
  kind: person
obama-2: {name: Obama, role: null, aliases: [], kind: person}
stephen-bannon: {name: Stephen Bannon, role: null, aliases: [], kind: person}
stephen-k-bannon: {name: Stephen K. Bannon, role: null, aliases: [], kind: person}
george-w-bush: {name: George W. Bush, role: null, aliases: [], kind: person}
george-h-w-bush: {name: George H.W. Bush, role: null, aliases: [], kind: person}
"""


def test_merge_speakers_folds_duplicates_and_rewrites_articles(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    (content / "speakers.yaml").write_text(DUPLICATED, encoding="utf-8")
    meta = {"title": "T", "slug": "t", "date": "2016-01-02", "speakers": ["obama", "obama-2", "stephen-k-bannon"],
            "quotes": [{"id": "q-00000001", "speaker": "obama", "text": "Yes we can."},
                       {"id": "q-00000002", "speaker": "obama-2", "text": "We can."},
                       {"id": "q-00000003", "speaker": "stephen-k-bannon", "text": "No."}],
            "mentions": ["barack-obama", "george-h-w-bush"]}
    (content / "articles" / "t.md").write_text(frontmatter.render(meta, "Body."), encoding="utf-8")
    done = digest("merge-speakers", "--content", str(content))
    assert done.returncode == 0, done.stderr
    text = (content / "speakers.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Kept by the desk -- this comment stays.\nbarack-obama:\n  name: Barack Obama\n"
                           "  role: US President     # checked by hand\n")
    assert sorted(yaml.safe_load(text)) == ["barack-obama", "george-h-w-bush", "george-w-bush", "stephen-bannon"]
    got, _, _ = frontmatter.read(content / "articles" / "t.md")
    assert [q["speaker"] for q in got["quotes"]] == ["barack-obama", "barack-obama", "stephen-bannon"]
    assert got["speakers"] == ["barack-obama", "stephen-bannon"] and got["mentions"] == ["george-h-w-bush"]
    again = digest("merge-speakers", "--content", str(content))
    assert "0 duplicate entries merged" in again.stdout
