"""Reader sentences stay out of the package: they are written beside the chapters.

Counted by ``bench/prose.py``: string literals of six words or more in ``src/wavebook/``,
docstrings, error messages, warnings and command-line text aside (``cli.py``; ``demo.py``
writes data, not pages).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_WORDS = 300  # "a few hundred words" anywhere in src/wavebook (issue 10)


def _prose():
    spec = importlib.util.spec_from_file_location("prose", ROOT / "bench" / "prose.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_counter_finds_sentences_and_skips_what_is_not_reader_text(tmp_path):
    prose = _prose()
    module = tmp_path / "m.py"
    module.write_text(
        '"""A module docstring of more than six words long."""\n'
        "def f(x):\n"
        '    """A function docstring of more than six words."""\n'
        "    if x:\n"
        '        raise ValueError("an error message of more than six words")\n'
        '    short = "two words"\n'
        '    return f"In wave {x} most people said they trust others."\n'
    )
    found = prose.literals(module)
    assert [line for line, _ in found] == [7]  # the f-string, and only it


# literals that are looked up, never shown (each with its reason)
NOT_SHOWN = {
    ("topics/portrait.py", "does not trust the government at all"): "a key of the "
    "comparable_with column of data/benchmarks.csv, matched to pick the benchmark row",
}


def test_no_reader_sentences_in_topic_modules():
    prose = _prose()
    found = {
        name: [t for _, t in prose.literals(ROOT / "src" / "wavebook" / name)]
        for name in prose.count()
        if name.startswith("topics/")
    }
    left = {k: [t for t in v if (k, t) not in NOT_SHOWN] for k, v in found.items()}
    assert {k: v for k, v in left.items() if v} == {}


def test_at_most_a_few_hundred_words_in_the_package():
    words = sum(w for _, w in _prose().count().values())
    assert words <= MAX_WORDS, f"{words} words of reader prose in src/wavebook"
