"""Recognise interviews and transcripts: paragraphs that open with a speaker label.

Labels take the forms interviews, press conferences and parliamentary records
use: ``Name:``, ``NAME:``, ``NAME (Role):``, ``ROLE:``, ``Q:``/``A:``,
``MODERATOR:``.  A transcript has at least three labelled turns by at least
two participants.  Labels that share a last word ("Jan Piotr Kowalczyk" /
"Kowalczyk"), or a role given in brackets ("HENRIK SØRVIK (Secretary General)"
/ "SECRETARY GENERAL"), are one participant.  The interviewer is a label such
as "Q", "Journalist" or "Moderator", else the label whose turns are mostly
questions; every other label answers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TURN_RE = re.compile(
    r"^(?P<label>[A-Z\u00C0-\u00DE][\w.'’ -]{0,40}?)(?:\s*\((?P<role>[^()\n]{1,60})\))?:\s+(?P<text>\S.*)$", re.S)
# Labels of whoever asks or chairs rather than answers.
ASKERS = {"q", "question", "interviewer", "journalist", "reporter", "moderator", "host", "anchor",
          "chair", "chairman", "chairwoman", "presenter", "audience", "questioner"}
_ANSWER_LABELS = {"a", "answer"}


@dataclass(frozen=True)
class Turn:
    label: str
    text: str
    offset: int          # where ``text`` starts in the paragraph
    question: bool       # the interviewer's or chair's turn
    role: str = ""       # "Secretary General" in "HENRIK SØRVIK (Secretary General):"


def label_name(label: str) -> str:
    """'HENRIK SØRVIK' -> 'Henrik Sørvik'; other labels as written."""
    return label.title() if label.isupper() and len(label) > 1 else label


def _group(label: str) -> str:
    return label.split()[-1].lower().rstrip(".")


def _is_label(label: str) -> bool:
    words = label.split()
    if label.isupper():
        return len(words) <= 6
    return len(words) <= 4 and all(w[0].isupper() for w in words)


def detect(paragraphs) -> tuple[list[Turn | None], str | None] | None:
    """Per-paragraph turns and the interviewer label, or None when not an interview."""
    found: list[Turn | None] = []
    counts: dict[str, int] = {}
    questions: dict[str, int] = {}
    labels: dict[str, str] = {}
    roles: dict[str, str] = {}          # role in brackets -> the group of the name it followed
    for p in paragraphs:
        m = TURN_RE.match(p)
        if not m or not _is_label(m.group("label").strip()):
            found.append(None)
            continue
        label, text, role = m.group("label").strip(), m.group("text"), (m.group("role") or "").strip()
        g = _group(label)
        if role and g not in ASKERS:
            roles.setdefault(role.lower(), g)
        counts[g] = counts.get(g, 0) + 1
        questions[g] = questions.get(g, 0) + ("?" in text)
        labels.setdefault(g, label)
        found.append(Turn(label, text, m.start("text"), False, role))
    # "SECRETARY GENERAL:" after "HENRIK SØRVIK (Secretary General):" is the same person
    alias = {}
    for g in list(counts):
        full = labels[g].lower()
        if full in roles and roles[full] != g:
            alias[g] = roles[full]
    for g, to in alias.items():
        counts[to] += counts.pop(g)
        questions[to] += questions.pop(g)
    turns_total = sum(counts.values())
    if len(counts) < 2 or turns_total < 3:
        return None
    askers = {g for g in counts if g in ASKERS}
    if not askers:
        repeated = [g for g, n in counts.items() if n >= 2]
        if len(repeated) < 2 or sum(counts[g] for g in repeated) < 4:
            return None
        asker = max(repeated, key=lambda g: (questions[g] / counts[g], counts[g]))
        if questions[asker] * 2 < counts[asker]:
            return None
        askers = {asker}
    turns = []
    for t in found:
        if t is None:
            turns.append(None)
            continue
        g = alias.get(_group(t.label), _group(t.label))
        turns.append(Turn(t.label, t.text, t.offset, g in askers, t.role))
    first = next(g for g in sorted(askers, key=lambda g: (g not in ("q", "question", "interviewer"), g)))
    return turns, labels[first]


def is_anonymous_answer(label: str) -> bool:
    return label.lower().rstrip(".") in _ANSWER_LABELS
