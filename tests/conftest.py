"""Shared fixtures: the project checkout, the demo waves, and built books (built once)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from wavebook.clean import clean_waves
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


@pytest.fixture(scope="session")
def cleaned_demo(demo_waves) -> pd.DataFrame:
    """Demo waves 1-3 cleaned: the long respondent table a wave-3 chapter gets (``ctx.resp``)."""
    return clean_waves(demo_waves).resp


def _wave4_rows(cleaned_demo: pd.DataFrame) -> pd.DataFrame:
    """A synthetic wave 4 made from the cleaned wave 3: every second wave-3 respondent again,
    interviewed a year later, and 500 new respondents (copies of other wave-3 rows under new
    ids). Every column wave 3 answered is answered again."""
    wave3 = cleaned_demo[cleaned_demo["wave"] == 3]
    again = wave3.iloc[::2]
    new = wave3.iloc[1::2].head(500)
    new = new.assign(resp_id=[f"W4N{i:05d}" for i in range(len(new))])
    rows = pd.concat([again, new], ignore_index=True)
    rows = rows.assign(wave=4, interview_date=rows["interview_date"] + pd.DateOffset(years=1))
    # some answers move, so panel tests between waves 3 and 4 have pairs that differ
    every3, every4 = rows.index % 3 == 0, rows.index % 4 == 0
    step = rows["income_cat"]
    rows.loc[every3, "income_cat"] = step[every3].where(~step[every3].between(1, 5), step + 1)
    rows.loc[every4, "discr_any"] = 1.0 - rows.loc[every4, "discr_any"]
    return rows


@pytest.fixture(scope="session")
def wave4_resp(cleaned_demo: pd.DataFrame) -> pd.DataFrame:
    """Demo waves 1-3 and the synthetic wave 4 of :func:`wave4_rows` (``ctx.resp`` of a
    wave-4 edition). The codebook's ``waves`` lists name only waves 1-3."""
    return pd.concat([cleaned_demo, _wave4_rows(cleaned_demo)], ignore_index=True)


def _without_answers(resp: pd.DataFrame, columns: list[str], wave: int) -> pd.DataFrame:
    out = resp.copy()
    out.loc[out["wave"] == wave, columns] = float("nan")
    return out


@pytest.fixture(scope="session")
def without_answers():
    """``without_answers(resp, columns, wave)``: ``resp`` with the answers of ``columns`` at
    ``wave`` removed (a wave that dropped those questions)."""
    return _without_answers


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
