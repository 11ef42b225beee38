"""Tests of ``topics.legal_status`` and the country breakdown of ``topics.host_country``.

Shares are checked against counts done by hand on a small invented table, intervals against
statsmodels' Wilson interval, and the test of country differences against scipy's
``chi2_contingency`` run on a pandas crosstab; the countries named at each end of a ranking
against the hand counts. The chapter's words (``notebooks/legal_status.md``) are rendered
with the facts of the demo's waves 1, 2 and 3 and with facts made to reach other variants.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency
from statsmodels.stats.proportion import proportion_confint

from wavebook import charts, estimates, samples
from wavebook import report as wr
from wavebook import words as words_module
from wavebook.codebook import Codebook, Variable
from wavebook.topics import host_country as hc
from wavebook.topics import legal_status as ls
from wavebook.words import Words

from .test_topic_discrimination import _render_all

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
    assert result.method == "chi2"
    facts = hc.country_fact(result)
    assert facts["method"] == "chi2" and facts["p"] == pytest.approx(expected.pvalue)
    assert facts["differs"] is bool(expected.pvalue < 0.05)


def test_country_fact_names_the_ends(resp, rights, codebook):
    facts = hc.country_fact(hc.breakdown(resp, rights, 3, codebook))
    # by hand: 36/40 in the Netherlands against 20/100 in Georgia; "Other countries" is not a
    # country and is never named as highest or lowest
    assert facts["status"] == "ok" and facts["same"] is False
    assert facts["top"]["keys"] == ["country_residence:NL"]
    assert facts["top"]["value"] == pytest.approx(90.0) and facts["top"]["n"] == 40
    low, high = proportion_confint(36, 40, alpha=0.05, method="wilson")
    assert (facts["top"]["ci_low"], facts["top"]["ci_high"]) == pytest.approx(
        (100 * low, 100 * high)
    )
    assert facts["bottom"]["keys"] == ["country_residence:GE"]
    assert facts["bottom"]["value"] == pytest.approx(20.0)
    assert facts["n"] == 230 and facts["withheld"] == 0  # Russia left out


def test_equal_shares_are_not_called_different(rights, codebook):
    frame = pd.DataFrame(
        {
            "country_residence": ["GE"] * 40 + ["AM"] * 40,
            "rights_stability": [4.0, 1.0] * 20 + [5.0, 2.0] * 20,
            "wave": 3,
        }
    )
    frame["resp_id"] = [f"q{i}" for i in range(len(frame))]
    facts = hc.country_fact(hc.breakdown(frame, rights, 3, codebook))
    # both countries at 50% (by hand): the same everywhere, nothing ranked
    assert facts["same"] is True and facts["differs"] is False
    assert facts["top"]["value"] == pytest.approx(50.0) and facts["p"] == pytest.approx(1.0)


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
    facts = hc.country_fact(hc.breakdown(frame, rights, 3, codebook))
    assert facts["top"]["keys"] == ["country_residence:NL"]
    assert facts["bottom"]["keys"] == ["country_residence:AM", "country_residence:GE"]
    assert facts["bottom"]["value"] == pytest.approx(25.0)


def test_too_few_countries_are_withheld(rights, codebook):
    frame = pd.DataFrame(
        {"country_residence": ["GE"] * 40, "rights_stability": [4.0] * 40, "wave": 3}
    )
    frame["resp_id"] = [f"w{i}" for i in range(len(frame))]
    facts = hc.country_fact(hc.breakdown(frame, rights, 3, codebook))
    assert facts == {"status": "withheld", "n": 40, "withheld": 0}


def test_not_asked_gives_statuses_not_errors(resp, rights, codebook):
    result = hc.breakdown(resp, rights, 1, codebook)
    assert result.records == [] and not result.asked
    assert hc.country_fact(result) == {"status": "not_asked"}
    assert hc.country_figure(result, "fig-x", "legal-status-axis-country") == ""
    assert ls.distribution_records(resp, rights, 1, codebook) == []
    assert ls.distribution_figure([], result, "fig-y") == ""
    assert hc.share_fact(estimates.shares_by_wave(resp, rights, 1), 1) == {"status": "not_asked"}
    assert hc.shown_status(result.shares) == "not_asked"


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
    data = ls.distribution_frame(records, rights, Words("en", codebook))
    assert set(data["group"]) == {"All countries", "Georgia"}
    assert "resp_id" not in data and data["answer"].iloc[0] == "Not stable at all"
    russian = ls.distribution_frame(records, rights, Words("ru", codebook))
    assert set(russian["group"]) == {"Все страны", "Georgia"}  # the test codebook's names
    assert russian["answer"].iloc[0] == "Совсем неустойчиво"


def test_distribution_figure_carries_aggregates_only(resp, rights, codebook, monkeypatch):
    monkeypatch.setattr(words_module, "_CODEBOOK", [codebook])  # as open_chapter does
    result = hc.breakdown(resp, rights, 3, codebook)
    records = ls.distribution_records(resp, rights, 3, codebook)
    figure = ls.distribution_figure(records, result, "fig-legal_status-distribution")
    en, ru = figure.versions["en"], figure.versions["ru"]
    assert isinstance(en, charts.Figure) and isinstance(ru, charts.Figure)
    assert len(en.data) == 5 * 6  # all countries + four groups, six answers each
    assert "resp_id" not in en.data
    sort = en.spec["encoding"]["y"]["sort"]
    assert sort[:2] == ["All countries", "Netherlands"]  # then by the share who feel stable
    assert ru.spec["encoding"]["y"]["sort"][:1] == ["Все страны"]
    assert "Другие страны" in ru.spec["encoding"]["y"]["sort"]
    assert ru.spec["encoding"]["x"]["title"] == "Доля ответов, %"


def test_scale_facts_from_the_codebook(rights):
    facts = ls.scale_fact(rights)
    assert (facts["first"], facts["last"], facts["points"]) == (
        "rights_stability:1",
        "rights_stability:5",
        5,
    )
    assert facts["cut"] == ["rights_stability:4", "rights_stability:5"]
    assert (facts["cut_from"], facts["cut_to"]) == (4, 5)
    assert facts["low"] == ["rights_stability:1", "rights_stability:2"]
    assert facts["low_codes"] == [1, 2]


def test_stable_and_unstable_shares(resp, rights):
    stable = estimates.shares_by_wave(resp, rights, 3)
    low = hc.code_shares_by_wave(resp, rights, [1, 2], 3, "unstable")
    # the 20 answers from Russia (all 5) count in the combined sample: 98 + 20 of 250 are 4 or
    # 5; 60 + 20 + 5 + 5 = 90 of 250 are 1 or 2
    facts = hc.share_fact(stable, 3)
    assert facts["status"] == "ok" and facts["n"] == 250
    assert facts["value"] == pytest.approx(100 * 118 / 250)
    assert hc.share_fact(low, 3)["value"] == pytest.approx(100 * 90 / 250)
    assert low[0]["key"] == "rights_stability_unstable_share_w3_combined"
    assert (low[0]["answers"], stable[-1]["answers"]) == ("1|2", "4|5")


# --- the chapter's words with the demo's facts -------------------------------------------------
def chapter_facts(resp: pd.DataFrame, wave: int, codebook) -> dict:
    """The facts ``notebooks/legal_status.md`` records, computed the same way."""
    resp = resp[resp["wave"] <= wave]
    rights = codebook["rights_stability"]
    scale = ls.scale_fact(rights)
    by_wave = estimates.shares_by_wave(resp, rights, wave)
    unstable = hc.code_shares_by_wave(resp, rights, scale["low_codes"], wave, "unstable")
    by_country = hc.breakdown(resp, rights, wave, codebook)
    distribution = ls.distribution_records(resp, rights, wave, codebook)
    return wr.plain(
        {
            "wave": wave,
            "synthetic": True,
            "min_n": estimates.MIN_CELL_N,
            "country_min_n": samples.COUNTRY_MIN_N,
            "scale": scale,
            "stable": hc.share_fact(by_wave, wave),
            "unstable": hc.share_fact(unstable, wave),
            "panel": hc.panel_fact(
                hc.panel_records(resp, rights, wave), wave, samples.asked_waves(resp, rights.name)
            ),
            "country": hc.country_fact(by_country),
            "fig_country": hc.shown_status(by_country.shares),
            "fig_distribution": hc.shown_status(distribution),
        }
    )


def test_every_message_renders_for_waves_1_to_3(cleaned_demo, project):
    from wavebook.codebook import load_codebook

    book = load_codebook(project.codebook_file)
    facts = {wave: chapter_facts(cleaned_demo, wave, book) for wave in (1, 2, 3)}
    for wave in (1, 2):
        text = _render_all(facts[wave], book, "legal_status")
        assert text["kf-stable"].startswith(f"Wave {wave} did not ask how stable")
        assert text["kf-country"] == "" and text["country-texts"] == ""
    text = _render_all(facts[3], book, "legal_status")
    assert text["kf-stable"].startswith("In wave 3, ")
    assert "first asked in wave 3" in text["stable-texts"]
    assert "from 1 = not stable at all to 5 = very stable" in text["scale-text"]
    # other variants: a tie at the top, Fisher's test, a withheld group, a panel
    end = {
        "keys": ["country_residence:NL", "country_residence:US"],
        "value": 71.0,
        "ci_low": 60.0,
        "ci_high": 80.0,
        "n": 100,
    }
    other = {
        **facts[3],
        "country": {**facts[3]["country"], "top": end, "method": "fisher", "withheld": 2},
        "panel": {
            "status": "ok",
            "value": -4.2,
            "ci_low": -7.0,
            "ci_high": -1.0,
            "n": 900,
            "p": 0.004,
            "before": 45.4,
            "after": 41.2,
            "direction": "down",
            "first": 3,
            "last": 4,
        },
    }
    text = _render_all(other, book, "legal_status")
    assert "highest in the Netherlands and the United States (71% each)" in text["country-texts"]
    assert "Fisher's exact test" in text["country-texts"]
    assert "2 groups are withheld" in text["country-caption"]
    assert "fell from 45% to 41%; the change was −4\u00a0pp" in text["stable-texts"]


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def test_wave4_rights_are_asked_where_the_data_hold_answers(wave4_resp, without_answers, project):
    """``rights_stability``: the codebook's ``waves`` say wave 3 only; the synthetic wave 4 of
    conftest asked it again, so the panel of waves 3 and 4 is reported (n: hand count of
    complete pairs) and the country breakdown runs. Without its wave-4 answers it is "not
    asked"; with answers only in wave 4 it is "first asked"."""
    from wavebook.codebook import load_codebook

    rights = load_codebook(project.codebook_file)["rights_stability"]
    asked = samples.asked_waves(wave4_resp, rights.name)
    assert asked == [3, 4]
    panel = hc.panel_fact(hc.panel_records(wave4_resp, rights, 4), 4, asked)
    pairs = samples.wide(samples.panel(wave4_resp, (3, 4)), rights.name).dropna()
    assert panel["status"] == "ok" and panel["n"] == len(pairs)
    assert hc.share_fact(estimates.shares_by_wave(wave4_resp, rights, 4), 4)["status"] == "ok"

    dropped = without_answers(wave4_resp, [rights.name], 4)
    gone = samples.asked_waves(dropped, rights.name)
    assert hc.panel_fact(hc.panel_records(dropped, rights, 4), 4, gone)["status"] == "not_asked"
    by_wave = estimates.shares_by_wave(dropped, rights, 4)
    assert hc.share_fact(by_wave, 4) == {"status": "not_asked"}

    late = without_answers(wave4_resp, [rights.name], 3)
    first = samples.asked_waves(late, rights.name)
    assert first == [4]
    assert hc.panel_fact(hc.panel_records(late, rights, 4), 4, first)["status"] == "first_asked"
