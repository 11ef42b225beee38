"""The trust chapter's analysis (``wavebook.topics.trust``) on a small panel counted by hand.

Shares and changes are counted by hand in the comments; McNemar's p-values are checked against
statsmodels (``mcnemar(table, exact=True)``) and the signed-rank p-value against
``scipy.stats.wilcoxon``, both independent of ``wavebook.stats``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar

from wavebook import charts, estimates, tables
from wavebook.codebook import load_codebook
from wavebook.report import Text
from wavebook.topics import trust as topic

CODEBOOK = load_codebook(Path(__file__).resolve().parents[1] / "data" / "codebook.yml")
ITEMS = [CODEBOOK[name] for name in topic.ITEMS]
LABELS = topic.labels(CODEBOOK)

# Respondents: A00–A39 answer waves 1, 2, 3 (A39 answers wave 3 from Russia); B0–B9 waves 2
# and 3; D0–D4 waves 1 and 2; C0–C4 wave 1 only.
A = [f"A{i:02d}" for i in range(40)]
B = [f"B{i}" for i in range(10)]
D = [f"D{i}" for i in range(5)]
C = [f"C{i}" for i in range(5)]


def _general(rid: str, wave: int) -> float:
    # A: wave 1 A00–A19 trust, wave 2 A00–A24, wave 3 A00–A29; B: wave 2 B0–B4, wave 3 all;
    # C and D always trust
    if rid.startswith("A"):
        return float(int(rid[1:]) < {1: 20, 2: 25, 3: 30}[wave])
    if rid.startswith("B"):
        return float(wave == 3 or int(rid[1:]) < 5)
    return 1.0


def _locals(rid: str, wave: int) -> float:
    # A00 says "hard to say" (98) at waves 1 and 2; A30–A38 "rather do not trust" (2) at waves
    # 1 and 2; at wave 3 A00–A34 "rather trust" (3), A35–A38 2, A39 4 (but from Russia)
    if not rid.startswith("A"):
        return 3.0
    i = int(rid[1:])
    if wave < 3:
        return 98.0 if i == 0 else (2.0 if i >= 30 else 3.0)
    return 3.0 if i < 35 else (2.0 if i < 39 else 4.0)


def _resp() -> pd.DataFrame:
    rows = []
    waves = {
        **{r: (1, 2, 3) for r in A},
        **{r: (2, 3) for r in B},
        **{r: (1, 2) for r in D},
        **{r: (1,) for r in C},
    }
    for rid, present in waves.items():
        for wave in present:
            rows.append(
                {
                    "resp_id": rid,
                    "wave": wave,
                    "country_residence": "RU" if (rid == "A39" and wave == 3) else "GE",
                    "age": 30.0,
                    "trust_general": _general(rid, wave),
                    "trust_locals": _locals(rid, wave),
                    "trust_host_gov": 3.0,
                    "trust_russians_abroad": 3.0,
                    "trust_russians_in_russia": 3.0,
                }
            )
    return topic.abroad_answers(pd.DataFrame(rows))


@pytest.fixture(scope="module")
def resp() -> pd.DataFrame:
    return _resp()


@pytest.fixture(scope="module")
def panels(resp) -> pd.DataFrame:
    return estimates.frame(topic.panel_records(resp, ITEMS, 3))


def test_answers_from_russia_leave_the_host_items(resp):
    a39 = resp[(resp["resp_id"] == "A39") & (resp["wave"] == 3)].iloc[0]
    assert np.isnan(a39["trust_locals"]) and np.isnan(a39["trust_host_gov"])
    assert a39["trust_general"] == 0.0 and a39["trust_russians_abroad"] == 3.0


def test_balanced_panel_generalized_trust_by_hand(panels):
    rec = panels.set_index("key")
    # panel_1_2_3 = A00–A39: wave 1 20/40 = 50%, wave 3 30/40 = 75%
    assert rec.loc["trust_general_share_w1_panel_1_2_3", "value"] == pytest.approx(50.0)
    assert rec.loc["trust_general_share_w3_panel_1_2_3", "value"] == pytest.approx(75.0)
    change = rec.loc["trust_general_change_1_3_panel_1_2_3"]
    # A20–A29 went 0 -> 1, nobody 1 -> 0: +10 of 40 = +25 pp
    assert (change["value"], change["n"]) == (pytest.approx(25.0), 40)
    # rows = wave 1 (0, 1), columns = wave 3 (0, 1)
    expected = mcnemar([[10, 10], [0, 20]], exact=True).pvalue
    assert change["p_value"] == pytest.approx(expected)  # 2 · 0.5**10


def test_two_wave_panel_by_hand(panels):
    rec = panels.set_index("key")
    # panel_2_3 = A and B (50): wave 2 25 + 5 = 30 (60%), wave 3 30 + 10 = 40 (80%)
    assert rec.loc["trust_general_share_w2_panel_2_3", "value"] == pytest.approx(60.0)
    assert rec.loc["trust_general_share_w3_panel_2_3", "value"] == pytest.approx(80.0)
    change = rec.loc["trust_general_change_2_3_panel_2_3"]
    assert (change["value"], change["n"]) == (pytest.approx(20.0), 50)
    assert change["p_value"] == pytest.approx(mcnemar([[10, 10], [0, 30]], exact=True).pvalue)


def test_ordinal_item_share_cut_hard_to_say_and_signed_rank(panels):
    rec = panels.set_index("key")
    # wave 1: A01–A29 trust (29 of 40: "hard to say" counts, as not trusting); wave 3 the
    # answer from Russia is out: A00–A34 trust, 35 of 39
    assert rec.loc["trust_locals_share_w1_panel_1_2_3", "value"] == pytest.approx(72.5)
    assert rec.loc["trust_locals_share_w3_panel_1_2_3", "n"] == 39
    assert rec.loc["trust_locals_share_w3_panel_1_2_3", "value"] == pytest.approx(100 * 35 / 39)
    change = rec.loc["trust_locals_change_1_3_panel_1_2_3"]
    # 39 pairs; A00 and A30–A34 went 0 -> 1 (6), nobody back: +6/39
    assert (change["value"], change["n"]) == (pytest.approx(100 * 6 / 39), 39)
    assert change["p_value"] == pytest.approx(mcnemar([[4, 6], [0, 29]], exact=True).pvalue)
    # signed rank on the scale, 98 left out: 38 pairs, five +1 differences (A30–A34)
    ranked = rec.loc["trust_locals_signed_rank_p_1_3_panel_1_2_3"]
    before = [2.0] * 9 + [3.0] * 29
    after = [3.0] * 5 + [2.0] * 4 + [3.0] * 29
    assert ranked["n"] == 38
    assert ranked["p_value"] == pytest.approx(sps.wilcoxon(before, after).pvalue)
    # binary items have no signed-rank record
    assert "trust_general_signed_rank_p_1_3_panel_1_2_3" not in rec.index


def test_panels_at_wave_2_are_recorded_once_and_wave_1_has_none(resp):
    wave2 = estimates.frame(topic.panel_records(resp, ITEMS, 2))
    assert wave2["key"].is_unique
    assert set(wave2["sample"]) == {"panel_1_2"}
    assert topic.panel_records(resp, ITEMS, 1) == []


def test_change_summary_wording(panels):
    text = topic.change_summary(panels, LABELS, "panel_1_2_3")
    assert text == (
        "Between wave 1 and wave 3, among respondents who answered waves 1, 2 and 3, of the "
        "five trust items two rose significantly (generalized trust, +25 pp; trust in "
        "residents of the host country, +15 pp) and three did not change significantly "
        "(trust in Russians who have also left Russia; trust in Russians who stayed in Russia; "
        "trust in the host country's government and state bodies)."
    )
    unchanged = {k: v for k, v in LABELS.items() if k not in {"trust_general", "trust_locals"}}
    assert topic.change_summary(panels, unchanged, "panel_1_2_3").endswith(
        "none of the three trust items changed significantly."
    )
    assert "first wave" in topic.change_summary(panels, LABELS, None)
    assert "same panel" in topic.change_summary(panels, LABELS, "panel_1_2", same_as="panel_1_2")


def test_small_panels_are_withheld_in_the_summary_and_table():
    resp = _resp()
    few = resp[~resp["resp_id"].isin(A[12:])]  # 12 of A remain in panel_1_2_3
    rec = estimates.frame(topic.panel_records(few, ITEMS, 3))
    assert "rest on fewer than 30 respondents (withheld)" in topic.change_summary(
        rec, LABELS, "panel_1_2_3"
    )
    table = topic.changes_table(rec, LABELS, "panel_1_2_3")
    assert set(table.rows["Change, pp (95% CI)"]) == {"withheld"}
    assert set(table.rows["Signed-rank p"]) == {"n/a", "withheld"}
    assert isinstance(topic.items_figure(rec, LABELS, "panel_1_2_3", "fig-x", "%"), Text)


def test_balanced_sentence(panels):
    text = topic.balanced_sentence(panels, "trust_general", "trust", 3)
    # shares among all 40 of A at each wave (20/40 and 30/40); the change among the 40 pairs
    assert text.startswith(
        "Among respondents who answered every wave from 1 to 3, trust rose from 50% to 75% "
        "between wave 1 and wave 3; among the 40 of them who answered the question at both "
        "waves, the change was +25 pp"
    )
    assert "first wave" in topic.balanced_sentence(panels, "trust_general", "trust", 1)
    assert "two waves" in topic.balanced_sentence(panels, "trust_general", "trust", 2)


def test_ranking_sentence():
    rows = [
        estimates.record(
            chapter="",
            key=k,
            construct=k,
            statistic="share",
            wave=3,
            sample="combined_w3",
            value=v,
            n=100,
        )
        for k, v in [
            ("trust_locals", 86.0),
            ("trust_host_gov", 48.0),
            ("trust_russians_abroad", 93.0),
        ]
    ]
    text = topic.ranking_sentence(estimates.frame(rows), LABELS, 3)
    assert "was Russians who have also left Russia (93%" in text
    assert "least trusted group was the host country's government and state bodies (48%" in text


def test_ranking_names_every_tied_group():
    # 50.04 and 49.96 both print as 50%: both are named as least trusted
    rows = [
        estimates.record(
            chapter="",
            key=k,
            construct=k,
            statistic="share",
            wave=3,
            sample="combined_w3",
            value=v,
            n=100,
        )
        for k, v in [
            ("trust_russians_abroad", 91.0),
            ("trust_russians_in_russia", 50.04),
            ("trust_host_gov", 49.96),
        ]
    ]
    text = topic.ranking_sentence(estimates.frame(rows), LABELS, 3)
    assert text == (
        "In wave 3, the most trusted group was Russians who have also left Russia (91%) and "
        "the least trusted groups were Russians who stayed in Russia and the host country's "
        "government and state bodies (50% each)."
    )


def test_panel_finding_and_wave_notes(panels):
    # panel_1_2_3 by hand: general 20/40 -> 30/40 (rose); locals rose (see the summary test);
    # the other three items did not change significantly
    text = topic.panel_finding(panels, "trust_general", LABELS, 3)
    assert text == (
        "Among respondents who answered waves 1, 2 and 3, the share who trust most people "
        "rose from 50% in wave 1 to 75% in wave 3; trust in residents of the host country "
        "rose; trust in Russians who have also left Russia, in Russians who stayed in Russia "
        "and in the host country's government and state bodies did not change significantly."
    )
    # wave 1: the one note of the chapter; later sections get short, different pointers
    note = topic.panel_finding(panels, "trust_general", LABELS, 1)
    assert "first wave" in note
    assert topic.changes_text(panels, LABELS, 1) != note
    assert topic.panel_text(panels, panels, "trust_general", "trust", 1) != note


def test_short_labels_and_age_figure():
    assert topic.short_labels(LABELS) == {
        "trust_general": "Most people can be trusted",
        "trust_russians_abroad": "Russians who have also left Russia",
        "trust_russians_in_russia": "Russians who stayed in Russia",
        "trust_locals": "Residents of the host country",
        "trust_host_gov": "Host country's government and state bodies",
    }
    groups = estimates.frame(
        [
            estimates.record(
                chapter="",
                key=f"g{i}",
                construct="trust_general",
                statistic="share",
                wave=3,
                sample="combined_w3",
                subgroup=f"age_group={g}",
                value=v,
                ci_low=v - 5,
                ci_high=v + 5,
                n=200,
            )
            for i, (g, v) in enumerate([("18–24", 60.0), ("25–34", 62.4)])
        ]
    )
    figure = topic.group_dots(groups, "fig-x", "%", "trust")
    assert 'alt="Dot chart of trust by age group, with 95% intervals: 18–24, 60%; 25–34, 62%."' in (
        figure.html()
    )
    assert "resp_id" not in figure.data.columns
    assert isinstance(topic.group_dots(groups.iloc[:0], "fig-x", "%", "trust"), Text)


def test_first_wave_in_nested_panels(resp, panels):
    rows = topic.first_wave_by_panel(resp, CODEBOOK["trust_general"], 3, panels)
    # panel_1_2_3 is already recorded; panel_1_2 = A and D: (20 + 5) of 45 at wave 1
    assert [r["key"] for r in rows] == ["trust_general_share_w1_panel_1_2"]
    assert rows[0]["value"] == pytest.approx(100 * 25 / 45)
    text = topic.first_wave_sentence(
        pd.concat([panels, estimates.frame(rows)]), "trust_general", "trust"
    )
    assert "56% (95% CI" in text and "answered waves 1 and 2" in text
    assert "50% (95% CI" in text and "answered waves 1, 2 and 3" in text


def test_figures_and_tables(panels):
    figure = topic.items_figure(panels, LABELS, "panel_1_2_3", "fig-x", "Trusting, %")
    assert isinstance(figure, charts.Figure)
    assert len(figure.data) == 15  # five items × three waves, aggregates only
    assert isinstance(topic.items_figure(panels, LABELS, None, "fig-x", "%"), Text)
    assert isinstance(
        topic.items_figure(panels, LABELS, "panel_1_2", "fig-x", "%", same_as="panel_1_2"), Text
    )
    table = topic.changes_table(panels, LABELS, "panel_1_2_3")
    assert isinstance(table, tables.Table) and len(table.rows) == 5
    assert len(topic.changes_table(panels, LABELS, "panel_2_3").rows) == 5
    first = table.rows.iloc[0]
    # the headers name the waves compared
    assert (first["Wave 1"], first["Wave 3"]) == ("50%", "75%")
    # Newcombe interval of +25 pp; checked against wavebook.stats, rounded
    assert first["Change, pp (95% CI)"].startswith("+25 (")
    assert first["Signed-rank p"] == "n/a"
    for note in (
        topic.changes_table(panels, LABELS, None),
        topic.changes_table(panels, LABELS, "panel_1_2", same_as="panel_1_2"),
    ):
        assert list(note.rows.columns) == list(topic.CHANGE_COLUMNS) and len(note.rows) == 1
    assert note.rows.iloc[0, 0] == "Same panel as in the table above."
    assert topic.panel_caption(panels, "panel_2_3") == (
        "Sample: respondents who answered waves 2 and 3 (n = 49 to 50 per item and wave; "
        "n counts the panel members who answered the question at that wave)."
    )
    assert "none in wave 1" in topic.figure_caption(panels, None, "x")
    assert "n = —" not in topic.figure_caption(panels, None, "x")


def test_benchmarks():
    ours = pd.Series(
        {
            "wave": "3",
            "value": 61.0,
            "ci_low": 60.0,
            "ci_high": 62.0,
            "n": 9502,
            "suppressed": False,
        }
    )
    bench = pd.DataFrame(
        {
            "construct": ["trust_general"] * 2,
            "population": ["Russia", "X"],
            "value": [23.0, 61.5],
            "source": ["World Values Survey (wave 7)"] * 2,
            "year": ["2017-2020"] * 2,
        }
    )
    assert topic.benchmark_sentence(ours, bench) == (
        "The share in wave 3 (61%) is above the 23% of adults in Russia (World Values Survey, "
        "wave 7, 2017–2020) and within the interval of the 62% of adults in X (World Values "
        "Survey, wave 7, 2017–2020)."
    )
    # grouped by population, one word for all when they agree (decided by the interval)
    assert topic.benchmark_summary(ours, bench) == (
        "above the share for adults in Russia (23%, 2017–2020) and within the interval of the "
        "share for adults in X (62%, 2017–2020) (World Values Survey)"
    )
    table = topic.benchmark_table(ours, bench, "Trust", "2023")
    assert list(table.rows["This survey is"]) == ["", "above", "within the interval of"]


def test_published_value():
    published = pd.DataFrame({"id": ["a", "b"], "value": ["46", "-10"], "unit": ["%", "pp"]})
    assert topic.published_value(published, "a") == "46%"
    assert topic.published_value(published, "b") == "-10 pp"


def test_age_groups_chi_square_against_scipy():
    # two age groups of 40: 30 of 40 trust among 25–34, 10 of 40 among 45–54
    rows = pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(80)],
            "wave": 3,
            "age": [30.0] * 40 + [50.0] * 40,
            "trust_general": [1.0] * 30 + [0.0] * 10 + [1.0] * 10 + [0.0] * 30,
        }
    )
    var = CODEBOOK["trust_general"]
    test = pd.Series(topic.age_test_record(rows, var, 3))
    expected = sps.chi2_contingency([[30, 10], [10, 30]], correction=False).pvalue
    assert test["p_value"] == pytest.approx(expected)
    groups = estimates.frame(topic.by_age(rows, var, 3))
    assert topic.age_sentence(groups, test, "trust").startswith(
        "Trust differs significantly between age groups (chi-square p < 0.001): it is highest "
        "among those aged 25–34 (75%) and lowest among those aged 45–54 (25%)."
    )
