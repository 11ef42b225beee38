"""Formatting, direction words and the glue traps (NumPy scalars, literal_eval of text)."""

from __future__ import annotations

import math

import numpy as np
from myst_nb.core.variables import format_plain_text

from wavebook import report as wr


def test_percent_and_points():
    assert wr.pct(45.5) == "46%" or wr.pct(45.5) == "45%"  # banker's rounding is allowed
    assert wr.pct(45.6) == "46%"
    assert wr.pct(math.nan) == "—"
    assert wr.pp(0.2) == "±0 pp"
    assert wr.count(np.int64(10871)) == "10,871"


def test_glued_text_survives_myst_nb_literal_eval():
    """myst-nb's {glue:text} literal_evals text/plain: "8,901" would become "(8, 901)"."""
    assert format_plain_text("8,901", "") == "(8, 901)"  # the trap, as myst-nb has it
    text = wr.Text("8,901")
    assert text._repr_markdown_() == "8,901"  # chapters paste with {glue:md}


def test_glue_converts_numpy_scalars(monkeypatch):
    seen = {}
    monkeypatch.setattr("myst_nb.glue", lambda key, value, display: seen.update({key: value}))
    wr.glue("n", np.float64(3.5))
    wr.glue("label", "46%")
    assert type(seen["n"]) is float
    assert isinstance(seen["label"], wr.Text) and repr(seen["label"]) == "46%"


def test_interval_with_negative_bounds():
    # hand check: -8.4 and -1.6 round to -8 and -2; a bound that would round to 0 without
    # being 0 keeps one decimal (-0.06 -> -0.1), and -0.04 -> 0.0, never "-0"
    assert wr.interval(-8.4, -1.6, unit=" pp") == "95% CI −8 to −2 pp"
    assert wr.interval(-3.2, 4.9, unit=" pp") == "95% CI −3 to 5 pp"
    assert wr.interval(-0.06, 5.26, unit=" pp") == "95% CI −0.1 to 5.3 pp"
    assert wr.interval(-0.04, 5.26, unit=" pp") == "95% CI 0.0–5.3 pp"
    assert wr.interval(0.0, 4.2) == "95% CI 0–4%"  # an exact 0 is a whole number
    assert wr.interval(41.2, 50.9) == "95% CI 41–51%"
