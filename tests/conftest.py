"""Shared fixtures: the project checkout, the demo waves, and built books (built once)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from wavebook.demo import make_demo
from wavebook.paths import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def demo_waves():
    """The demo waves as delivered (before cleaning), made in memory."""
    return make_demo()


def _wavebook(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("wavebook")
    return subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def wavebook_cli():
    return _wavebook


@pytest.fixture(scope="session")
def demo_on_disk(project: Project) -> Path:
    if not (project.demo_dir / "wave-3.parquet").is_file():
        done = _wavebook("demo")
        assert done.returncode == 0, done.stderr
    return project.demo_dir


@pytest.fixture(scope="session")
def built_wave3(project: Project, demo_on_disk: Path) -> Path:
    """``wavebook build --wave 3`` (HTML and PDF), run once per test session."""
    done = _wavebook("build", "--wave", "3")
    assert done.returncode == 0, done.stdout + done.stderr
    return project.wave_build(3)
