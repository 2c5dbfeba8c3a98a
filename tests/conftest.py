"""Shared fixtures: a copy of the hand-written fixture digest, built at / and under /repo/."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import Builder, NullReporter
from generator.config import load_config

FIXTURE = Path(__file__).parent / "fixtures" / "digest"


def copy_fixture(dest: Path) -> Path:
    shutil.copytree(FIXTURE, dest)
    return dest


def build(root: Path, **overrides):
    config = load_config(root, overrides)
    result = Builder(config, reporter=NullReporter()).build()
    return config, result


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh, writable copy of the fixture project (digest.yaml + content/)."""
    return copy_fixture(tmp_path / "project")


@pytest.fixture(scope="session")
def built_root(tmp_path_factory):
    """The fixture digest built once at the domain root; (config, result). Read-only."""
    root = copy_fixture(tmp_path_factory.mktemp("root") / "project")
    return build(root)


@pytest.fixture(scope="session")
def built_prefix(tmp_path_factory):
    """The fixture digest built under a path prefix (https://example.org/repo/)."""
    root = copy_fixture(tmp_path_factory.mktemp("prefix") / "project")
    return build(root, base_url="https://example.org/repo/")
