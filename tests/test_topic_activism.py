"""The activism topic: derived "any activity" indicators, panel records, direction words,
sentences and tables, on small hand-made panels whose answers are counted by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import proportion_confint

from wavebook import estimates, report
from wavebook.codebook import Codebook, Variable
from wavebook.topics import activism

RECALL = {
    1: "Since leaving Russia (about the first month abroad)",
    2: "Last 3 months",
    3: "Last 3 months",
}


def _codebook() -> Codebook:
    item = dict(type="option", question=activism.QUESTION, label_ru="-", recall=RECALL)
    return Codebook(
        version=1,
        variables=[
            Variable(name="civ_a", item="F1", label_en="Helped A", waves=[1, 2, 3], **item),
            Variable(name="civ_b", item="F5", label_en="Donated B", waves=[2, 3], **item),
            Variable(name="pol_c", item="G1", label_en="Posted C", waves=[1, 2, 3], **item),
            Variable(
                name="civpol_any",
                type="binary",
                label_en="Any activity",
                label_ru="-",
                waves=[1, 2, 3],
                derived=True,
                share_cut=[1],
                recall=RECALL,
                codes=[
                    {"code": 0, "en": "none", "ru": "нет"},
                    {"code": 1, "en": "some", "ru": "да"},
                ],
            ),
            Variable(
                name="other",
                type="option",
                question="something_else",
                label_en="x",
                label_ru="x",
                waves=[1],
            ),
        ],
    )


# A balanced panel of 100 people answering three waves; the answers of civ_a are set so that
# 10 stop (1 -> 0) and 30 start (0 -> 1) between waves 1 and 3: 40% -> 60%.
N = 100


def _resp() -> pd.DataFrame:
    ids = [f"r{i:03d}" for i in range(N)]
    w1_a = [1] * 40 + [0] * 60
    w3_a = [1] * 30 + [0] * 10 + [1] * 30 + [0] * 30
    w2_a = [1] * 50 + [0] * 50
    pol = {1: [1] * 80 + [0] * 20, 2: [1] * 50 + [0] * 50, 3: [1] * 45 + [0] * 55}
    rows = []
    for wave, a in ((1, w1_a), (2, w2_a), (3, w3_a)):
        frame = pd.DataFrame({"resp_id": ids, "wave": wave, "civ_a": a, "pol_c": pol[wave]}).astype(
            {"civ_a": float, "pol_c": float}
        )
        frame["civ_b"] = float("nan") if wave == 1 else [1.0] * 12 + [0.0] * (N - 12)
        rows.append(frame)
    # newcomers in wave 3 only (not in the panel)
    rows.append(
        pd.DataFrame(
            {
                "resp_id": [f"n{i}" for i in range(50)],
                "wave": 3,
                "civ_a": 0.0,
                "pol_c": 0.0,
                "civ_b": 0.0,
            }
        )
    )
    return pd.concat(rows, ignore_index=True)


def test_items_follow_the_codebook_question_and_item_letters():
    cb = _codebook()
    assert [v.name for v in activism.activity_items(cb)] == ["civ_a", "civ_b", "pol_c"]
    assert [v.name for v in activism.activity_items(cb, "civic")] == ["civ_a", "civ_b"]
    assert [v.name for v in activism.activity_items(cb, "political")] == ["pol_c"]
    # short reader labels (changed on purpose in the fix round: legends were truncated);
    # items without a short label keep the codebook wording
    assert activism.labels(cb)["civpol_any"] == "At least one activity"
    assert activism.labels(cb)["civ_a"] == "Helped A"
    assert all(len(x) <= 48 for x in activism.SHORT_LABELS.values())


def test_any_activity_is_the_row_maximum_of_answered_options():
    """Hand check: a row is 1 if any answered option is 1, NaN if none was answered."""
    frame = pd.DataFrame(
        {
            "civ_a": [1, 0, 0, None, None],
            "civ_b": [None, 0, None, 1, None],
            "pol_c": [0, 0, 1, 0, None],
        },
        dtype=float,
    )
    out = activism.with_any_activity(frame, _codebook())
    assert out["civ_any"].tolist()[:4] == [1.0, 0.0, 0.0, 1.0]
    assert out["pol_any"].tolist()[:4] == [0.0, 0.0, 1.0, 0.0]
    assert out["civpol_any"].tolist()[:4] == [1.0, 0.0, 1.0, 1.0]
    assert math.isnan(out["civpol_any"].iloc[4])
    assert "civ_any" not in frame  # the input is not modified


def test_latest_shares_match_wilson_from_statsmodels():
    """Wave 3 combined: civ_a is 1 for 60 of 150 respondents; interval from statsmodels."""
    cb = _codebook()
    rows = activism.latest_shares(_resp(), activism.activity_items(cb), 3)
    civ_a = next(r for r in rows if r["construct"] == "civ_a")
    low, high = proportion_confint(60, 150, method="wilson")
    assert civ_a["value"] == pytest.approx(40.0)
    assert civ_a["ci_low"] == pytest.approx(100 * low) and civ_a["ci_high"] == pytest.approx(
        100 * high
    )
    assert civ_a["key"] == "civ_a_share_w3_combined" and civ_a["sample"] == "combined_w3"
    # wave 1 did not ask civ_b: no record rather than an error
    assert {
        r["construct"] for r in activism.latest_shares(_resp(), activism.activity_items(cb), 1)
    } == {"civ_a", "pol_c"}


def test_trend_change_and_mcnemar_against_statsmodels():
    """Balanced panel 1->3 of civ_a: 40% -> 60%, discordant 10 and 30; McNemar with
    continuity correction as in statsmodels ``mcnemar(exact=False, correction=True)``."""
    cb = _codebook()
    trend = activism.trend_records(_resp(), activism.activity_items(cb), 3)
    change = next(r for r in trend if r["key"] == "civ_a_change_1_3_panel_1_2_3")
    expected = sm_mcnemar([[30, 10], [30, 30]], exact=False, correction=True).pvalue
    assert change["value"] == pytest.approx(20.0) and change["n"] == N
    assert change["p_value"] == pytest.approx(expected)
    # civ_b was first asked in wave 2: its change runs 2 -> 3 (no change: p = 1)
    civ_b = next(r for r in trend if r["construct"] == "civ_b" and r["statistic"] == "change_pp")
    assert civ_b["wave"] == "2->3" and civ_b["value"] == 0.0
    assert activism.trend_records(_resp(), activism.activity_items(cb), 1) == []


def test_last_pair_is_empty_where_it_would_repeat_the_balanced_panel():
    cb = _codebook()
    items = activism.activity_items(cb)
    assert activism.last_pair_records(_resp(), items, 2) == []
    pair = activism.last_pair_records(_resp(), items, 3)
    assert {r["sample"] for r in pair} == {"panel_2_3"}
    keys = [r["key"] for r in [*activism.trend_records(_resp(), items, 3), *pair]]
    assert len(keys) == len(set(keys))


def test_steps_skip_the_full_span_and_keep_keys_unique():
    cb = _codebook()
    resp = _resp()
    steps = activism.step_records(resp, cb["pol_c"], 3)
    assert [r["wave"] for r in steps] == ["1->2", "2->3"]
    assert activism.step_records(resp, cb["pol_c"], 2) == []
    # civ_b has two asked waves in the balanced panel: its only step is its full span
    assert activism.step_records(resp, cb["civ_b"], 3) == []
    # hand count: pol_c 80% -> 50% (30 stop, nobody starts), then 50% -> 45%
    assert steps[0]["value"] == pytest.approx(-30.0)
    assert steps[1]["value"] == pytest.approx(-5.0)


@pytest.mark.parametrize(
    ("before", "after", "p"),
    [
        (34.0, 38.0, 0.01),
        (84.0, 38.0, 1e-6),
        (16.0, 16.4, 0.9),
        (20.0, 30.0, 0.2),
        (20.2, 19.8, 0.001),
    ],
)
def test_direction_agrees_with_report_change_words(before, after, p):
    words = report.change_words(before, after, p)
    expected = {"rose": "rose", "fell": "fell", "did": "unchanged"}[words.split()[0]]
    assert activism.direction(before, after, p) == expected


def test_sentences_name_what_rose_and_fell():
    cb = _codebook()
    resp = activism.with_any_activity(_resp(), cb)
    trend = activism.trend_records(resp, activism.activity_items(cb), 3)
    civic = activism.domain_sentence(resp, cb, trend, 3, "civic")
    assert civic.startswith("Between wave 1 and wave 3, among the 100 respondents")
    assert "rose for “Helped A” (from 40% to 60%" in civic
    # civ_b is compared over other waves (first asked in wave 2): a sentence of its own
    assert (
        "“Donated B” was first asked in wave 2; between wave 2 and wave 3 (100 respondents) "
        "it did not change significantly (12% and 12%)."
    ) in civic
    political = activism.domain_sentence(resp, cb, trend, 3, "political")
    assert "fell for “Posted C” (from 80% to 45%" in political
    # wave 1 (no panel): the most and least common civic activity of the wave (hand count:
    # civ_a 40 of 100; civ_b not asked)
    latest1 = activism.latest_shares(resp, activism.activity_items(cb), 1)
    first = activism.domain_sentence(resp, cb, [], 1, "civic", latest1)
    assert first == "In wave 1, “Helped A” (40%) ticked the civic activities shown."
    # wave 2 edition: civ_b was asked in one wave of the panel only
    trend2 = activism.trend_records(resp, activism.activity_items(cb), 2)
    assert "“Donated B” was first asked in wave 2, so there is no change" in (
        activism.domain_sentence(resp, cb, trend2, 2, "civic")
    )


def test_withheld_changes_are_not_worded():
    cb = _codebook()
    resp = _resp()
    small = resp[resp["resp_id"].isin([f"r{i:03d}" for i in range(20)])]
    trend = activism.trend_records(small, activism.activity_items(cb), 3)
    summary = activism.change_summary(trend, activism.labels(cb))
    assert set(summary["direction"]) == {"withheld"}
    text = activism.change_sentence(summary)
    assert "could not be reported" in text and "%" not in text
    assert "withheld" in activism.change_table(summary, "none").markdown()


def test_top_sentence_ranks_by_computed_share():
    cb = _codebook()
    latest = activism.latest_shares(_resp(), activism.activity_items(cb), 3)
    text = activism.top_sentence(latest, activism.labels(cb), 3)
    # wave 3 combined: civ_a 60/150, pol_c 45/150, civ_b 12/150
    assert (
        text == "The most common activity was “Helped A” (40%); the least common, “Donated B” (8%)."
    )


def test_top_sentence_names_ties_together():
    """Two items with the same rounded share are both named (no arbitrary pick)."""
    rows = [
        {"construct": c, "value": v, "suppressed": False, "n": 100}
        for c, v in (("a", 30.2), ("b", 29.8), ("c", 10.0))
    ]
    text = activism.top_sentence(rows, {"a": "A", "b": "B", "c": "C"}, 3)
    assert (
        text
        == "The most common activities were “A” and “B” (30% each); the least common, “C” (10%)."
    )


def test_recall_and_not_asked_notes():
    cb = _codebook()
    assert activism.recall_text(cb["civpol_any"], [1, 2, 3]) == (
        # the bracketed gloss becomes a comma (changed on purpose: the text sits in brackets)
        "wave 1: since leaving Russia, about the first month abroad; waves 2 and 3: last 3 months"
    )
    assert "different periods" in activism.recall_caveat(cb["civpol_any"], 2)
    assert "same period (last 3 months)" in activism.recall_caveat(cb["civpol_any"], 3)
    # a one-wave edition speaks of its own period only (no "differs between waves")
    first = activism.recall_caveat(cb["civpol_any"], 1)
    assert first.startswith("Wave 1 asked about the time since leaving Russia, about the first")
    assert "between waves" not in first
    assert activism.items_caveat(_resp(), cb, 1) == (
        "Wave 1 did not ask “Donated B”, so its “at least one” shares cover the other "
        "activities only."
    )
    assert "first wave that asked" in activism.items_caveat(_resp(), cb, 3)


def test_tables_and_figure_fallbacks():
    cb = _codebook()
    first = activism.change_table(
        activism.change_summary([], {}), activism.empty_table_note(1, False)
    ).markdown()
    assert "No panel in wave 1." in first
    empty = estimates.frame([])
    note = activism.items_figure(empty, activism.labels(cb), "fig-x", "%")
    assert isinstance(note, report.Text)
    latest = activism.latest_shares(_resp(), activism.activity_items(cb), 3)
    rows = activism.figure_records([], latest)
    assert activism.sample_caption(rows) == (
        "Sample: all respondents of wave 3 (n = 150 per activity)."
    )
    assert activism.pp_interval(-30.2, -21.6) == "−30 to −22 pp"


def test_any_sentence_gives_the_three_shares_and_the_period():
    """Hand count of the wave 3 combined sample (100 panel members and 50 newcomers)."""
    cb = _codebook()
    resp = activism.with_any_activity(_resp(), cb)
    rows = activism.latest_shares(resp, activism.any_variables(cb), 3)
    # civ_any is 1 where civ_a or civ_b is 1: civ_a 60 panel members, civ_b 12 (r000-r011,
    # all with civ_a = 1), so 60 of 150 = 40%; pol_c 45 of 150 = 30%; any: r000-r069 (civ_a or
    # pol_c) = 70 of 150 = 47%
    by = {r["construct"]: r["value"] for r in rows}
    # both: civ_any and pol_c, r000-r029 and r040-r044 = 35 of 150
    assert by == pytest.approx(
        {"civ_any": 40.0, "pol_any": 30.0, "civpol_any": 70 / 1.5, "civpol_both": 35 / 1.5}
    )
    text = activism.any_sentence(rows, 3, activism.recall_period(cb["civpol_any"], 3))
    assert text.startswith("In wave 3, 47%") and text.endswith("(reference period: last 3 months).")
    split = activism.split_sentence(rows, 3)
    assert split.startswith("In wave 3, 40% (95% CI")
    assert "of all respondents did at least one civic activity and 30%" in split
    assert "23% (95% CI" in split and split.endswith("did at least one of each.")


def test_panel_headline_and_contrast():
    """Wave 1: one note (no panel; what was not asked). Wave 3: the any-activity change of
    the balanced panel and a tally of the last-pair changes, counted by hand below; McNemar
    p-values checked with statsmodels."""
    cb = _codebook()
    resp = activism.with_any_activity(_resp(), cb)
    items = activism.activity_items(cb)
    assert activism.panel_headline(resp, cb, [], [], 1) == (
        "Wave 1 is the first wave, so nobody can be followed over time yet; it did not ask "
        "about “Donated B”."
    )
    trend = activism.trend_records(resp, [*items, cb["civpol_any"]], 3)
    pair = activism.last_pair_records(resp, items, 3)
    text = activism.panel_headline(resp, cb, trend, pair, 3)
    # any: wave 1 r000-r079 (pol_c) = 80%; wave 3 r000-r069 = 70%; 10 stop, 0 start:
    # McNemar (corrected) p = 0.0044 < 0.05, so "fell"
    assert text.startswith(
        "Among the 100 respondents who answered every wave so far, the share with at least "
        "one activity fell from 80% to 70% between wave 1 and wave 3."
    )
    # pair 2 -> 3: civ_a 50% -> 60% (discordant 20 start, 10 stop: p = 0.10, unchanged);
    # pol_c 50% -> 45% (5 stop: p = 0.074, unchanged); civ_b unchanged
    assert text.endswith(
        "among the 100 respondents who answered both, 3 of the 3 did not change significantly."
    )
    assert sm_mcnemar([[40, 10], [20, 30]], exact=False, correction=True).pvalue > 0.05
    # the 1 -> 3 reading of civ_a (rose) differs from the 2 -> 3 reading (unchanged)
    contrast = activism.panel_contrast(trend, pair, cb, 3)
    assert "“Helped A” rose between wave 1 and wave 3" in contrast
    assert activism.panel_contrast(trend, [], cb, 2) == ""


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def _wave4_sentences(resp: pd.DataFrame, cb: Codebook, domain: str) -> str:
    resp = activism.with_any_activity(resp, cb)
    trend = activism.trend_records(resp, activism.activity_items(cb), 4)
    return activism.domain_sentence(resp, cb, trend, 4, domain)


def test_wave4_items_are_asked_where_the_data_hold_answers(wave4_resp, without_answers, project):
    """The synthetic wave 4 of conftest (the codebook's ``waves`` stop at wave 3) asked the
    whole checklist: every item has a wave-4 share and the balanced panel runs to wave 4 (its
    n a hand count: the most complete wave-1/wave-4 pairs of a civic item among respondents
    of all four waves). Items made to be dropped in wave 4, asked first in wave 4, or asked
    only in wave 2 are worded so."""
    from wavebook import samples
    from wavebook.codebook import load_codebook

    cb = load_codebook(project.codebook_file)
    items = activism.activity_items(cb)
    labels = activism.labels(cb)
    latest = activism.latest_shares(wave4_resp, items, 4)
    assert sorted(r["construct"] for r in latest) == sorted(v.name for v in items)
    panel = samples.panel(wave4_resp, (1, 2, 3, 4))
    n = max(
        len(samples.wide(panel, v.name)[[1, 4]].dropna())
        for v in activism.activity_items(cb, "civic")
        if v.name != "civ_donate_local_ngo_media"  # not asked in wave 1
    )
    civic = _wave4_sentences(wave4_resp, cb, "civic")
    assert civic.startswith(f"Between wave 1 and wave 4, among the {n} respondents who")
    assert (
        f"“{labels['civ_donate_local_ngo_media']}” was first asked in wave 2; between wave 2 "
        "and wave 4"
    ) in civic
    caveat = activism.items_caveat(activism.with_any_activity(wave4_resp, cb), cb, 4)
    assert "Wave 4" not in caveat

    rally = labels["pol_rally"]
    dropped = without_answers(wave4_resp, ["pol_rally"], 4)
    assert "pol_rally" not in {r["construct"] for r in activism.latest_shares(dropped, items, 4)}
    political = _wave4_sentences(dropped, cb, "political")
    # a tie of spans (one item each) is read over the edition's waves, 1 to 4
    assert political.startswith("Between wave 1 and wave 4, ")
    assert f"“{rally}” was last asked in wave 3; between wave 1 and wave 3" in political
    caveat = activism.items_caveat(activism.with_any_activity(dropped, cb), cb, 4)
    assert f"Wave 4 did not ask “{rally}”" in caveat

    migrants = labels["civ_help_ru_migrants"]
    new = wave4_resp
    for wave in (1, 2, 3):
        new = without_answers(new, ["civ_help_ru_migrants"], wave)
    assert (
        f"“{migrants}” was first asked in wave 4, so there is no change to report yet."
    ) in _wave4_sentences(new, cb, "civic")
    once = wave4_resp
    for wave in (1, 3, 4):
        once = without_answers(once, ["civ_help_ru_migrants"], wave)
    assert (
        f"“{migrants}” was answered in only one wave of the panel (wave 2), so there is no "
        "change to report."
    ) in _wave4_sentences(once, cb, "civic")


def test_any_indicators_name_the_options_they_count():
    """``answers`` of the derived indicators lists the checklist options of the hand-made
    codebook (civic: civ_a, civ_b; political: pol_c); an option's own share counts 1."""
    cb = _codebook()
    resp = activism.with_any_activity(_resp(), cb)
    latest = activism.latest_shares(resp, activism.any_variables(cb), 3)
    assert {r["construct"]: r["answers"] for r in latest} == {
        "civ_any": "any:civ_a|civ_b",
        "pol_any": "any:pol_c",
        "civpol_both": "any:civ_a|civ_b;any:pol_c",
        "civpol_any": "any:civ_a|civ_b|pol_c",
    }
    civpol = activism.any_variable(cb, activism.ANY_ALL)
    trend = activism.trend_records(resp, [cb["civ_a"], civpol], 3)
    assert {(r["construct"], r["statistic"], r["answers"]) for r in trend} == {
        ("civ_a", "share", "1"),
        ("civ_a", "change_pp", "1"),
        ("civpol_any", "share", "any:civ_a|civ_b|pol_c"),
        ("civpol_any", "change_pp", "any:civ_a|civ_b|pol_c"),
    }
    steps = activism.step_records(resp, cb["civ_a"], 3)
    assert steps and {r["answers"] for r in steps} == {"1"}
