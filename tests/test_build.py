"""Building: determinism, atomicity, output safety, caching and incremental rebuilds."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import build
from generator.build import Builder, NullReporter
from generator.build.report import ConsoleReporter
from generator.config import load_config
from generator.errors import ConfigError, ContentError, DigestError


def snapshot(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_two_builds_are_byte_identical(project, tmp_path):
    _, a = build(project, output=str(tmp_path / "one"), cache=str(tmp_path / "c1"))
    _, b = build(project, output=str(tmp_path / "two"), cache=str(tmp_path / "c2"))
    # Pagefind (upstream) orders its filter chunks by a randomly seeded hash map, so its
    # bundle, and the manifest listing its file names, are the only non-reproducible bytes.
    ours = lambda snap: {k: v for k, v in snap.items() if not k.startswith(("pagefind/", ".digest-manifest"))}  # noqa: E731
    assert ours(snapshot(a.output)) == ours(snapshot(b.output))
    assert len(ours(snapshot(a.output))) > 30


def test_warm_rebuild_is_a_noop_and_an_edit_renders_only_what_it_touches(project):
    config = load_config(project)
    builder = Builder(config, reporter=NullReporter())
    first = builder.build()
    assert first.written == first.rendered == first.pages
    assert Builder(config, reporter=NullReporter()).build().noop

    path = project / "content/articles/undated-ministry-note.md"
    edit(path, "without giving a date", "without giving any date")
    result = builder.build(changed={path})
    assert result.changed_pages == ["articles/undated-ministry-note/index.html"]
    assert "without giving any date" in (first.output / "articles/undated-ministry-note/index.html").read_text()

    # Adding a speaker updates the article, the speaker's page, the speakers index and listings.
    edit(path, "speakers: [freedonian-foreign-ministry]", "speakers: [freedonian-foreign-ministry, tomas-berg]")
    edit(path, "mentions: []", "mentions: []\n")
    result = builder.build(changed={path})
    changed = set(result.changed_pages)
    assert {"articles/undated-ministry-note/index.html", "speakers/tomas-berg/index.html",
            "speakers/index.html", "speakers/tomas-berg/feed.xml"} <= changed
    assert "speakers/mara-lindqvist/index.html" not in changed
    assert "../../articles/undated-ministry-note/" in (first.output / "speakers/tomas-berg/index.html").read_text()


def test_a_removed_article_removes_its_page_but_never_foreign_files(project):
    config, first = build(project)
    foreign = first.output / "articles" / "notes.txt"
    foreign.write_text("mine", encoding="utf-8")
    (project / "content/articles/undated-ministry-note.md").unlink()
    config, second = build(project)
    assert not (second.output / "articles/undated-ministry-note").exists()
    assert second.deleted >= 1
    assert foreign.read_text() == "mine"


def test_a_failed_build_leaves_the_previous_site_intact(project):
    config, first = build(project)
    before = snapshot(first.output)
    (project / "templates").mkdir()
    (project / "templates" / "topic.html").write_text(
        '{% extends "base.html" %}{% block main %}{{ no_such_variable.attribute }}{% endblock %}', encoding="utf-8")
    edit(project / "content/articles/lindqvist-on-trade.md", "She gave no details", "She gave few details")
    with pytest.raises(ContentError) as info:
        build(project)
    assert info.value.path.endswith("topic.html") and info.value.line == 1
    assert snapshot(first.output) == before
    assert not list(first.output.parent.glob(".*staging*"))


@pytest.mark.parametrize("name, source, line", [
    ("home.html", '{% extends "base.html" %}{% block main %}\n{{ 1 | no_such_filter }}{% endblock %}', 2),
    ("partials/opengraph.html", '<meta name="x">\n\n{% if page is no_such_test %}{% endif %}', 3),
])
def test_an_unknown_filter_or_test_is_an_error_at_its_template_line(project, name, source, line):
    """In the page's own template (compiled before any page renders) or in a partial it pulls
    in (compiled where first used): the file and line, and the site as it was."""
    config, first = build(project)
    before = snapshot(first.output)
    target = project / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        build(project)
    assert info.value.path.endswith(name) and info.value.line == line
    assert "no_such_" in info.value.message and "template error" in info.value.message
    assert snapshot(first.output) == before


def test_the_documented_model_filters_work_in_a_user_template_on_the_first_build(project):
    (project / "templates").mkdir()
    (project / "templates" / "speaker.html").write_text(
        '{% extends "base.html" %}{% block main %}{% for q in quotes %}'
        '<p class="f">{{ q | quote_date }}|{{ (q | article_of).slug }}</p>{% endfor %}'
        '<p class="d">{{ quotes | dated_articles | map(attribute="slug") | join(",") }}</p>{% endblock %}',
        encoding="utf-8")
    config, result = build(project)
    page = next(p for p in (result.output / "speakers").glob("*/index.html") if 'class="f"' in p.read_text())
    first = page.read_text().split('<p class="f">', 1)[1].split("</p>", 1)[0]
    date, slug = first.split("|")
    assert (result.output / "articles" / slug / "index.html").is_file() and date
    assert slug in page.read_text().split('<p class="d">', 1)[1]


def test_template_syntax_error_names_file_and_line(project):
    (project / "templates").mkdir()
    (project / "templates" / "article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{% if a.title %}\n{% endblock %}\n', encoding="utf-8")
    with pytest.raises(ContentError) as info:
        build(project)
    assert str(info.value.path).endswith("templates/article.html")
    assert info.value.line in (3, 4) and "syntax" in info.value.message


def test_content_errors_are_reported_before_anything_is_written(project):
    edit(project / "content/articles/lindqvist-on-trade.md", "topics: [trade, alliance-relations]",
         "topics: [trade, alliance-relation]")
    with pytest.raises(DigestError) as info:
        build(project)
    assert "lindqvist-on-trade.md:" in str(info.value) and "alliance-relations" in str(info.value)
    assert not (project / "site").exists()


def test_user_templates_override_defaults_including_static(project):
    (project / "templates/partials").mkdir(parents=True)
    (project / "templates/static").mkdir()
    (project / "templates/404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost at sea</h1>{% endblock %}', encoding="utf-8")
    (project / "templates/static/style.css").write_text("body{color:teal}", encoding="utf-8")
    config, result = build(project)
    assert "Lost at sea" in (result.output / "404.html").read_text()
    assert (result.output / "static/style.css").read_text() == "body{color:teal}"
    assert (result.output / "static/search.js").is_file()   # defaults still there


@pytest.mark.parametrize("target", ["~", "/", ".", "content", "nonempty"])
def test_dangerous_output_folders_are_refused(project, target):
    if target == "nonempty":
        (project / "nonempty").mkdir()
        (project / "nonempty" / "keep.txt").write_text("x")
    out = str(Path(target).expanduser()) if target in ("~", "/") else str(project / target)
    with pytest.raises(ConfigError):
        build(project, output=out)
    if target == "nonempty":
        assert (project / "nonempty" / "keep.txt").read_text() == "x"


def test_summary_line_and_quiet_reporter(project, capsys):
    from generator.commands import build as command

    result = command.run(load_config(project), reporter=ConsoleReporter())
    out = capsys.readouterr().out
    assert out.startswith(f"built {result.pages} pages ({result.written} written) in ")
