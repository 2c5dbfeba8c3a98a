"""Self-check of gold.yaml against the raw dumps in this folder.

Run: python tests/data/unseen/check_gold.py  (exit status 1 on any problem).
Not a pytest module on purpose: it checks the gold, not the extractor.
"""
import re
import sys
import unicodedata
from pathlib import Path

import yaml

HERE = Path(__file__).parent
OPENERS = "\"'“‘"


def fold(text: str) -> str:
    """Collapse runs of white space (NBSP included) to one space."""
    return re.sub(r"\s+", " ", text).strip()


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def answer_label(body: str, i: int, gold: dict) -> bool:
    """True if position i follows an interviewee label such as "A: "."""
    m = re.search(r"(?:^|\s)([A-Z][\w .]*): $", body[max(0, i - 40):i])
    return bool(m) and m.group(1) not in {"Q", gold.get("interviewer")}


def check_article(fname: str, gold: dict) -> list[str]:
    errors = []
    raw = (HERE / fname).read_bytes()
    enc = gold["encoding"]
    if enc != "utf-8":
        try:
            raw.decode("utf-8")
            errors.append("declared %s but decodes as UTF-8" % enc)
        except UnicodeDecodeError:
            pass
    text = fold(raw.decode(enc))

    def where(s, what):
        i = text.find(fold(s))
        if i < 0:
            errors.append("%s not found: %r" % (what, s))
        return i

    where(gold["title"], "title")
    start = where(gold["body_starts"], "body_starts")
    end = where(gold["body_ends"], "body_ends")
    if start >= 0 and end >= 0:
        end += len(fold(gold["body_ends"]))
        if end <= start:
            errors.append("body_ends before body_starts")
    body = text[start:end] if start >= 0 and end > start else ""

    interview = gold["format"] == "interview"
    for q in gold["quotes"]:
        s = fold(q["starts_with"])
        hits = [m.start() for m in re.finditer(re.escape(s), body)]
        if not hits:
            errors.append("quote not in body: %r" % s)
            continue
        # The quoted words must follow an opening mark (or an answer label).
        ok = any(body[i - 1] in OPENERS or (interview and answer_label(body, i, gold))
                 for i in hits)
        if not ok:
            errors.append("quote does not follow an opening mark: %r" % s)

    for s in gold.get("not_quotes", []):
        if fold(s) not in body:
            errors.append("not_quote not in body: %r" % s)
    for s in gold.get("boilerplate", []):
        if fold(s) not in text:
            errors.append("boilerplate not found: %r" % s)
        elif fold(s) in body:
            errors.append("boilerplate inside body span: %r" % s)

    speakers = set(gold["speakers"])
    quoted = {q["speaker"] for q in gold["quotes"]}
    if speakers != quoted:
        errors.append("speakers %s != quoted %s" % (sorted(speakers), sorted(quoted)))
    names = gold["speaker_names"]
    if set(names) != speakers:
        errors.append("speaker_names keys differ from speakers")
    for slug, name in names.items():
        if slugify(name) != slug:
            errors.append("slug %s != slugify(%r)" % (slug, name))
    for slug in gold.get("mentioned", []):
        if slug in speakers:
            errors.append("%s both speaker and mentioned" % slug)
        if slug.replace("-", " ") not in slugify(body).replace("-", " "):
            errors.append("mentioned person not in body: %s" % slug)
    if gold.get("dateline") and gold["dateline"].lower() not in body.lower()[:80]:
        errors.append("dateline not at body start: %s" % gold["dateline"])
    return errors


def main() -> int:
    gold = yaml.safe_load((HERE / "gold.yaml").read_text(encoding="utf-8"))["articles"]
    files = sorted(p.name for p in HERE.glob("*.txt"))
    problems = 0
    if sorted(gold) != files:
        print("files and gold entries differ:", set(files) ^ set(gold))
        problems += 1
    for fname in sorted(gold):
        errs = check_article(fname, gold[fname])
        problems += len(errs)
        art = gold[fname]
        print("%-32s %-8s quotes=%2d speakers=%d not_quotes=%d mentioned=%d boilerplate=%d %s"
              % (fname, art["encoding"], len(art["quotes"]), len(art["speakers"]),
                 len(art.get("not_quotes", [])), len(art.get("mentioned", [])),
                 len(art.get("boilerplate", [])), "OK" if not errs else "FAIL"))
        for e in errs:
            print("    -", e)
    total = sum(len(a["quotes"]) for a in gold.values())
    print("articles=%d quotes=%d problems=%d" % (len(gold), total, problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
