"""End to end: the book builds for waves 3, 2 and 1; outputs, manifest, cache and failures."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from wavebook import estimates
from wavebook.build import _merge_outputs, _strip_volatile, read_chapter, toc_chapters
from wavebook.errors import ConfigError
from wavebook.paths import Project

pytestmark = pytest.mark.slow


def test_wave3_outputs(built_wave3):
    html = built_wave3 / "html"
    assert (html / "index.html").is_file()
    for slug in ("methodology", "trust"):
        assert (html / "notebooks" / f"{slug}.html").is_file()
    assert not (html / "_sources").exists(), "executed notebooks must not be published"
    assert (html / "_vendor" / "vega" / "vega-bundle.js").is_file()
    assert (html / "_vendor" / "mathjax" / "tex-chtml.js").is_file()
    assert (html / "estimates.csv").is_file()
    pdfs = list((built_wave3 / "pdf").glob("*.pdf"))
    assert [p.name for p in pdfs] == ["wavebook-wave-3.pdf"]


def test_pages_say_the_data_are_synthetic(built_wave3):
    html = built_wave3 / "html"
    assert "book/intro.html" in (html / "index.html").read_text()  # a redirect
    pages = [
        html / "book" / "intro.html",
        html / "book" / "how_to_read.html",
        *(html / "notebooks").glob("*.html"),
    ]
    for page in pages:
        assert "Synthetic demonstration data" in page.read_text(encoding="utf-8"), page


def test_no_parameters_or_code_on_pages(built_wave3):
    text = (built_wave3 / "html" / "notebooks" / "trust.html").read_text(encoding="utf-8")
    assert "data_dir" not in text and "injected-parameters" not in text
    assert "open_chapter" not in text


def test_manifest(built_wave3, project):
    manifest = json.loads((built_wave3 / "manifest.json").read_text())
    assert manifest["wave"] == 3
    assert set(manifest["data"]["files"]) == {"1", "2", "3"}
    for info in manifest["data"]["files"].values():
        assert len(info["sha256"]) == 64
    assert manifest["versions"]["jupyter-book"].startswith("1.")
    assert {c["chapter"] for c in manifest["chapters"]} == set(toc_chapters(project))
    assert {"execute", "html", "pdf", "checks"} <= set(manifest["timings_s"])


def test_estimates_csv(built_wave3):
    est = pd.read_csv(built_wave3 / "estimates.csv", dtype={"wave": "string"})
    assert list(est.columns) == estimates.COLUMNS
    assert not est.duplicated(["chapter", "key"]).any()
    shares = est[(est["statistic"] == "share") & ~est["suppressed"]]
    assert shares["value"].notna().all()
    assert ((shares["ci_low"] <= shares["value"]) & (shares["value"] <= shares["ci_high"])).all()
    # the headline numbers are there, with their n
    keys = set(est["key"])
    assert {
        "trust_general_share_w3_combined",
        "trust_general_change_2_3_panel_2_3",
        "n_combined_w3",
        "n_panel_1_2_3",
    } <= keys
    sizes = est.set_index("key")["value"]
    assert sizes["n_combined_w3"] == 9655 and sizes["n_panel_1_2_3"] == 470


def test_estimates_csv_says_what_each_share_counts(built_wave3):
    """Every share, transition share, change and difference names the answers it counts;
    counts, means and p-values name none. The portrait's two shares of trust in the
    president in combined_w3 are told apart by their answers (codebook.yml: 1 = does not
    deserve trust at all; cut 3)."""
    est = pd.read_csv(
        built_wave3 / "estimates.csv", dtype={"wave": "string"}, keep_default_na=False
    )
    counted = est["statistic"].isin(["share", "transition_share", "change_pp", "diff_pp"])
    assert (est.loc[counted, "answers"] != "").all()
    assert (est.loc[~counted, "answers"] == "").all()
    president = est[
        (est["construct"] == "trust_ru_president")
        & (est["statistic"] == "share")
        & (est["sample"] == "combined_w3")
    ].set_index("key")["answers"]
    assert president.to_dict() == {
        "trust_ru_president_none_share_w3_combined": "1",
        "trust_ru_president_share_w3_combined": "3",
        "replication_yh_trust_pres_yes": "3",  # the report's "trusts the president"
    }


def test_rebuild_is_cached_and_byte_identical(built_wave3, wavebook_cli):
    before = (built_wave3 / "estimates.csv").read_bytes()
    done = wavebook_cli("build", "--wave", "3", "--no-pdf")
    assert done.returncode == 0, done.stderr
    manifest = json.loads((built_wave3 / "manifest.json").read_text())
    assert all(c["cached"] for c in manifest["chapters"])
    assert (built_wave3 / "estimates.csv").read_bytes() == before


def test_nothing_changed_runs_nothing_not_even_latex(built_wave3, wavebook_cli):
    latex_pdf = built_wave3 / ".stage" / "_build" / "latex" / "book.pdf"
    assert wavebook_cli("build", "--wave", "3").returncode == 0
    stamp = latex_pdf.stat().st_mtime_ns
    again = wavebook_cli("build", "--wave", "3")
    assert again.returncode == 0, again.stderr
    assert "nothing changed" in again.stdout
    assert latex_pdf.stat().st_mtime_ns == stamp
    # an HTML-only build in between changes no LaTeX source: the next PDF build runs no LaTeX
    assert wavebook_cli("build", "--wave", "3", "--no-pdf").returncode == 0
    done = wavebook_cli("build", "--wave", "3")
    assert done.returncode == 0 and "nothing changed" not in done.stdout
    assert latex_pdf.stat().st_mtime_ns == stamp


def test_wave2_book_has_its_own_numbers(project, demo_on_disk, wavebook_cli, built_wave3):
    done = wavebook_cli("build", "--wave", "2", "--no-pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    out = project.wave_build(2)
    est = pd.read_csv(out / "estimates.csv").set_index("key")
    assert "trust_general_share_w3_combined" not in est.index
    assert "trust_general_change_1_2_panel_1_2" in est.index
    assert est.loc["n_panel_1_2", "value"] == 611
    page = (out / "html" / "notebooks" / "trust.html").read_text(encoding="utf-8")
    assert "wave 1 and wave 2" in page
    assert "Wave 2 (late summer 2022)" in (out / "html" / "book" / "intro.html").read_text()


def test_cache_merges_fresh_prose_with_cached_outputs():
    code = nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})
    done = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("old prose"),
            code,
            nbformat.v4.new_code_cell("wave = 3", metadata={"tags": ["injected-parameters"]}),
            nbformat.v4.new_code_cell(
                "print(1)", outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")]
            ),
        ]
    )
    _strip_volatile(done)
    fresh = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("new prose"),
            nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("print(1)"),
        ]
    )
    _merge_outputs(fresh, done)
    assert [c.source for c in fresh.cells] == ["new prose", "x = 1", "wave = 3", "print(1)"]
    assert fresh.cells[3].outputs[0]["text"] == "1\n"
    assert "remove-cell" in fresh.cells[2].metadata["tags"]
    assert "remove-cell" in fresh.cells[1].metadata["tags"]


def test_failing_chapter_exits_1_and_publishes_nothing(project, demo_on_disk, tmp_path):
    """A broken chapter: exit code 1, its name in the message, no site written."""
    root = tmp_path / "book"
    shutil.copytree(
        project.root,
        root,
        ignore=shutil.ignore_patterns("_build", ".venv", ".git", "demo", ".cache", "__pycache__"),
    )
    (root / "data" / "demo").symlink_to(project.demo_dir)
    (root / ".cache").symlink_to(project.root / ".cache")
    broken = root / "notebooks" / "trust.md"
    broken.write_text(
        broken.read_text().replace(
            'trust = ctx.codebook["trust_general"]', 'trust = ctx.codebook["no_such_variable"]'
        )
    )
    exe = Path(sys.executable).with_name("wavebook")
    done = subprocess.run(
        [str(exe), "build", "--wave", "2", "--no-pdf"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "chapter 'trust' failed" in done.stderr
    assert "no_such_variable" in done.stderr
    assert not (root / "_build" / "wave-2" / "html").exists()


# --- every chapter, every wave: pages a reader can read -------------------------------------
_RAW = re.compile(r"\{glue:?|\bnan\b|\bNaN\b|\bNone\b|<NA>")


def _reader_text(page: Path) -> str:
    """The visible text of a page: scripts, styles and the chart specs left out."""
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def _assert_pages_clean(html_dir: Path, slugs: list[str]) -> None:
    for slug in slugs:
        page = html_dir / "notebooks" / f"{slug}.html"
        assert page.is_file(), page
        found = sorted(set(_RAW.findall(_reader_text(page))))
        assert found == [], f"{slug}: raw values on the page: {found}"


def test_wave3_pages_have_no_raw_values(built_wave3, project):
    _assert_pages_clean(built_wave3 / "html", toc_chapters(project))


def test_wave1_book_builds_with_every_chapter(project, demo_on_disk, wavebook_cli, built_wave3):
    """Wave 1 has no panel and lacks the later waves' questions: every chapter still builds,
    with its notes instead of errors."""
    done = wavebook_cli("build", "--wave", "1")  # with the PDF: empty tables once broke LaTeX
    assert done.returncode == 0, done.stdout + done.stderr
    out = project.wave_build(1)
    assert (out / "pdf" / "wavebook-wave-1.pdf").is_file()
    _assert_pages_clean(out / "html", toc_chapters(project))
    est = pd.read_csv(out / "estimates.csv", dtype={"wave": "string"})
    assert not est["wave"].str.contains("[23]").any(), "a wave-1 book shows later waves"
    assert est.set_index("key").loc["n_combined_w1", "value"] == 1680


def test_pages_offer_no_source_download(built_wave3, project):
    """The theme's download menu links into _sources/, which is not published."""
    for slug in toc_chapters(project):
        text = (built_wave3 / "html" / "notebooks" / f"{slug}.html").read_text(encoding="utf-8")
        assert "_sources" not in text and "btn-download" not in text, slug


# --- the Russian edition ---------------------------------------------------------------------
@pytest.mark.slow
def test_russian_edition_of_wave1(project, demo_on_disk, wavebook_cli):
    """``build --lang ru``: the pages of _toc.ru.yml only, in Russian (banner, title, PDF with
    Cyrillic text), each linked to its English twin, the same estimates.csv as the English
    edition, and the English site untouched."""
    english = project.wave_build(1)
    done = wavebook_cli("build", "--wave", "1", "--no-pdf")  # chapters cached: render only
    assert done.returncode == 0, done.stderr
    before = (english / "html" / "book" / "intro.html").read_bytes()
    done = wavebook_cli("build", "--wave", "1", "--lang", "ru")
    assert done.returncode == 0, done.stdout + done.stderr
    ru = english / "ru"
    pages = sorted(p.relative_to(ru / "html").as_posix() for p in (ru / "html").glob("*/*.html"))
    assert [p for p in pages if not p.startswith("_")] == [
        "book/how_to_read.html",
        "book/intro.html",
        "book/references.html",
        "notebooks/economy.html",
        "notebooks/trust.html",
    ]
    intro = _reader_text(ru / "html" / "book" / "intro.html")
    assert "Синтетические демонстрационные данные" in intro
    assert "Об этой книге" in intro and "Волна 1" in intro
    page = (ru / "html" / "book" / "how_to_read.html").read_text(encoding="utf-8")
    assert 'href="../../../html/book/how_to_read.html" hreflang="en"' in page
    assert (english / "html" / "book" / "intro.html").read_bytes() == before
    assert 'hreflang="ru"' in before.decode("utf-8")
    assert (ru / "estimates.csv").read_bytes() == (english / "estimates.csv").read_bytes()
    pdf = ru / "pdf" / "wavebook-wave-1-ru.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "синтетические демонстрационные данные" in " ".join(text.split())
    assert "Как читать цифры" in text


def test_a_chapter_with_bad_cell_options_is_named(tmp_path):
    """A code cell whose options are not YAML: the error names the file, the cell and its line
    (myst-nb's reader), and nothing is cached."""
    chapter = tmp_path / "broken.md"
    chapter.write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\n---\n\n# Title\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell\nx = 1\n```\n",
        encoding="utf-8",
    )

    class Scratch(Project):
        @property
        def build_root(self) -> Path:
            return tmp_path / "_build"

    with pytest.raises(ConfigError) as raised:
        read_chapter(Scratch(tmp_path), chapter)
    message = str(raised.value)
    assert str(chapter) in message and "line 9" in message and "YAML" in message
    assert not list((tmp_path / "_build").rglob("*.ipynb"))
