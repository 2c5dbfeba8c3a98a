"""Recognise interview transcripts: paragraphs that open with ``Label: ``.

A transcript has at least two labels taking two or more turns each.  The
interviewer is the label whose turns are mostly questions (or a label such
as "Q"); every other label answers.  Labels that share a last word
("Jan Piotr Kowalczyk" / "Kowalczyk") are one participant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TURN_RE = re.compile(r"^(?P<label>[A-Z][\w.'’ -]{0,40}?):\s+(?P<text>\S.*)$", re.S)
_QUESTION_LABELS = {"q", "question", "interviewer"}
_ANSWER_LABELS = {"a", "answer"}


@dataclass(frozen=True)
class Turn:
    label: str
    text: str
    offset: int          # where ``text`` starts in the paragraph
    question: bool       # the interviewer's turn


def _group(label: str) -> str:
    return label.split()[-1].lower().rstrip(".")


def detect(paragraphs) -> tuple[list[Turn | None], str | None] | None:
    """Per-paragraph turns and the interviewer label, or None when not an interview."""
    found: list[Turn | None] = []
    counts: dict[str, int] = {}
    questions: dict[str, int] = {}
    labels: dict[str, str] = {}
    for p in paragraphs:
        m = TURN_RE.match(p)
        if not m or len(m.group("label").split()) > 4 or not all(
                w[0].isupper() for w in m.group("label").split()):
            found.append(None)
            continue
        label, text = m.group("label"), m.group("text")
        g = _group(label)
        counts[g] = counts.get(g, 0) + 1
        questions[g] = questions.get(g, 0) + ("?" in text)
        labels.setdefault(g, label)
        found.append(Turn(label, text, m.start("text"), False))
    groups = [g for g, n in counts.items() if n >= 2]
    if len(groups) < 2 or sum(counts[g] for g in groups) < 4:
        return None
    asker = next((g for g in groups if g in _QUESTION_LABELS),
                 max(groups, key=lambda g: (questions[g] / counts[g], counts[g])))
    if questions[asker] * 2 < counts[asker] and asker not in _QUESTION_LABELS:
        return None
    turns = [None if t is None or _group(t.label) not in groups else
             Turn(t.label, t.text, t.offset, _group(t.label) == asker) for t in found]
    return turns, labels[asker]


def is_anonymous_answer(label: str) -> bool:
    return label.lower().rstrip(".") in _ANSWER_LABELS
