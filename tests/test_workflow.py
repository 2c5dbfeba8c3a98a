"""The GitHub Pages workflow: valid YAML, the right triggers, permissions and
actions, and a build step that runs the command the README documents."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.config import load_config

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
README = ROOT / "README.md"
SECTION = "Publish to GitHub Pages"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def uses(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def readme_section(text: str, title: str) -> str | None:
    """The body of the ``## title`` section (up to the next heading of that level or higher)."""
    m = re.search(rf"^(#+)\s+{re.escape(title)}\s*$", text, re.M)
    if not m:
        return None
    level = len(m.group(1))
    end = re.search(rf"^#{{1,{level}}}\s", text[m.end():], re.M)
    return text[m.end(): m.end() + end.start() if end else len(text)]


def code_lines(markdown: str) -> list[str]:
    """Lines inside fenced code blocks."""
    return [line.strip() for block in re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.M | re.S)
            for line in block.splitlines() if line.strip()]


def test_triggers_permissions_and_concurrency(workflow: dict):
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    on = workflow.get("on", workflow.get(True))
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_build_job_configures_builds_and_uploads_in_order(workflow: dict):
    build = steps(workflow, "build")
    names = [uses(s) or s.get("run", "") for s in build]
    order = ["actions/checkout", "actions/setup-python", "pip install -e .",
             "actions/configure-pages", "digest build", "actions/upload-pages-artifact"]
    positions = [next(i for i, n in enumerate(names) if n.startswith(want)) for want in order]
    assert positions == sorted(positions), names
    python = next(s for s in build if uses(s) == "actions/setup-python")
    assert str(python["with"]["python-version"]) == "3.11"
    pages = next(s for s in build if uses(s) == "actions/configure-pages")
    run = next(s["run"].strip() for s in build if s.get("run", "").startswith("digest build"))
    assert run == f'digest build --base-url "${{{{ steps.{pages["id"]}.outputs.base_url }}}}"'
    upload = next(s for s in build if uses(s) == "actions/upload-pages-artifact")
    # the artifact is the folder digest build writes (paths.output of the repo's config)
    assert (ROOT / upload["with"]["path"]).resolve() == load_config(ROOT).paths["output"]


def test_deploy_job_deploys_the_artifact(workflow: dict):
    job = workflow["jobs"]["deploy"]
    assert job["needs"] in ("build", ["build"])
    assert job["environment"]["name"] == "github-pages"
    step = next(s for s in job["steps"] if uses(s) == "actions/deploy-pages")
    assert job["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


def test_every_action_is_pinned_to_a_version(workflow: dict):
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+|[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"])


def test_build_step_runs_the_command_the_readme_documents(workflow: dict):
    section = readme_section(README.read_text(encoding="utf-8"), SECTION) if README.exists() else None
    if section is None:
        pytest.skip(f"README.md has no '{SECTION}' section yet")
    documented = [line for line in code_lines(section) if line.startswith("digest build --base-url")]
    assert documented, f"the '{SECTION}' section shows no `digest build --base-url …` command"
    run = next(s["run"].strip() for s in steps(workflow, "build") if s.get("run", "").startswith("digest build"))
    assert run in documented, f"workflow runs {run!r}, README shows {documented}"


def test_readme_helpers():
    text = "# t\n## A\nx\n```sh\ndigest build --base-url U\n```\n### sub\ny\n## B\nz\n"
    assert readme_section(text, "A") == "\nx\n```sh\ndigest build --base-url U\n```\n### sub\ny\n"
    assert code_lines(readme_section(text, "A")) == ["digest build --base-url U"]
    assert readme_section(text, "C") is None
