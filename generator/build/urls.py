"""Every URL of the site, in one place. Pages live at directory URLs
(``speakers/x/`` -> ``speakers/x/index.html``).

Links between pages are page-relative (``../../speakers/x/``): the site works under
any prefix and straight from disk. The renderer calls ``at(rel)`` before each page;
templates keep calling ``url(...)``, ``url.speaker(...)`` etc. Pages served at
arbitrary depths (``404.html``) and ``robots.txt`` use absolute ``base_path`` links.
Canonical, OpenGraph, feed and sitemap URLs use ``absolute`` (``base_url``)."""
from __future__ import annotations


def output_file(rel: str) -> str:
    """``speakers/x/`` -> ``speakers/x/index.html``; ``feed.xml`` stays."""
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


class Urls:
    def __init__(self, base_path: str, base_url: str):
        self.base = base_path if base_path.endswith("/") else base_path + "/"
        self.base_url = base_url
        self.root = self.base          # what a link starts with on the page being rendered

    def at(self, rel: str, absolute: bool = False) -> "Urls":
        """Make links relative to the page at ``rel`` (or absolute under base_path)."""
        self.root = self.base if absolute else "../" * rel.count("/")
        return self

    # relative paths (what the planner uses as page identities)
    @staticmethod
    def rel_article(slug: str) -> str: return f"articles/{slug}/"
    @staticmethod
    def rel_speaker(slug: str) -> str: return f"speakers/{slug}/"
    @staticmethod
    def rel_topic(slug: str) -> str: return f"topics/{slug}/"
    @staticmethod
    def rel_source(slug: str) -> str: return f"sources/{slug}/"
    @staticmethod
    def rel_year(year: str) -> str: return f"archive/{year}/"
    @staticmethod
    def rel_month(month: str) -> str: return f"archive/{month[:4]}/{month[5:7]}/"

    def __call__(self, rel: str = "") -> str:
        """Link to a page from the current one: ``speakers/`` -> ``../../speakers/``
        (``/repo/speakers/`` on absolute pages)."""
        return (self.root + rel) or "./"

    def absolute(self, rel: str = "") -> str:
        return self.base_url + rel

    # The links pages make most (hundreds a page), as self(self.rel_…(…)) in one step; a
    # rel_… path is never empty, so never "./".
    def article(self, slug: str) -> str: return f"{self.root}articles/{slug}/"
    def speaker(self, slug: str) -> str: return f"{self.root}speakers/{slug}/"
    def topic(self, slug: str) -> str: return f"{self.root}topics/{slug}/"
    def source(self, slug: str) -> str: return f"{self.root}sources/{slug}/"
    def year(self, year: str) -> str: return self(self.rel_year(year))
    def month(self, month: str) -> str: return self(self.rel_month(month))
    def quote(self, q) -> str: return f"{self.root}articles/{q.article}/#{q.id}"
    def speaker_topic(self, speaker: str, topic: str) -> str: return f"{self.root}speakers/{speaker}/#on-{topic}"
    def static(self, name: str) -> str: return self(f"static/{name}")
