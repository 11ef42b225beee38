"""The preview and the incremental build's parts, without a book build (fast).

Nothing here is timed: bench/build_times.py measures the speed. These tests check what the
speed rests on: what counts as a change, what a chapter's cache key covers, that LaTeX and
the privacy scan skip unchanged inputs, that publishing never writes into a published copy,
and that a failed preview rebuild keeps the last good site.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from wavebook import build, charts, preview
from wavebook.cli import parser
from wavebook.errors import ChapterError
from wavebook.paths import Project


def _mini_project(tmp_path: Path) -> Project:
    root = tmp_path / "book"
    for folder in ("notebooks", "book", "data"):
        (root / folder).mkdir(parents=True)
    (root / "_config.yml").write_text("title: t\n")
    (root / "_toc.yml").write_text("root: book/intro\n")
    (root / "data" / "waves.yml").write_text("waves:\n  - number: 1\n  - number: 2\n")
    (root / "notebooks" / "a.md").write_text("# A\n\nSome prose.\n")
    (root / "book" / "intro.md").write_text("# Intro\n")
    return Project(root)


def test_inputs_digest_sees_content_not_times(tmp_path):
    project = _mini_project(tmp_path)
    first = build.inputs_digest(project, 2, "en", False)
    chapter = project.notebooks / "a.md"
    os.utime(chapter, (1, 1))  # touched, same bytes
    assert build.inputs_digest(project, 2, "en", False) == first
    chapter.write_text("# A\n\nSome other prose.\n")
    assert build.inputs_digest(project, 2, "en", False) != first
    # the edition, the wave and the PDF are part of what is built
    assert build.inputs_digest(project, 2, "en", True) != build.inputs_digest(
        project, 2, "en", False
    )
    assert build.inputs_digest(project, 2, "ru", False) != build.inputs_digest(
        project, 2, "en", False
    )
    (project.data / "extra.csv").write_text("x\n1\n")
    assert build.inputs_digest(project, 2, "en", False) != build.inputs_digest(
        project, 1, "en", False
    )


def test_unchanged_needs_the_published_outputs(tmp_path):
    out = tmp_path / "wave-2"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("x")
    (out / "estimates.csv").write_text("x")
    (out / "manifest.json").write_text("{}")
    assert not build.unchanged(out, "abc", pdf=False)  # never built from these inputs
    (out / build.INPUTS_FILE).write_text("abc\n")
    assert build.unchanged(out, "abc", pdf=False)
    assert not build.unchanged(out, "abd", pdf=False)
    assert not build.unchanged(out, "abc", pdf=True)  # no PDF published yet
    shutil.rmtree(out / "html")
    assert not build.unchanged(out, "abc", pdf=False)


def test_latest_wave_without_validating(tmp_path):
    assert build.latest_wave(_mini_project(tmp_path)) == 2


def test_chapter_cache_key_covers_the_modules_it_imports():
    """A chapter's key covers the wavebook modules its code imports, recursively, and the
    word files; not the build, the preview or the Sphinx extension (checked by reading the
    import statements of src/wavebook by hand: topics.trust imports report, which imports
    words, which imports codebook)."""
    modules = build.code_modules("from wavebook.topics import trust as topic\nimport pandas\n")
    assert {"wavebook", "wavebook.topics", "wavebook.topics.trust", "wavebook.report"} <= modules
    assert {"wavebook.words", "wavebook.codebook"} <= modules
    assert not {"wavebook.build", "wavebook.preview", "wavebook.sphinx_ext", "wavebook.cli"} & (
        modules
    )
    assert "wavebook.topics.economy" not in modules
    # an import inside a function counts; so does a relative import in a module
    assert "wavebook.stats" in build._wavebook_imports("def f():\n    from wavebook import stats\n")
    assert build._wavebook_imports("from . import stats", "wavebook.report") >= {"wavebook.stats"}
    # different imports, different keys; IPython magics fall back to the whole package
    assert build.code_hash("import wavebook.stats") != build.code_hash("import wavebook.tables")
    assert build.code_hash("%time import wavebook.stats") == build.package_hash()
    # chart words are in every key
    assert build.code_hash("import wavebook.stats") != build.code_hash(
        "import wavebook.stats", words=False
    )


def test_conversion_is_cached_by_content(tmp_path):
    project = _mini_project(tmp_path)
    chapter = project.notebooks / "a.md"
    first = build.read_chapter(project, chapter)
    cached = list((project.cache / "convert").glob("*.ipynb"))
    assert len(cached) == 1
    again = build.read_chapter(project, chapter)
    assert [c.source for c in again.cells] == [c.source for c in first.cells]
    chapter.write_text("# A\n\nNew prose.\n")
    assert "New prose." in build.read_chapter(project, chapter).cells[0].source
    assert len(list((project.cache / "convert").glob("*.ipynb"))) == 2


FAKE_LATEX_MAKEFILE = """\
all-pdf:
\techo run >> runs.txt
\tcp book.tex book.pdf
"""


def test_latex_runs_only_when_its_sources_change(tmp_path):
    latex = tmp_path / "latex"
    latex.mkdir()
    (latex / "Makefile").write_text(FAKE_LATEX_MAKEFILE)
    (latex / "book.tex").write_text("\\documentclass{book}\n")
    (latex / "chart.pdf").write_bytes(b"%PDF-1.4 a chart")
    assert build._latex_pdf(latex) == latex / "book.pdf"
    build._latex_pdf(latex)  # Sphinx wrote the same sources again: no LaTeX run
    assert (latex / "runs.txt").read_text().count("run") == 1
    (latex / "chart.pdf").write_bytes(b"%PDF-1.4 another chart")  # a figure counts
    build._latex_pdf(latex)
    (latex / "book.tex").write_text("\\documentclass{book}\n% new\n")
    build._latex_pdf(latex)
    assert (latex / "runs.txt").read_text().count("run") == 3
    (latex / "book.pdf").unlink()  # the PDF went: run again
    build._latex_pdf(latex)
    assert (latex / "runs.txt").read_text().count("run") == 4


def test_publish_links_unchanged_files_and_never_writes_into_a_published_copy(tmp_path):
    source = tmp_path / "stage"
    (source / "sub").mkdir(parents=True)
    (source / "page.html").write_text("one")
    (source / "sub" / "big.js").write_text("bundle")
    target = tmp_path / "site" / "html"
    build._publish(source, target)
    first = target / "sub" / "big.js"
    inode = first.stat().st_ino
    (source / "page.html").write_text("two")  # Sphinx rewrites a page in the stage
    build._publish(source, target)
    assert (target / "page.html").read_text() == "two"
    assert (target / "sub" / "big.js").stat().st_ino == inode  # linked, not copied
    (source / "page.html").write_text("three")
    held = (target / "page.html").read_text()
    assert held == "two"  # the stage is never linked into the site


def test_privacy_scan_rereads_only_changed_files(tmp_path):
    site = tmp_path / "html"
    site.mkdir()
    (site / "a.html").write_text("nothing here")
    (site / "b.html").write_text("nothing either")
    seen = tmp_path / "scanned.json"
    assert build.privacy_scan([site], {"R0001"}, seen=seen) == []
    (site / "b.html").write_text("leaked R0001 here")
    assert build.privacy_scan([site], {"R0001"}, seen=seen) == [f"{site / 'b.html'}: R0001"]
    # other identifiers: everything is read again
    (site / "b.html").write_text("nothing either")
    (site / "a.html").write_text("R0002")
    assert build.privacy_scan([site], {"R0001"}, seen=seen) == []
    assert build.privacy_scan([site], {"R0002"}, seen=seen) == [f"{site / 'a.html'}: R0002"]


def _chart_notebook() -> nbformat.NotebookNode:
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    figure = charts.Figure(alt.Chart(frame).mark_bar().encode(x="x", y="y"), frame, "fig-t")
    bundle = figure._repr_mimebundle_()
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("figure")
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    # a glued output: myst-nb's glue stores the types under a prefix
    glued = {f"application/papermill.record/{k}": v for k, v in bundle.items()}
    cell.outputs.append(nbformat.v4.new_output("display_data", data=glued))
    notebook.cells = [cell]
    return notebook


def test_charts_are_drawn_as_vector_pdf_only_for_the_pdf(tmp_path):
    project = _mini_project(tmp_path)
    html_only = _chart_notebook()
    build._chart_drawings(project, html_only, pdf=False)
    for output in html_only.cells[0].outputs:
        assert not [k for k in output.data if "pdf" in k or "vegalite" in k or "png" in k]
    assert list((project.cache / "charts").glob("*.pdf")) == []
    with_pdf = _chart_notebook()
    build._chart_drawings(project, with_pdf, pdf=True)
    first, glued = with_pdf.cells[0].outputs
    assert base64.b64decode(first.data["application/pdf"]).startswith(b"%PDF")
    assert (
        glued.data["application/papermill.record/application/pdf"] == first.data["application/pdf"]
    )
    assert len(list((project.cache / "charts").glob("*.pdf"))) == 1  # drawn once


def test_static_figures_offer_their_vector_drawing_only_to_the_pdf(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    project = _mini_project(tmp_path)
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    bundle = charts.StaticFigure(fig, pd.DataFrame({"x": [1]}), "static-t")._repr_mimebundle_()

    def notebook():
        cell = nbformat.v4.new_code_cell("figure")
        # as IPython puts it in a notebook: bytes in base64, types under glue's prefix
        glued = {
            f"application/papermill.record/{k}": (
                base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v
            )
            for k, v in bundle.items()
        }
        cell.outputs = [nbformat.v4.new_output("display_data", data=glued)]
        return nbformat.v4.new_notebook(cells=[cell])

    html_only = notebook()
    build._chart_drawings(project, html_only, pdf=False)
    assert not [k for k in html_only.cells[0].outputs[0].data if "pdf" in k]
    with_pdf = notebook()
    build._chart_drawings(project, with_pdf, pdf=True)
    data = with_pdf.cells[0].outputs[0].data
    drawing = base64.b64decode(data["application/papermill.record/application/pdf"])
    assert drawing.startswith(b"%PDF") and b"/Subtype /Image" not in drawing  # vector
    assert not [k for k in data if k.endswith(charts.DRAWING_PDF)]


def test_preview_command_line():
    args = parser().parse_args(["preview", "--wave", "2", "--lang", "ru", "--port", "8123"])
    assert (args.command, args.wave, args.lang, args.port) == ("preview", 2, "ru", 8123)
    assert parser().parse_args(["preview"]).port == 8000


def test_preview_watches_sources_templates_data_and_words(project):
    watched = preview.watched(project)
    for path in (project.notebooks, project.book, project.data, project.root / "src"):
        assert path in watched
    assert project.root / "_config.yml" in watched
    assert project.root / "_toc.yml" in watched
    words = next((project.root / "src" / "wavebook" / "words").glob("*.ftl"))
    assert any(words.is_relative_to(p) for p in watched if p.is_dir())
    assert preview._ignored("/x/notebooks/.#trust.md")
    assert preview._ignored("/x/src/wavebook/__pycache__/build.cpython-311.pyc")
    assert not preview._ignored("/x/notebooks/trust.md")


def test_failed_rebuild_keeps_the_last_good_site(project, monkeypatch, capsys):
    def failing(*args, **kwargs):
        raise ChapterError("jupyter-book build (html) failed:\nWARNING: unknown role 'sya'")

    monkeypatch.setattr(build, "build", failing)
    rebuild = preview.Rebuild(project, 3, "en", ["preview"])
    assert rebuild(changed_paths=[project.notebooks / "trust.md"]) is False  # no reload
    out = capsys.readouterr().out
    assert "changed: notebooks/trust.md" in out
    assert "still serving the last good build" in out and "unknown role 'sya'" in out


def test_preview_restarts_when_its_own_code_changes(project, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "execv", lambda exe, argv: calls.append(argv))
    monkeypatch.setattr(build, "build", lambda *a, **k: pytest.fail("must restart first"))
    rebuild = preview.Rebuild(project, 3, "en", ["preview", "--wave", "3"])
    rebuild(changed_paths=[Path(build.__file__)])
    assert calls == [[sys.executable, "-m", "wavebook.cli", "preview", "--wave", "3"]]
