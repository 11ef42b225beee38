"""The registry, the codebook, the demo generator, the CLI and the privacy scan."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wavebook.build import privacy_scan, toc_chapters
from wavebook.codebook import load_codebook
from wavebook.demo import make_demo
from wavebook.errors import ConfigError
from wavebook.waves import load_registry

ROOT = Path(__file__).resolve().parents[1]


def test_registry_and_codebook_load():
    registry = load_registry(ROOT / "data" / "waves.yml")
    assert [w.number for w in registry.waves] == [1, 2, 3] and registry.latest == 3
    codebook = load_codebook(ROOT / "data" / "codebook.yml")
    assert {v.name for v in codebook.required} == {
        "resp_id",
        "wave",
        "interview_date",
        "completion",
        "duration_min",
        "country_residence",
        "departure_date",
    }
    assert codebook["trust_general"].label(1, "ru") == "Большинству людей можно доверять"


def test_registry_errors_name_the_file(tmp_path):
    path = tmp_path / "waves.yml"
    path.write_text(
        "waves:\n  - number: 2\n    label: x\n    field_start: 2022-01-02\n"
        "    field_end: 2022-01-01\n    file: a.csv\n"
    )
    with pytest.raises(ConfigError, match=r"waves\.yml.*field_end is before field_start"):
        load_registry(path)
    with pytest.raises(ConfigError, match="not registered"):
        load_registry(ROOT / "data" / "waves.yml").get(9)


def test_indicator_keeps_hard_to_say_in_the_denominator():
    var = load_codebook(ROOT / "data" / "codebook.yml")["trust_general"]
    got = var.indicator(pd.Series([1, 0, 98, None]))
    assert got.tolist()[:3] == [1.0, 0.0, 0.0] and pd.isna(got.iloc[3])


def test_demo_is_deterministic_and_seeded():
    first, again, other = make_demo(seed=7), make_demo(seed=7), make_demo(seed=8)
    for wave in (1, 2, 3):
        pd.testing.assert_frame_equal(first[wave], again[wave])
    assert not first[1]["resp_id"].equals(other[1]["resp_id"])


def test_demo_scale_doubles_every_sample():
    from wavebook.clean import clean_waves
    from wavebook.samples import panel_ids

    resp = clean_waves(make_demo(scale=2)).resp
    assert resp["wave"].value_counts().sort_index().tolist() == [3360, 4352, 19310]
    assert len(panel_ids(resp, [1, 2, 3])) == 940


def test_toc_lists_the_chapters():
    from wavebook.paths import Project

    assert toc_chapters(Project(ROOT)) == [
        "methodology",
        "portrait",
        "mobilization",
        "economy",
        "legal_status",
        "discrimination",
        "trust",
        "activism",
        "replication",
        "codebook",
    ]


def test_privacy_scan_finds_identifiers(tmp_path):
    (tmp_path / "page.html").write_text("<td>R0000042</td> and more")
    (tmp_path / "clean.html").write_text("<td>R00000421</td>")
    assert privacy_scan([tmp_path], {"R0000042"}) == [f"{tmp_path / 'page.html'}: R0000042"]


def test_cli_usage_and_bad_input(wavebook_cli, tmp_path):
    assert wavebook_cli("build", "--wave", "9").returncode == 2
    assert "not registered" in wavebook_cli("build", "--wave", "9").stderr
    bad = tmp_path / "wave.csv"
    bad.write_text("resp_id,wave\nA,1\n")
    done = wavebook_cli("check", str(bad))
    assert done.returncode == 2
    assert "required column is missing" in done.stderr and "Traceback" not in done.stderr
    assert wavebook_cli("nonsense").returncode == 2


def test_cli_waves_and_check(wavebook_cli, demo_on_disk):
    listing = wavebook_cli("waves")
    assert listing.returncode == 0 and "present (synthetic)" in listing.stdout
    check = wavebook_cli("check", "--wave", "2")
    assert check.returncode == 0
    assert "duplicate answer pattern" in check.stdout


def test_no_citation_in_a_caption():
    """A ``{cite}`` in a figure or table caption breaks the PDF (a link inside LaTeX's
    ``\\caption``); cite in the prose next to the figure instead."""
    import re

    fence = re.compile(r"```\{glue:figure\}.*?```|:::\{table\}[^\n]*", re.S)
    for chapter in sorted((ROOT / "notebooks").glob("*.md")):
        for caption in fence.findall(chapter.read_text(encoding="utf-8")):
            assert "{cite" not in caption, f"{chapter.name}: citation in a caption"


def test_chapter_code_has_no_functions_loops_or_branches():
    """House style: a chapter's code cells only call helpers (checked on the parsed code)."""
    import ast
    import re

    cells = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.S)
    forbidden = (
        ast.FunctionDef,
        ast.Lambda,
        ast.For,
        ast.While,
        ast.If,
        ast.IfExp,
        ast.ListComp,
        ast.SetComp,
        ast.DictComp,
        ast.GeneratorExp,
        ast.Try,
    )
    for chapter in sorted((ROOT / "notebooks").glob("*.md")):
        for cell in cells.findall(chapter.read_text(encoding="utf-8")):
            code = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
            found = [
                type(node).__name__
                for node in ast.walk(ast.parse(code))
                if isinstance(node, forbidden)
            ]
            assert found == [], f"{chapter.name}: {found}"
