"""Write one synthetic corpus three ways: digest content, a Hugo site, a Pelican site.

    python benchmarks/corpus.py N OUTDIR           # OUTDIR/{digest,hugo,pelican}/
    python benchmarks/corpus.py --seeds N OUTDIR   # N raw page dumps in OUTDIR/

The same N always writes the same bytes (seeded ``random.Random``), so runs on
different days and machines build identical work.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import prose  # noqa: E402
import seedpages  # noqa: E402

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)   # libyaml: 50k files stay quick


def _yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- digest: the content contract -------------------------------------------

def digest_front_matter(index: int, art: prose.Article) -> dict:
    return {
        "seed": f"synthetic-{index:06d}.txt",
        "seed_sha256": hashlib.sha256(art.body.encode()).hexdigest(),
        "title": art.title,
        "slug": art.slug,
        "date": art.date,
        "date_note": None,
        "source": art.source,
        "dateline": art.dateline,
        "format": art.format,
        "interviewer": art.interviewer,
        "summary": art.summary,
        "words": sum(len(p.split()) for p in art.plain),
        "speakers": art.speakers,
        "quotes": art.quotes,
        "mentions": art.mentions,
        "topics": art.topics,
        "topic_terms": art.topic_terms,
    }


def digest_article(index: int, art: prose.Article) -> str:
    return f"---\n{_yaml(digest_front_matter(index, art))}---\n\n{art.body}\n"


def write_digest(root: Path, reg: prose.Registry, articles: list[prose.Article]) -> None:
    content = root / "content"
    for i, art in enumerate(articles):
        _write(content / "articles" / f"{art.slug}.md", digest_article(i, art))
    _write(content / "speakers.yaml", _yaml(reg.speakers))
    _write(content / "topics.yaml", _yaml(reg.topics))
    (root / "seeds").mkdir(parents=True, exist_ok=True)   # empty: build's ingest step is a no-op
    _write(root / "digest.yaml", _digest_config(seeds="seeds", content="content"))


def _digest_config(**paths: str) -> str:
    """``digest.yaml`` of a benchmark project: ``paths`` plus the output and cache folders."""
    return _yaml({"title": "Benchmark digest", "base_url": "http://127.0.0.1:8000/",
                  "paths": {**paths, "output": "site", "cache": ".digest-cache"}})


# --- digest on Hugo's layouts: the same templates, to compare the engines ---------

# Jinja twins of HUGO_LAYOUTS below, as a user's templates/ override: the same markup per
# page, so the difference from Hugo is the engine, not the theme. Page kinds Hugo does not
# make (feeds, archives, sources, the quotes page) keep digest's default templates, so
# digest still does more work than Hugo here.
PEER_TEMPLATES = {
    "base.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{{ page.title }} · {{ config.title }}{% endblock %}</title></head>
<body><header><a href="{{ url() }}">{{ config.title }}</a>
<nav><a href="{{ url('speakers/') }}">Speakers</a> <a href="{{ url('topics/') }}">Topics</a></nav></header>
<main>{% block main %}{% endblock %}</main></body></html>
""",
    "article.html": """{% extends "base.html" %}
{% block main %}<article><h1>{{ a.title }}</h1>
<p><time datetime="{{ a.date | isodate }}">{{ a.date | longdate(false) }}</time> · {{ a.source }}</p>
<p>Speakers: {% for s in a.speakers %}<a href="{{ url.speaker(s) }}">{{ site.speakers[s].name }}</a> {% endfor %}</p>
<p>Topics: {% for t in a.topics %}<a href="{{ url.topic(t) }}">{{ site.topics[t].name }}</a> {% endfor %}</p>
{{ body_html }}
<h2>Quotes</h2><ul>{% for q in a.quotes %}<li id="{{ q.id }}">{{ site.speakers[q.speaker].name }}: “{{ q.text }}”</li>{% endfor %}</ul>
</article>{% endblock %}
""",
    "home.html": """{% extends "base.html" %}
{% block main %}<h1>{{ config.title }}</h1>
<ul>{% for a in articles %}<li><a href="{{ url.article(a.slug) }}">{{ a.title }}</a> {{ a.summary }}</li>{% endfor %}</ul>{% endblock %}
""",
    "speakers.html": """{% extends "base.html" %}
{% block main %}<h1>Speakers</h1>
<ul>{% for sp, _, n in groups[0][1] | sort(attribute="0.name") %}<li><a href="{{ url.speaker(sp.slug) }}">{{ sp.name }}</a> ({{ n }})</li>{% endfor %}</ul>{% endblock %}
""",
    "topics.html": """{% extends "base.html" %}
{% block main %}<h1>Topics</h1>
<ul>{% for t, n, _ in topics | sort(attribute="0.name") %}<li><a href="{{ url.topic(t.slug) }}">{{ t.name }}</a> ({{ n }})</li>{% endfor %}</ul>{% endblock %}
""",
    "speaker.html": """{% extends "base.html" %}
{% block main %}<h1>{{ sp.name }}</h1>
<ul>{% for a in quoted_in %}<li><a href="{{ url.article(a.slug) }}">{{ a.title }}</a> {{ a.date | isodate(false) }}
<ul>{% for q in a.quotes if q.speaker == sp.slug %}<li>“{{ q.text }}”</li>{% endfor %}</ul></li>{% endfor %}</ul>{% endblock %}
""",
    "topic.html": """{% extends "base.html" %}
{% block main %}<h1>{{ t.name }}</h1>
<ul>{% for a in articles | reverse %}<li><a href="{{ url.article(a.slug) }}">{{ a.title }}</a> {{ a.date | isodate(false) }}</li>{% endfor %}</ul>{% endblock %}
""",
}


def write_digest_peer(root: Path, reg: prose.Registry, articles: list[prose.Article]) -> None:
    """A second digest project on the same content (``../digest/content``), with
    PEER_TEMPLATES as its templates/."""
    for name, text in PEER_TEMPLATES.items():
        _write(root / "templates" / name, text)
    _write(root / "digest.yaml", _digest_config(seeds="../digest/seeds", content="../digest/content",
                                                templates="templates"))


# --- Hugo: YAML front matter, speakers/topics taxonomies, minimal layouts -----

HUGO_CONFIG = """baseURL = "http://127.0.0.1:1313/"
title = "Benchmark digest"
languageCode = "en"
disableKinds = ["rss", "sitemap", "robotstxt"]

[taxonomies]
  speaker = "speakers"
  topic = "topics"
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/speakers/" | relURL }}">Speakers</a> <a href="{{ "/topics/" | relURL }}">Topics</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "page.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.source }}</p>
<p>Speakers: {{ range .GetTerms "speakers" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
<p>Topics: {{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>
{{ .Content }}
<h2>Quotes</h2><ul>{{ range .Params.quotes }}<li id="{{ .id }}">{{ .speaker }}: “{{ .text }}”</li>{{ end }}</ul>
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
""",
    "home.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range first 30 site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>{{ $name := .Title }}
<ul>{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}
{{ if eq $.Data.Plural "speakers" }}{{ with where .Params.quotes "speaker" $name }}<ul>{{ range . }}<li>“{{ .text }}”</li>{{ end }}</ul>{{ end }}{{ end }}</li>{{ end }}</ul>{{ end }}
""",
}


def hugo_article(art: prose.Article, reg: prose.Registry) -> str:
    names = reg.speakers
    meta = {
        "title": art.title,
        "date": art.date + ":00Z",
        "slug": art.slug,
        "summary": art.summary,
        "source": art.source,
        "speakers": [names[s]["name"] for s in art.speakers],
        "topics": [reg.topics[t]["name"] for t in art.topics],
        "quotes": [{"id": q["id"], "speaker": names[q["speaker"]]["name"], "text": q["text"]}
                   for q in art.quotes],
    }
    return f"---\n{_yaml(meta)}---\n\n{art.body}\n"


def write_hugo(root: Path, reg: prose.Registry, articles: list[prose.Article]) -> None:
    _write(root / "hugo.toml", HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / name, text)
    for art in articles:
        _write(root / "content" / "posts" / f"{art.slug}.md", hugo_article(art, reg))


# --- Pelican: authors and tags, default theme --------------------------------

PELICAN_CONFIG = """AUTHOR = "Benchmark"
SITENAME = "Benchmark digest"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"
DEFAULT_PAGINATION = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
"""


def pelican_article(art: prose.Article, reg: prose.Registry) -> str:
    authors = ", ".join(reg.speakers[s]["name"] for s in art.speakers)
    tags = ", ".join(reg.topics[t]["name"] for t in art.topics)
    head = [f"Title: {art.title}", f"Date: {art.date.replace('T', ' ')}", f"Slug: {art.slug}",
            f"Authors: {authors}", f"Tags: {tags}", "Category: News", f"Summary: {art.summary}"]
    return "\n".join(head) + f"\n\n{art.body}\n"


def write_pelican(root: Path, reg: prose.Registry, articles: list[prose.Article]) -> None:
    _write(root / "pelicanconf.py", PELICAN_CONFIG)
    for art in articles:
        _write(root / "content" / f"{art.slug}.md", pelican_article(art, reg))


# --- entry points ------------------------------------------------------------

def write_corpus(n: int, out: Path) -> dict:
    """(Re)write OUTDIR/{digest,hugo,pelican}; returns a small summary."""
    reg, articles = prose.make_corpus(n)
    for name, writer in (("digest", write_digest), ("digest-peer", write_digest_peer), ("hugo", write_hugo),
                         ("pelican", write_pelican)):
        shutil.rmtree(out / name, ignore_errors=True)
        writer(out / name, reg, articles)
    summary = {"articles": n, "speakers": len(reg.speakers), "topics": len(reg.topics),
               "words": sum(a.words for a in articles),
               "quotes": sum(len(a.quotes) for a in articles)}
    _write(out / "corpus.json", json.dumps(summary, indent=2) + "\n")
    return summary


def write_seeds(n: int, out: Path) -> None:
    """N raw page dumps (chrome around an article) for the ingest benchmark."""
    reg, articles = prose.make_corpus(n, seed=11)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for i, art in enumerate(articles):
        text = seedpages.page_dump(i, art, reg)
        name = f"{i:05d}_{hashlib.sha256(text.encode()).hexdigest()[:16]}.txt"
        (out / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", action="store_true", help="write raw seed page dumps instead")
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args(argv)
    if args.seeds:
        write_seeds(args.n, args.outdir)
        print(f"wrote {args.n} seeds to {args.outdir}")
    else:
        summary = write_corpus(args.n, args.outdir)
        print(f"wrote {summary} to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
