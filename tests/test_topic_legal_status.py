"""Tests of ``topics.legal_status`` and the country breakdown of ``topics.host_country``.

Shares are checked against counts done by hand on a small invented table, intervals against
statsmodels' Wilson interval, and the test of country differences against scipy's
``chi2_contingency`` run on a pandas crosstab.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from statsmodels.stats.proportion import proportion_confint

from wavebook import charts, estimates, samples
from wavebook import report as wr
from wavebook.codebook import Codebook, Variable
from wavebook.topics import host_country as hc
from wavebook.topics import legal_status as ls

LEVELS = [
    {"code": 1, "en": "Not stable at all", "ru": "Совсем неустойчиво"},
    {"code": 2, "en": "Rather unstable", "ru": "Скорее неустойчиво"},
    {"code": 3, "en": "In between", "ru": "Средне"},
    {"code": 4, "en": "Rather stable", "ru": "Скорее устойчиво"},
    {"code": 5, "en": "Very stable", "ru": "Очень устойчиво"},
]


@pytest.fixture(autouse=True)
def _fold_at_30(monkeypatch):
    """The small frames here fold countries under 30 respondents (the book folds under
    ``samples.COUNTRY_MIN_N``), so that a handful of rows exercises folding."""
    monkeypatch.setattr(samples, "COUNTRY_MIN_N", 30)


@pytest.fixture
def rights() -> Variable:
    return Variable(
        name="rights_stability",
        type="ordinal",
        label_en="Rights feel stable",
        label_ru="Права",
        waves=[3],
        codes=LEVELS,
        hard_to_say=True,
        share_cut=[4, 5],
    )


@pytest.fixture
def codebook(rights) -> Codebook:
    countries = Variable(
        name="country_residence",
        type="nominal",
        label_en="Country",
        label_ru="Страна",
        waves=[1, 2, 3],
        codes=[
            {"code": c, "en": n, "ru": n}
            for c, n in [
                ("AM", "Armenia"),
                ("GE", "Georgia"),
                ("NL", "Netherlands"),
                ("RU", "Russia"),
                ("TR", "Turkey"),
                ("XA", "Aland"),
                ("XB", "Bland"),
                ("XC", "Cland"),
            ]
        ],
    )
    return Codebook(version=1, variables=[countries, rights])


def _answers(counts: dict[float, int]) -> list[float]:
    return [code for code, k in counts.items() for _ in range(k)]


@pytest.fixture
def resp() -> pd.DataFrame:
    """Wave 3: Georgia 100 answers, Armenia 60, Netherlands 40, three countries of 10 (folded
    into "Other countries", 30 together), Russia 20 (left out: not abroad); wave 1 did not ask.
    """
    groups = {
        "GE": {1: 30, 2: 30, 3: 10, 4: 15, 5: 5, 98: 10},  # stable 20 of 100
        "AM": {1: 10, 2: 10, 3: 10, 4: 15, 5: 12, 98: 3},  # stable 27 of 60
        "NL": {3: 4, 4: 20, 5: 16},  # stable 36 of 40
        "XA": {4: 5, 1: 5},
        "XB": {4: 5, 2: 5},
        "XC": {4: 5, 3: 5},  # stable 15 of 30
        "RU": {5: 20},
    }
    rows = [
        {"country_residence": c, "rights_stability": float(v)}
        for c, counts in groups.items()
        for v in _answers(counts)
    ]
    wave3 = pd.DataFrame(rows).assign(wave=3)
    wave3.loc[len(wave3)] = {"country_residence": "GE", "rights_stability": np.nan, "wave": 3}
    wave1 = pd.DataFrame({"country_residence": ["GE"] * 50, "rights_stability": np.nan, "wave": 1})
    out = pd.concat([wave1, wave3], ignore_index=True)
    out["resp_id"] = [f"r{i}" for i in range(len(out))]
    return out


def _by_group(records):
    return {r["subgroup"]: r for r in records}


def test_breakdown_shares_by_hand_and_wilson(resp, rights, codebook):
    result = hc.breakdown(resp, rights, 3, codebook)
    rows = _by_group(result.shares)
    assert list(rows) == [
        "country=Georgia",
        "country=Armenia",
        "country=Netherlands",
        "country=Other countries",
    ]  # by size, Russia left out
    hand = {
        "Georgia": (20, 100),
        "Armenia": (27, 60),
        "Netherlands": (36, 40),
        "Other countries": (15, 30),
    }
    for group, (hits, n) in hand.items():
        row = rows[f"country={group}"]
        low, high = proportion_confint(hits, n, alpha=0.05, method="wilson")
        assert row["n"] == n  # the skipped answer (NaN) is out, "hard to say" (98) is in
        assert row["value"] == pytest.approx(100 * hits / n)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))
        assert row["key"] == f"rights_stability_share_w3_country_{group}"


def test_breakdown_test_matches_scipy(resp, rights, codebook):
    result = hc.breakdown(resp, rights, 3, codebook)
    abroad = resp[(resp["wave"] == 3) & (resp["country_residence"] != "RU")].dropna()
    group = abroad["country_residence"].replace({"XA": "o", "XB": "o", "XC": "o"})
    table = pd.crosstab(group, abroad["rights_stability"].isin([4, 5]))
    expected = chi2_contingency(table.to_numpy(), correction=False)
    (test,) = result.test
    assert test["key"] == "rights_stability_country_test_w3" and test["statistic"] == "p_value"
    assert test["p_value"] == pytest.approx(expected.pvalue) and test["n"] == 230
    assert result.method == "chi-square test"


def test_sentence_names_extremes_and_caption(resp, rights, codebook):
    result = hc.breakdown(resp, rights, 3, codebook)
    text = hc.country_sentence(result, "the share")
    # 36/40 in the Netherlands against 20/100 in Georgia: significant; "Other countries" is
    # not a country and is never named as highest or lowest
    assert "differed between countries (chi-square test, p < 0.001)" in text
    assert "highest in the Netherlands, 90% (95% CI 77–96%, n = 40)" in text
    assert "lowest in Georgia, 20%" in text
    caption = hc.country_caption(result)
    assert "(n = 230)" in caption and "withheld" not in caption


def test_equal_shares_are_not_called_different(rights, codebook):
    frame = pd.DataFrame(
        {
            "country_residence": ["GE"] * 40 + ["AM"] * 40,
            "rights_stability": [4.0, 1.0] * 20 + [5.0, 2.0] * 20,
            "wave": 3,
        }
    )
    frame["resp_id"] = [f"q{i}" for i in range(len(frame))]
    text = hc.country_sentence(hc.breakdown(frame, rights, 3, codebook), "the share")
    # both countries at 50% (by hand): no ranking at all (changed on purpose: this used to
    # name one of the two as lowest)
    assert "the same in every named country, 50%" in text and "p = 1.000" in text


def test_tied_extremes_are_named_together(rights, codebook):
    """Shares by hand: Armenia and Georgia 10/40 = 25%, the Netherlands 30/40 = 75%; the two
    tied at the bottom are both named, never one picked from the tie."""
    frame = pd.DataFrame(
        {
            "country_residence": ["GE"] * 40 + ["AM"] * 40 + ["NL"] * 40,
            "rights_stability": [4.0] * 10
            + [1.0] * 30
            + [5.0] * 10
            + [2.0] * 30
            + [4.0] * 30
            + [1.0] * 10,
            "wave": 3,
        }
    )
    frame["resp_id"] = [f"t{i}" for i in range(len(frame))]
    result = hc.breakdown(frame, rights, 3, codebook)
    text = hc.country_sentence(result, "the share")
    assert "highest in the Netherlands, 75%" in text
    assert "lowest in Armenia and Georgia (25% each)" in text
    short = hc.country_sentence(result, "the share", short=True)
    assert short == (
        "The share differed between countries: from 25% in Armenia and Georgia "
        "to 75% in the Netherlands."
    )


def test_not_asked_gives_notes_not_errors(resp, rights, codebook):
    result = hc.breakdown(resp, rights, 1, codebook)
    assert result.records == [] and not result.asked
    note = "Rights feel stable: not asked in wave 1."
    # the chapter says "not asked" once, in its key findings: the body sentence is empty
    assert hc.country_sentence(result, "x") == ""
    assert ls.country_note(result) == ""
    assert hc.figure_caption(result, "Share") == (
        "Share, by country of residence: not asked in wave 1."
    )
    assert hc.country_figure(result, "fig-x", "x") == note
    assert ls.distribution_records(resp, rights, 1, codebook) == []
    assert ls.distribution_figure([], result, "fig-y") == note
    assert ls.stable_sentence([], rights, 1).startswith("Wave 1 did not ask how stable")
    assert ls.unstable_sentence([], [], rights, 1) == ""
    assert hc.country_caption(result) == "The question was not asked in wave 1."


def test_distribution_by_hand_and_suppression(resp, rights, codebook):
    records = ls.distribution_records(resp, rights, 3, codebook)
    rows = {r["key"]: r for r in records}
    # Georgia: 30 of 100 answered 1; 10 of 100 "hard to say"
    assert rows["rights_stability_dist_w3_country_Georgia_1"]["value"] == pytest.approx(30.0)
    assert rows["rights_stability_dist_w3_country_Georgia_98"]["value"] == pytest.approx(10.0)
    # all countries abroad: 30 + 10 + 5 = 45 of 230 answered 1 (Russia left out)
    assert rows["rights_stability_dist_w3_all_1"]["value"] == pytest.approx(100 * 45 / 230)
    for group in ["all", "country_Georgia", "country_Other countries"]:
        total = sum(
            rows[f"rights_stability_dist_w3_{group}_{c}"]["value"] for c in [1, 2, 3, 4, 5, 98]
        )
        assert total == pytest.approx(100.0)
    assert len(rows) == len(records)  # keys unique
    # each share of the distribution counts its own answer
    assert rows["rights_stability_dist_w3_country_Georgia_98"]["answers"] == "98"
    assert all(r["answers"] == r["key"].rsplit("_", 1)[1] for r in records)


def test_distribution_withholds_a_small_group_everywhere(rights, codebook):
    frame = pd.DataFrame(
        {
            "country_residence": ["GE"] * 60 + ["AM"] * 40 + ["TR"] * 35,
            "rights_stability": [4.0] * 60 + [2.0] * 40 + [3.0] * 20 + [np.nan] * 15,
            "wave": 3,
        }
    )
    frame["resp_id"] = [f"q{i}" for i in range(len(frame))]
    records = ls.distribution_records(frame, rights, 3, codebook)
    withheld = {r["subgroup"].split(";")[0] for r in records if r["suppressed"]}
    # Turkey has 35 respondents (kept as a country) but 20 answers (withheld); Armenia, the
    # smallest other country, is withheld too so that Turkey cannot be recovered from the total
    assert withheld == {"country=Turkey", "country=Armenia"}
    data = ls.distribution_frame(records, rights)
    assert set(data["group"]) == {"All countries", "Georgia"}
    assert "resp_id" not in data and data["answer"].iloc[0] == "Not stable at all"


def test_distribution_figure_carries_aggregates_only(resp, rights, codebook):
    result = hc.breakdown(resp, rights, 3, codebook)
    records = ls.distribution_records(resp, rights, 3, codebook)
    figure = ls.distribution_figure(records, result, "fig-legal_status-distribution")
    assert isinstance(figure, charts.Figure)
    assert len(figure.data) == 5 * 6  # all countries + four groups, six answers each
    sort = figure.spec["encoding"]["y"]["sort"]
    assert sort[:2] == ["All countries", "Netherlands"]  # then by the share who feel stable


def test_texts_from_the_codebook(rights):
    assert ls.scale_text(rights) == "1 = not stable at all … 5 = very stable"
    assert ls.cut_text(rights) == "4 or 5 (rather stable, very stable)"


def test_stable_sentence(resp, rights):
    stable = estimates.shares_by_wave(resp, rights, 3)
    low = hc.code_shares_by_wave(resp, rights, [1, 2], 3, "unstable")
    text = ls.stable_sentence(stable, rights, 3)
    # the 20 answers from Russia (all 5) count in the combined sample: 98 + 20 of 250 are 4 or
    # 5; 60 + 20 + 5 + 5 = 90 of 250 are 1 or 2
    assert text.startswith("In wave 3, 47% (95% CI 41–53%, n = 250) of respondents")
    body = ls.unstable_sentence(stable, low, rights, 3)
    assert body.startswith("Against the 47% who felt stable, 36% (")
    assert low[0]["value"] == pytest.approx(100 * 90 / 250)
    assert low[0]["key"] == "rights_stability_unstable_share_w3_combined"
    assert (low[0]["answers"], stable[-1]["answers"]) == ("1|2", "4|5")


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def test_wave4_rights_are_asked_where_the_data_hold_answers(wave4_resp, without_answers, project):
    """``rights_stability``: the codebook's ``waves`` say wave 3 only; the synthetic wave 4 of
    conftest asked it again, so the panel of waves 3 and 4 is worded (n: hand count of complete
    pairs) and the country breakdown runs. Without its wave-4 answers it is "not asked"; with
    answers only in wave 4 it is "first asked in wave 4"."""
    from wavebook.codebook import load_codebook

    rights = load_codebook(project.codebook_file)["rights_stability"]
    asked = samples.asked_waves(wave4_resp, rights.name)
    assert asked == [3, 4]
    panel = hc.panel_records(wave4_resp, rights, 4)
    pairs = samples.wide(samples.panel(wave4_resp, (3, 4)), rights.name).dropna()
    assert hc.two_wave_sentence(panel, 4, "the share", asked=asked).startswith(
        f"Among the {wr.count(len(pairs))} respondents who answered both wave 3 and wave 4, "
    )
    by_wave = estimates.shares_by_wave(wave4_resp, rights, 4)
    assert ls.stable_sentence(by_wave, rights, 4).startswith("In wave 4, ")

    dropped = without_answers(wave4_resp, [rights.name], 4)
    gone = samples.asked_waves(dropped, rights.name)
    assert hc.two_wave_sentence(hc.panel_records(dropped, rights, 4), 4, "x", asked=gone) == ""
    by_wave = estimates.shares_by_wave(dropped, rights, 4)
    assert ls.stable_sentence(by_wave, rights, 4).startswith("Wave 4 did not ask how stable")

    late = without_answers(wave4_resp, [rights.name], 3)
    first = samples.asked_waves(late, rights.name)
    assert first == [4]
    assert hc.two_wave_sentence(hc.panel_records(late, rights, 4), 4, "x", asked=first) == (
        "The question was first asked in wave 4, so there is no comparison of the same people yet."
    )
