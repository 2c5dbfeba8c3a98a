"""Raw page dumps for the ingest benchmark: an article wrapped in site chrome.

The chrome is generic (icon sprite text, menus, share bars, newsletter boxes,
unrelated headline lists, footers) and varies per page, so ingest does the same
cleaning work it does on real dumps.
"""
from __future__ import annotations

import random
from datetime import datetime

import prose

ICONS = ["bookmark", "camera", "check", "chevron down", "chevron left", "chevron right", "close",
         "download", "edit", "fb", "file", "filter", "mail", "search", "share", "tag", "tw", "yt"]
MENUS = [["Home", "World", "Business", "Politics", "Sport", "Opinion", "Video"],
         ["News", "Economy", "Science", "Culture", "In focus", "Podcasts"],
         ["Latest", "Region", "Markets", "Features", "Analysis", "Photo"]]
SHARE = ["Share on Facebook", "Share on X", "Email", "Print", "Copy link", "Telegram"]
FOOTER = ["About us", "Contact", "Privacy policy", "Terms of use", "Cookie settings",
          "Advertise with us", "Careers", "© {year} {outlet}. All rights reserved."]
UNRELATED = ["Storm closes schools across the north", "Markets rally on strong jobs data",
             "Film festival opens with record crowds", "Football: late goal settles derby",
             "Scientists map ancient river system", "Airline adds routes for summer season",
             "Museum returns artefacts after long dispute", "City council approves new park"]


def _date_line(rng: random.Random, art: prose.Article) -> str:
    d = datetime.strptime(art.date, "%Y-%m-%dT%H:%M")
    forms = [
        f"{d.day} {d:%b}, {d.year} {d:%H:%M}",
        f"{d:%H:%M}, {d:%B} {d:%d}, {d.year}",
        f"Published {d.day} {d:%B} {d.year}",
        f"{d:%b} {d.day}, {d.year} {d:%I:%M %p} ET",
        f"{d:%Y-%m-%d}",
    ]
    return rng.choice(forms)


def page_dump(index: int, art: prose.Article, reg: prose.Registry) -> str:
    rng = random.Random(f"seedpage-{index}")
    year = art.date[:4]
    lines: list[str] = []
    lines.append("".join(f"icon {n}" for n in rng.sample(ICONS, rng.randint(6, len(ICONS)))))
    if rng.random() < 0.5:
        lines.append("Skip to main content")
    lines.extend(rng.choice(MENUS))
    lines.append("")
    lines.append(_date_line(rng, art))
    lines.append("")
    lines.append(art.title)
    lines.append("")
    if rng.random() < 0.4:
        lines.append(f"{rng.randint(2, 9)} min read")
        lines.append("")
    body = list(art.plain)
    if rng.random() < 0.5:   # wire-style dateline on the lede
        body[0] = f"{art.dateline.upper()}, ({art.source}) — {body[0]}"
    for para in body:
        lines.append(para)
        lines.append("")
        if rng.random() < 0.08:
            lines.append(f"Read also: {rng.choice(UNRELATED)}")
            lines.append("")
    if rng.random() < 0.5:
        lines.append(f"Source: {art.source}")
        lines.append("")
    lines.extend(rng.sample(SHARE, rng.randint(3, len(SHARE))))
    lines.append("Subscribe to our newsletter")
    lines.append("Enter your email address Sign up")
    lines.append("")
    lines.append(rng.choice(["More from this section", "Most read", "Related news"]))
    lines.extend(rng.sample(UNRELATED, rng.randint(3, 6)))
    lines.append("")
    if rng.random() < 0.3:
        lines.append(f"Comments ({rng.randint(0, 80)})")
        lines.append("Log in to comment")
    lines.extend(f.format(year=year, outlet=art.source) for f in FOOTER)
    return "\n".join(lines) + "\n"
