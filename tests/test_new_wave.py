"""The README's "How to add a wave", followed literally with the demo's fourth wave.

In a copy of the project (tracked files and the demo's waves 1-3, no build): ``wavebook demo
--new-wave``, the printed entry appended to ``data/waves.yml`` and nothing else edited,
``wavebook check --wave 4``, ``wavebook build --wave 4`` (HTML and PDF). Then every chapter
ran and has a page, ``estimates.csv`` counts wave 4 as the cleaning rules do on the delivered
CSV, and no page says that wave 4 did not ask a question its file answers.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml

from wavebook import demo
from wavebook.build import toc_chapters
from wavebook.clean import clean_waves
from wavebook.codebook import load_codebook
from wavebook.paths import Project

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
WAVE = demo.NEW_WAVE
# Not part of a fresh checkout: builds, environments, caches and data that git ignores.
LEFT_OUT = {"_build", ".venv", ".git", ".cache", "data/demo", "data/raw"}
LEFT_OUT_NAMES = shutil.ignore_patterns("__pycache__", ".pytest_cache", ".ruff_cache", "*.ipynb")
# How pages say that a question was not asked (grep notebooks/ and src/wavebook/topics/).
NOT_ASKED = re.compile(r"\b(?:not asked|did not ask|never asked|was not put)\b", re.I)
ABOUT_THE_WAVE = re.compile(rf"\bwave {WAVE}\b|\bthis wave\b", re.I)
FIRST_ASKED = re.compile(r"\bfirst asked in wave (\d+)", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“*(])")


# The steps run below, as the README gives them ("Try it with the demo's fourth wave").
RECIPE = [["demo", "--new-wave"], ["check", "--wave", str(WAVE)], ["build", "--wave", str(WAVE)]]


@dataclass
class Copy:
    root: Path
    env: dict[str, str]

    def wavebook(self, *args: str) -> subprocess.CompletedProcess:
        """The installed command line, run as a user would in the copy."""
        exe = Path(sys.executable).with_name("wavebook")
        return subprocess.run(
            [str(exe), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=1200,
        )


def _ignore(source: Path):
    def ignore(folder: str, names: list[str]) -> set[str]:
        here = Path(folder).relative_to(source)
        skipped = {n for n in names if (here / n).as_posix() in LEFT_OUT}
        return skipped | set(LEFT_OUT_NAMES(folder, names))

    return ignore


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def copy(tmp_path_factory, demo_on_disk: Path) -> Copy:
    root = tmp_path_factory.mktemp("newwave") / "wavebook"
    shutil.copytree(ROOT, root, ignore=_ignore(ROOT))
    (root / "data" / "demo").mkdir()
    for wave in (1, 2, 3):
        shutil.copy2(demo_on_disk / f"wave-{wave}.parquet", root / "data" / "demo")
    vendor = ROOT / ".cache" / "vendor"
    if vendor.is_dir():  # MathJax, fetched once by `make` (a build would need the network)
        (root / ".cache").mkdir()
        (root / ".cache" / "vendor").symlink_to(vendor)
    env = {**os.environ, "WAVEBOOK_ROOT": str(root)}
    return Copy(root, env)


@dataclass
class Steps:
    before: dict[str, str]
    demo: subprocess.CompletedProcess
    entry: str
    check: subprocess.CompletedProcess
    build: subprocess.CompletedProcess


@pytest.fixture(scope="module")
def steps(copy: Copy) -> Steps:
    """The recipe, step by step; each test below looks at one outcome."""
    data = copy.root / "data"
    before = {p.name: _sha256(p) for p in sorted((data / "demo").glob("wave-*.parquet"))}
    made = copy.wavebook(*RECIPE[0])
    assert made.returncode == 0, made.stdout + made.stderr
    # the entry is what follows the last blank line of the output
    entry = made.stdout.rstrip("\n").split("\n\n")[-1] + "\n"
    registry = data / "waves.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + entry, encoding="utf-8")
    check = copy.wavebook(*RECIPE[1])
    build = copy.wavebook(*RECIPE[2]) if check.returncode == 0 else check
    return Steps(before, made, entry, check, build)


@pytest.fixture(scope="module")
def built(copy: Copy, steps: Steps) -> Path:
    assert steps.check.returncode == 0, steps.check.stdout + steps.check.stderr
    assert steps.build.returncode == 0, "the build failed (see test_build_succeeds)"
    return copy.root / "_build" / f"wave-{WAVE}"


@pytest.fixture(scope="module")
def delivered(copy: Copy) -> dict[int, pd.DataFrame]:
    """The four waves read without wavebook's reader: waves 1-3 as parquet, wave 4 from its
    CSV with only empty fields missing (so Namibia's ``NA`` stays a country code)."""
    folder = copy.root / "data" / "demo"
    waves = {w: pd.read_parquet(folder / f"wave-{w}.parquet") for w in (1, 2, 3)}
    waves[WAVE] = pd.read_csv(
        folder / f"wave-{WAVE}.csv",
        keep_default_na=False,
        na_values=[""],
        dtype={"resp_id": str, "country_residence": str},
        parse_dates=["interview_date", "departure_date"],
    )
    return waves


@pytest.fixture(scope="module")
def eligible(delivered) -> pd.DataFrame:
    return clean_waves(delivered).resp


def test_readme_gives_these_steps():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## How to add a wave\n", 1)[1].split("\n## ", 1)[0]
    try_it = section[section.index("Try it with the demo's fourth wave") :]
    commands = [c.split() for c in re.findall(r"`wavebook ([^`]+)`", try_it)]
    order = [commands.index(step) for step in RECIPE]  # every step is given ...
    assert order == sorted(order)  # ... in this order
    assert "paste the printed entry at the end of `data/waves.yml`" in " ".join(try_it.split())


def test_demo_prints_the_entry_and_keeps_waves_1_to_3(copy: Copy, steps: Steps):
    assert yaml.safe_load(steps.entry) == [
        {
            "number": WAVE,
            "label": demo.NEW_LABEL,
            "field_start": pd.Timestamp(demo.NEW_FIELD[0]).date(),
            "field_end": pd.Timestamp(demo.NEW_FIELD[1]).date(),
            "file": f"demo/wave-{WAVE}.csv",
            "synthetic": True,
        }
    ]
    folder = copy.root / "data" / "demo"
    assert {p.name: _sha256(p) for p in sorted(folder.glob("wave-*.parquet"))} == steps.before
    assert (folder / f"wave-{WAVE}.csv").is_file()


def test_check_passes(steps: Steps):
    assert steps.check.returncode == 0, steps.check.stdout + steps.check.stderr
    assert f"wave {WAVE}:" in steps.check.stdout


def test_build_succeeds(steps: Steps):
    assert steps.build.returncode == 0, steps.build.stdout[-3000:] + steps.build.stderr[-3000:]


def test_every_chapter_ran_and_has_a_page(built: Path, copy: Copy):
    chapters = toc_chapters(Project(copy.root))
    manifest = json.loads((built / "manifest.json").read_text())
    assert [c["chapter"] for c in manifest["chapters"]] == chapters
    assert manifest["wave"] == WAVE
    assert set(manifest["data"]["files"]) == {"1", "2", "3", str(WAVE)}
    for slug in chapters:
        page = built / "html" / "notebooks" / f"{slug}.html"
        assert page.is_file(), slug
        assert f"Wave {WAVE} (spring 2024)" in page.read_text(encoding="utf-8"), slug


def test_pdf_exists(built: Path):
    pdf = built / "pdf" / f"wavebook-wave-{WAVE}.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 100_000


def test_estimates_count_wave_4_as_the_cleaning_rules_do(built: Path, eligible: pd.DataFrame):
    est = pd.read_csv(built / "estimates.csv", keep_default_na=False, na_values=[""])
    counts = est[est["statistic"] == "count"].set_index("key")["value"]
    # independent: the cleaning rules on the CSV as delivered (read above without wavebook.io)
    wave3 = set(eligible.loc[eligible["wave"] == 3, "resp_id"])
    wave4 = set(eligible.loc[eligible["wave"] == WAVE, "resp_id"])
    assert counts[f"n_combined_w{WAVE}"] == len(wave4)
    assert counts[f"n_panel_3_{WAVE}"] == len(wave3 & wave4)
    # and as the generator was designed: half of wave 3 again, plus the entrants
    assert len(wave3 & wave4) == round(demo.RETAINED * len(wave3))
    assert len(wave4 - wave3) == demo.ENTRANTS
    # a share and a panel change of wave 4, by hand: code 1 among answers ("hard to say"
    # counts in the denominator), and among respondents who answered in both waves
    trust = est[est["construct"] == "trust_general"]
    answers = eligible.set_index(["wave", "resp_id"])["trust_general"]
    now = answers.loc[WAVE]
    share = trust[(trust["statistic"] == "share") & (trust["sample"] == f"combined_w{WAVE}")]
    assert (share["value"] - 100 * (now.dropna() == 1).mean()).abs().min() < 1e-3
    both = pd.concat([answers.loc[3], now], axis=1, join="inner").dropna()
    change = trust[(trust["statistic"] == "change_pp") & (trust["sample"] == f"panel_3_{WAVE}")]
    by_hand = 100 * ((both.iloc[:, 1] == 1).mean() - (both.iloc[:, 0] == 1).mean())
    assert by_hand > 2  # the generator moves this share up by a few points
    assert (change["value"] - by_hand).abs().min() < 1e-3


def _pages(built: Path) -> dict[str, str]:
    """The text a reader sees on each page, and in the PDF."""
    pages = {}
    site = built / "html"
    for page in sorted(site.glob("**/*.html")):
        path = page.relative_to(site)
        if path.parts[0].startswith("_") or path.name in {"genindex.html", "search.html"}:
            continue
        raw = page.read_text(encoding="utf-8")
        raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
        text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
        pages[path.as_posix()] = " ".join(text.split())
    pdf = built / "pdf" / f"wavebook-wave-{WAVE}.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages[pdf.name] = " ".join(text.replace("-\n", "").split())
    return pages


def _named(sentence: str, labels: dict[str, str]) -> set[str]:
    """The codebook variables whose English label the sentence quotes."""
    return {
        name
        for name, label in labels.items()
        if re.search(rf"\b{re.escape(label)}\b", sentence, re.I)
    }


def test_no_page_says_wave_4_did_not_ask_what_it_asked(built: Path, copy: Copy, delivered):
    """A sentence saying that wave 4 (or "this wave") did not ask something must name only
    questions the wave-4 file does not answer; one that names none is wrong, since wave 4
    asks everything wave 3 asked and the wave-3 edition says of nothing that wave 3 did not
    ask it. "First asked in wave K" must be the first wave whose file answers it."""
    codebook = load_codebook(copy.root / "data" / "codebook.yml")
    labels = {v.name: v.label_en for v in codebook.variables if not v.derived}
    answered = {
        wave: {c for c in frame.columns if frame[c].notna().any()}
        for wave, frame in delivered.items()
    }
    assert answered[WAVE] == answered[3]  # the premise of the generic rule above
    first = {name: min(w for w in answered if name in answered[w]) for name in answered[WAVE]}
    wrong = []
    for page, text in _pages(built).items():
        for sentence in SENTENCE_END.split(text):
            names = _named(sentence, labels)
            about = NOT_ASKED.search(sentence) and ABOUT_THE_WAVE.search(sentence)
            if about and (not names or names & answered[WAVE]):
                wrong.append(f"{page}: {sentence[:300]}")
            for said in FIRST_ASKED.findall(sentence):
                truth = {first[n] for n in names if n in first} or set(first.values())
                if int(said) not in truth:
                    wrong.append(f"{page}: {sentence[:300]}")
    assert not wrong, "\n".join(wrong)


def test_codebook_appendix_shows_wave_4_from_the_data(built: Path, delivered):
    page = (built / "html" / "notebooks" / "codebook.html").read_text(encoding="utf-8")
    table = re.search(r'<table[^>]*id="tbl-codebook-variables".*?</table>', page, re.S)
    assert table, "the codebook appendix has no variables table"
    rows = [
        [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
            for row in re.findall(r"<tr\b.*?</tr>", table.group(0), re.S)
        )
    ]
    column = rows[0].index(f"W{WAVE}")
    ticked = {row[0].split(" ")[0] for row in rows[1:] if row[column]}
    wave4 = delivered[WAVE]
    assert {c for c in wave4.columns if wave4[c].notna().any()} <= ticked
