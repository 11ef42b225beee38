"""The PDF book: contents, both chapters, Cyrillic text and the charts as images."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pdf(built_wave3):
    return built_wave3 / "pdf" / "wavebook-wave-3.pdf"


def test_pdf_text(pdf):
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CONTENTS" in text.upper()
    assert "How the survey was done" in text
    assert "Trust in other people" in text
    assert "Большинству людей можно доверять" in text
    assert "synthetic demonstration data" in text.lower()
    assert "nan" not in text.split() and "None" not in text.split()


def test_pdf_has_chart_images(pdf):
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = [line for line in listing if line.split()[2] == "image"]
    assert len(images) >= 3  # waves chart, trust chart, age chart
