"""Formatting, direction words and the glue traps (NumPy scalars, literal_eval of text)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from myst_nb.core.variables import format_plain_text

from wavebook import report as wr
from wavebook.estimates import record


def test_percent_and_points():
    assert wr.pct(45.5) == "46%" or wr.pct(45.5) == "45%"  # banker's rounding is allowed
    assert wr.pct(45.6) == "46%"
    assert wr.pct(math.nan) == "—"
    assert wr.pp(0.2) == "±0 pp"
    assert wr.count(np.int64(10871)) == "10,871"


def test_direction_words_follow_the_test():
    assert wr.change_words(46, 61, 0.001) == "rose from 46% to 61%"
    assert wr.change_words(61, 46, 0.001) == "fell from 61% to 46%"
    assert wr.change_words(23, 20, 0.06) == "did not change significantly (23% and 20%)"
    # significant but equal once rounded: no direction word
    assert wr.change_words(50.1, 50.3, 0.01).startswith("did not change")
    assert wr.change_words(math.nan, 50, 0.01) == "could not be compared"


def test_share_text_withheld():
    row = record(
        chapter="c",
        key="k",
        construct="x",
        statistic="share",
        wave=1,
        sample="s",
        value=50.0,
        ci_low=40.0,
        ci_high=60.0,
        n=12,
    )
    assert row["suppressed"] and math.isnan(row["value"])
    assert wr.share_text(row).startswith("— (withheld")


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


def _records(change_p: float, n: int = 611) -> pd.DataFrame:
    rows = [
        record(
            chapter="t",
            key="a",
            construct="x",
            statistic="share",
            wave=1,
            sample="panel_1_2",
            value=46.0,
            ci_low=42.0,
            ci_high=50.0,
            n=n,
        ),
        record(
            chapter="t",
            key="b",
            construct="x",
            statistic="share",
            wave=2,
            sample="panel_1_2",
            value=61.0,
            ci_low=57.0,
            ci_high=65.0,
            n=n,
        ),
        record(
            chapter="t",
            key="c",
            construct="x",
            statistic="change_pp",
            wave="1->2",
            sample="panel_1_2",
            value=15.0,
            ci_low=10.0,
            ci_high=20.0,
            n=n,
            p_value=change_p,
        ),
    ]
    return pd.DataFrame(rows)


def test_panel_sentence():
    text = wr.panel_sentence(_records(0.0001), "trust")
    assert text.startswith(
        "Among the 611 respondents who answered both wave 1 and wave 2, trust rose from 46% to 61%"
    )
    assert "McNemar p < 0.001" in text
    assert "did not change significantly" in wr.panel_sentence(_records(0.2), "trust")
    assert "Too few respondents" in wr.panel_sentence(_records(0.2, n=10), "trust")
    assert "first wave" in wr.panel_sentence(_records(0.2).iloc[0:0], "trust")


@pytest.mark.parametrize(
    "wave, expected", [(1, "wave 1 only"), (2, "waves 1 and 2"), (3, "waves 1 to 3")]
)
def test_waves_text(wave, expected):
    assert wr.waves_text(wave) == expected


def test_interval_with_negative_bounds():
    # hand check: -8.4 and -1.6 round to -8 and -2; a bound that would round to 0 without
    # being 0 keeps one decimal (-0.06 -> -0.1), and -0.04 -> 0.0, never "-0"
    assert wr.interval(-8.4, -1.6, unit=" pp") == "95% CI −8 to −2 pp"
    assert wr.interval(-3.2, 4.9, unit=" pp") == "95% CI −3 to 5 pp"
    assert wr.interval(-0.06, 5.26, unit=" pp") == "95% CI −0.1 to 5.3 pp"
    assert wr.interval(-0.04, 5.26, unit=" pp") == "95% CI 0.0–5.3 pp"
    assert wr.interval(0.0, 4.2) == "95% CI 0–4%"  # an exact 0 is a whole number
    assert wr.interval(41.2, 50.9) == "95% CI 41–51%"
