"""The estimate record: suppression (primary and secondary), merge and stable bytes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wavebook import estimates
from wavebook.codebook import Variable


def _share(key, n, value=50.0):
    return estimates.record(
        chapter="c",
        key=key,
        construct="x",
        statistic="share",
        wave=1,
        sample="combined_w1",
        value=value,
        ci_low=value - 5,
        ci_high=value + 5,
        n=n,
    )


def test_small_cells_are_withheld():
    row = _share("a", estimates.MIN_CELL_N - 1)
    assert row["suppressed"] and math.isnan(row["value"]) and math.isnan(row["ci_low"])
    assert not _share("b", estimates.MIN_CELL_N)["suppressed"]
    custom = estimates.record(
        chapter="c",
        key="k",
        construct="x",
        statistic="share",
        wave=1,
        sample="s",
        value=1.0,
        n=40,
        min_cell_n=50,
    )
    assert custom["suppressed"]


def test_secondary_suppression_blocks_subtraction():
    rows = estimates.protect_partition([_share("a", 10), _share("b", 400), _share("c", 80)])
    assert [r["suppressed"] for r in rows] == [True, False, True]
    # two withheld cells already protect each other
    rows = estimates.protect_partition([_share("a", 10), _share("b", 12), _share("c", 80)])
    assert [r["suppressed"] for r in rows] == [True, True, False]


def test_shares_by_group_protects_its_partition():
    var = Variable(
        name="x",
        type="binary",
        label_en="x",
        label_ru="x",
        waves=[1],
        codes=[{"code": 0, "en": "no", "ru": "нет"}, {"code": 1, "en": "yes", "ru": "да"}],
        share_cut=[1],
    )
    frame = pd.DataFrame({"x": [1.0, 0.0] * 60 + [1.0] * 10})
    group = pd.Series(["big"] * 80 + ["mid"] * 40 + ["tiny"] * 10)
    rows = estimates.shares_by_group(frame, var, group, wave=1, sample="s", group_name="g")
    assert {r["subgroup"]: r["suppressed"] for r in rows} == {
        "g=big": False,
        "g=mid": True,
        "g=tiny": True,
    }
    # hand computation: 40 of the first 80 answers are 1
    assert rows[0]["value"] == 50.0 and rows[0]["n"] == 80


def test_write_and_merge_are_stable(tmp_path):
    rows = estimates.frame([_share("b", 100, 61.23456789), _share("a", 100, 46.0)])
    estimates.write(rows, tmp_path / "one.csv")
    first = (tmp_path / "one.csv").read_bytes()
    estimates.write(rows.iloc[::-1], tmp_path / "one.csv")
    assert (tmp_path / "one.csv").read_bytes() == first
    merged = estimates.merge_files([tmp_path / "one.csv"])
    assert merged["key"].tolist() == ["a", "b"]
    assert list(merged.columns) == estimates.COLUMNS


def _codebook():
    from pathlib import Path

    from wavebook.codebook import load_codebook

    return load_codebook(Path(__file__).resolve().parents[1] / "data" / "codebook.yml")


def test_retention_counted_by_hand():
    resp = pd.DataFrame(
        {"resp_id": ["a", "b", "c", "d", "a", "c", "e"], "wave": [1, 1, 1, 1, 2, 2, 2]}
    )
    (row,) = estimates.retention(resp, 2)
    # 2 of the 4 wave-1 respondents (a, c) answered wave 2; n = 4 is below MIN_CELL_N
    assert row["key"] == "retention_w1_w2" and row["n"] == 4 and row["suppressed"]
    big = pd.DataFrame(
        {
            "resp_id": [f"p{i}" for i in range(100)] + [f"p{i}" for i in range(40)],
            "wave": [1] * 100 + [2] * 40,
        }
    )
    (row,) = estimates.retention(big, 2)
    assert row["value"] == 40.0 and row["n"] == 100


def test_attrition_against_scipy():
    """The gender test equals scipy's chi-square on the 2x2 table counted here."""
    from scipy.stats import chi2_contingency

    rng = __import__("numpy").random.default_rng(3)
    n = 400
    wave1 = pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(n)],
            "wave": 1,
            "gender": rng.choice(["female", "male"], n),
            "age": rng.integers(20, 60, n).astype(float),
        }
    )
    wave2 = wave1.sample(frac=0.6, random_state=1).assign(wave=2)
    tests = estimates.attrition(pd.concat([wave1, wave2]), 2, _codebook()).set_index("variable")
    stayed = wave1["resp_id"].isin(wave2["resp_id"])
    table = pd.crosstab(wave1["gender"] == "female", stayed)
    expected = chi2_contingency(table.to_numpy(), correction=False).pvalue
    assert abs(tests.loc["gender", "p_value"] - expected) < 1e-12
    assert tests.loc["gender", "label"] == "Gender: female"
    assert tests.loc["age", "test"] == "welch_t"
    assert estimates.attrition(wave1, 1, _codebook()).empty


def test_panel_series_against_statsmodels():
    """Shares in a three-wave panel by hand; the first-to-last change p-value equals
    statsmodels' McNemar on the 2x2 table of the same pairs."""
    import numpy as np
    from statsmodels.stats.contingency_tables import mcnemar

    var = Variable(
        name="x",
        type="binary",
        label_en="x",
        label_ru="x",
        waves=[1, 2, 3],
        codes=[{"code": 0, "en": "no", "ru": "нет"}, {"code": 1, "en": "yes", "ru": "да"}],
        share_cut=[1],
    )
    rng = np.random.default_rng(5)
    n = 200
    w1 = (rng.random(n) < 0.4).astype(float)
    w3 = np.where(rng.random(n) < 0.7, w1, 1 - w1)
    resp = pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(n)] * 3 + ["lone"],
            "wave": [1] * n + [2] * n + [3] * n + [1],
            "x": [*w1, *([np.nan] * n), *w3, 1.0],
        }
    )
    rows = {r["key"]: r for r in estimates.panel_series(resp, var, (1, 2, 3))}
    assert set(rows) == {
        "x_share_w1_panel_1_2_3",
        "x_share_w3_panel_1_2_3",
        "x_change_1_3_panel_1_2_3",
    }  # wave 2 did not ask x
    assert rows["x_share_w1_panel_1_2_3"]["value"] == 100 * w1.mean()
    table = pd.crosstab(w1, w3).to_numpy()
    expected = mcnemar(table, exact=(table[0, 1] + table[1, 0]) < 25, correction=True).pvalue
    assert abs(rows["x_change_1_3_panel_1_2_3"]["p_value"] - expected) < 1e-12
    assert rows["x_change_1_3_panel_1_2_3"]["value"] == pytest.approx(100 * (w3.mean() - w1.mean()))
    assert estimates.asked(resp, var, 1) and not estimates.asked(resp, var, 2)


# --- answers: what a share counts ---------------------------------------------------------------
def test_columns_in_the_order_of_design():
    """DESIGN.md, samples and statistics: the record's columns, ``answers`` after ``subgroup``."""
    assert estimates.COLUMNS == [
        "chapter",
        "key",
        "construct",
        "statistic",
        "wave",
        "sample",
        "subgroup",
        "answers",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "p_value",
        "suppressed",
    ]


def test_variable_answers_read_from_the_codebook():
    """Expected texts written by hand from data/codebook.yml."""
    book = _codebook()
    assert book["rights_stability"].answers() == "4|5"  # ordinal, share_cut [4, 5]
    assert book["discr_any"].answers() == "1"  # binary
    assert book["civ_volunteer"].answers() == "1"  # option: ticked
    assert book["city_size"].answers() == "moscow|st_petersburg|city_1m"  # nominal
    # other codes, put in codebook order with "hard to say" last
    assert book["rights_stability"].answers([98, 2, 1]) == "1|2|98"
    assert book["lang_learning"].answers(["intensive", "fluent"]) == "fluent|intensive"
    with pytest.raises(ValueError, match="rights_stability"):
        book["rights_stability"].answers([7])
    with pytest.raises(ValueError, match="no share_cut"):
        book["country_residence"].answers()


def test_answers_follow_the_indicator():
    """``answers()`` names exactly the codes ``indicator`` counts as 1, for every variable of
    the codebook that has an indicator (each code tried by itself)."""
    for var in _codebook().variables:
        if var.type not in {"binary", "ordinal", "nominal", "option"}:
            continue
        if var.type == "nominal" and var.share_cut is None:
            continue
        codes = [c.code for c in var.codes] or [0, 1]
        ticked = var.indicator(pd.Series(codes, dtype=object))
        counted = [str(c) for c, t in zip(codes, ticked, strict=True) if t == 1]
        assert var.answers() == "|".join(counted), var.name


def _ordinal():
    return Variable(
        name="x",
        type="ordinal",
        label_en="x",
        label_ru="x",
        waves=[1, 2],
        codes=[{"code": k, "en": str(k), "ru": str(k)} for k in range(1, 6)],
        share_cut=[4, 5],
        hard_to_say=True,
    )


def test_common_records_carry_the_answers():
    """shares_by_wave, panel_shares, panel_series and shares_by_group write the variable's
    cut, or the ``answers`` they are given; counts and means leave it empty."""
    ids = [f"r{i}" for i in range(40)]
    resp = pd.DataFrame(
        {
            "resp_id": ids * 2,
            "wave": [1] * 40 + [2] * 40,
            "x": [1, 4, 5, 98] * 20,
        }
    )
    var = _ordinal()
    rows = estimates.shares_by_wave(resp, var, 2)
    rows += estimates.panel_shares(resp, var, (1, 2))
    rows += estimates.panel_series(resp, var, (1, 2))
    rows += estimates.shares_by_group(
        resp[resp["wave"] == 1], var, pd.Series(["a"] * 40), wave=1, sample="s", group_name="g"
    )
    assert {r["statistic"] for r in rows} == {"share", "change_pp"}
    assert {r["answers"] for r in rows} == {"4|5"}
    # hand count: codes 4 and 5 are 2 of every 4 answers (98 stays in the denominator)
    assert rows[0]["value"] == 50.0
    other = estimates.shares_by_wave(resp, var, 1, answers="1|2")
    assert other[0]["answers"] == "1|2"
    (size,) = estimates.sample_sizes(resp, 1).to_dict("records")
    assert size["answers"] == ""
    mean = estimates.mean_record(resp["x"], key="m", construct="x", wave=1, sample="s")
    assert mean["answers"] == ""
    (kept,) = estimates.retention(resp, 2)
    assert kept["answers"] == "wave=2"


def test_answers_survive_write_and_merge(tmp_path):
    """Codes stay text ("1" is not read back as 1.0, "NA" is Namibia, not missing) and an
    empty field stays empty."""
    rows = [_share("a", 100), _share("b", 100), _share("c", 100)]
    for row, text in zip(rows, ["1", "country_residence=NA", "3|4"], strict=True):
        row["answers"] = text
    count = estimates.count_record(50, key="d", construct="n", wave=1, sample="s")
    count["chapter"] = "c"
    estimates.write(estimates.frame([*rows, count]), tmp_path / "c.csv")
    merged = estimates.merge_files([tmp_path / "c.csv"])
    assert merged["answers"].tolist() == ["1", "country_residence=NA", "3|4", ""]
    estimates.write(merged, tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "c.csv").read_bytes()
