"""The PDF book: contents, every chapter, Cyrillic text, vector charts, no blank pages."""

from __future__ import annotations

import re
import subprocess

import pytest

from wavebook.build import toc_chapters

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf(built_wave3):
    return built_wave3 / "pdf" / "wavebook-wave-3.pdf"


def _title(path) -> str:
    return re.search(r"^# (.+)$", path.read_text(encoding="utf-8"), re.M).group(1)


def test_pdf_text(pdf, project):
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split()).upper()  # chapter titles are set in capitals on their page
    assert "CONTENTS" in flat
    for slug in toc_chapters(project):
        assert _title(project.notebooks / f"{slug}.md").upper() in flat, slug
    assert "Большинству людей можно доверять" in text
    assert "synthetic demonstration data" in text.lower()
    assert "nan" not in text.split() and "None" not in text.split()


def test_pdf_has_vector_charts_and_no_blank_pages(pdf, project):
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Vega-Lite charts are drawn at PDF time as vector graphics: their legends are text
    assert "All respondents of each wave" in text
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = [line for line in listing if line.split()[2] == "image"]
    # static (matplotlib) figures offer their own PDF drawing: no chart is a raster image
    assert images == []
    # one-sided, chapters open on any page: no blank page between chapters
    pages = text.split("\f")[:-1]
    blank = [number for number, page in enumerate(pages, 1) if not page.strip()]
    assert blank == []
