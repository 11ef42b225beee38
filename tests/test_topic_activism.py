"""The activism topic: derived "any activity" indicators, panel records, the facts the
chapter's sentences are written from (values, direction codes, ranked keys, statuses) and its
tables, on small hand-made panels whose answers are counted by hand (p-values and intervals
checked with statsmodels); and every message of the chapter's ``{words}`` rendered with the
facts of the demo data at waves 1, 2, 3 and 4."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import proportion_confint

from wavebook import estimates, report
from wavebook.codebook import Codebook, Variable, load_codebook
from wavebook.topics import activism
from wavebook.words import Words

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


def test_items_follow_the_codebook_question_and_item_letters(project):
    cb = _codebook()
    assert [v.name for v in activism.activity_items(cb)] == ["civ_a", "civ_b", "pol_c"]
    assert [v.name for v in activism.activity_items(cb, "civic")] == ["civ_a", "civ_b"]
    assert [v.name for v in activism.activity_items(cb, "political")] == ["pol_c"]
    # the book's codebook gives every item a short form (legends) and a phrase (sentences) in
    # both languages; the derived indicators take theirs from words/activism.<lang>.ftl
    book = load_codebook(project.codebook_file)
    for lang in ("en", "ru"):
        words = Words(lang, book)
        for var in activism.activity_items(book):
            assert var.text(lang, "short") != var.text(lang, "long") or lang == "en"
            assert len(words.label(var.name, "short")) <= 48
            assert words.label(var.name, "phrase")[0].islower()
        for name in (*activism.ANY_COLUMNS.values(), activism.BOTH):
            assert words.label(name, "short") and name not in words.label(name, "phrase")
    assert Words("en", book).label("pol_rally", "short") == (
        "Rallies, demonstrations, other public actions"
    )
    assert Words("ru", book).label("civ_any") == "Хотя бы одна гражданская активность"


# --- facts ------------------------------------------------------------------------------------
def _trend(wave: int = 3) -> pd.DataFrame:
    cb = _codebook()
    return activism.change_summary(
        activism.trend_records(_resp(), activism.activity_items(cb), wave)
    )


def test_change_summary_direction_from_mcnemar():
    """Direction codes against McNemar's test computed by statsmodels (corrected chi-square):
    civ_a 40% -> 60% (10 stop, 30 start), pol_c 80% -> 45% (35 stop, none start), civ_b
    12% -> 12% (no discordant pair)."""
    summary = _trend().set_index("construct")
    p_a = sm_mcnemar([[30, 10], [30, 30]], exact=False, correction=True).pvalue
    p_c = sm_mcnemar([[45, 35], [0, 20]], exact=False, correction=True).pvalue
    assert p_a < 0.05 and p_c < 0.05
    assert summary.loc["civ_a", "p_value"] == pytest.approx(p_a)
    assert summary.loc["pol_c", "p_value"] == pytest.approx(p_c)
    assert summary["direction"].to_dict() == {"civ_a": "up", "civ_b": "flat", "pol_c": "down"}
    assert summary.loc["civ_a", ["before", "after"]].tolist() == pytest.approx([40.0, 60.0])
    assert (summary.loc["civ_b", "first"], summary.loc["civ_b", "last"]) == (2, 3)


def test_changes_fact_groups_items_by_direction_and_span():
    cb = _codebook()
    facts = activism.changes_fact(_trend())
    assert (facts["status"], facts["first"], facts["last"], facts["n"]) == ("ok", 1, 3, N)
    assert (facts["up"], facts["down"], facts["flat"]) == (["civ_a"], ["pol_c"], [])
    assert facts["total"] == 2 and facts["withheld"] == []
    # the largest move: pol_c, -35 pp against +20 pp
    lead = facts["lead"]
    assert (lead["key"], lead["direction"], lead["before"], lead["after"]) == (
        "pol_c",
        "down",
        80.0,
        45.0,
    )
    # civ_b (first asked in wave 2) is compared over other waves
    other = facts["other"]
    assert other["keys"] == ["civ_b"] and other["span"] == "later"
    assert (other["first"], other["last"], other["direction"], other["n"]) == (2, 3, "flat", N)
    civic = activism.changes_fact(_trend(), activism.activity_items(cb, "civic"))
    assert civic["up"] == ["civ_a"] and civic["down"] == [] and civic["lead"]["key"] == "civ_a"
    assert activism.changes_fact(activism.change_summary([])) == {"status": "no_panel"}


def test_withheld_changes_are_listed_not_read():
    cb = _codebook()
    small = _resp()[_resp()["resp_id"].isin([f"r{i:03d}" for i in range(20)])]
    trend = activism.trend_records(small, activism.activity_items(cb), 3)
    summary = activism.change_summary(trend)
    assert set(summary["direction"]) == {"withheld"}
    facts = activism.changes_fact(summary)
    assert facts["withheld"] == ["civ_a", "pol_c"] and facts["lead"] == {"status": "none"}
    assert facts["up"] == facts["down"] == facts["flat"] == []
    assert facts["other"]["status"] == "withheld"
    assert "withheld (n < 30)" in activism.change_table(summary, Words("en", cb)).markdown()


def test_ranking_fact_ranks_by_computed_share_and_keeps_ties():
    cb = _codebook()
    latest = activism.latest_shares(_resp(), activism.activity_items(cb), 3)
    # wave 3 combined: civ_a 60/150, pol_c 45/150, civ_b 12/150
    facts = activism.ranking_fact(latest)
    assert (facts["top"], facts["bottom"], facts["same"], facts["count"]) == (
        ["civ_a"],
        ["civ_b"],
        False,
        3,
    )
    assert facts["top_value"] == pytest.approx(40.0)
    assert facts["bottom_value"] == pytest.approx(8.0)
    rows = [
        {"construct": c, "value": v, "suppressed": False, "n": 100}
        for c, v in (("a", 30.2), ("b", 29.8), ("c", 10.0))
    ]
    tied = activism.ranking_fact(rows)
    assert tied["top"] == ["a", "b"] and tied["bottom"] == ["c"]
    hidden = [{**r, "suppressed": True} for r in rows]
    assert activism.ranking_fact(hidden) == {"status": "withheld"}
    assert activism.ranking_fact([]) == {"status": "not_asked"}


def test_shares_fact_gives_the_any_activity_shares():
    """Hand count of the wave 3 combined sample (100 panel members and 50 newcomers): civ_any
    60 of 150 (civ_b's 12 all have civ_a), pol_c 45, any 70 (r000-r069), both 35 (r000-r029
    and r040-r044); intervals from statsmodels (Wilson)."""
    cb = _codebook()
    resp = activism.with_any_activity(_resp(), cb)
    facts = activism.shares_fact(activism.latest_shares(resp, activism.any_variables(cb), 3))
    values = {k: f["value"] for k, f in facts.items()}
    assert values == pytest.approx(
        {"civ_any": 40.0, "pol_any": 30.0, "civpol_any": 70 / 1.5, "civpol_both": 35 / 1.5}
    )
    low, high = proportion_confint(70, 150, method="wilson")
    assert facts["civpol_any"]["ci_low"] == pytest.approx(100 * low)
    assert facts["civpol_any"]["ci_high"] == pytest.approx(100 * high)
    assert {f["status"] for f in facts.values()} == {"ok"} and facts["civ_any"]["n"] == 150
    assert activism.shares_fact([])["civpol_any"] == {"status": "not_asked"}


def test_recall_and_missing_facts():
    cb = _codebook()
    var = cb["civpol_any"]
    first = activism.recall_fact(var, 1)
    assert (first["status"], first["pair"]) == ("same", "none")
    assert first["first"] == "since leaving Russia, about the first month abroad"
    second, third = activism.recall_fact(var, 2), activism.recall_fact(var, 3)
    assert (second["status"], second["pair"], second["later_count"]) == (
        "first_differs",
        "differs",
        1,
    )
    assert (third["status"], third["pair"], third["latest"], third["previous"]) == (
        "first_differs",
        "same",
        "last 3 months",
        2,
    )
    assert activism.recall_fact(var, 4)["status"] == "not_recorded"
    # civ_b has no answer in wave 1 (hand-made data), every item is answered later
    assert activism.missing_fact(_resp(), cb, 3) == {
        "keys": ["civ_b"],
        "first": 1,
        "last": 1,
        "same": True,
    }


def test_contrast_and_steps_facts():
    """Panel 2 -> 3 by hand: civ_a 50% -> 60% (10 stop, 20 start), pol_c 50% -> 45% (5 stop):
    neither significant (statsmodels), so civ_a (up from wave 1) and pol_c (down from wave 1)
    read differently in the two panels."""
    cb = _codebook()
    items = activism.activity_items(cb)
    pair = activism.change_summary(activism.last_pair_records(_resp(), items, 3))
    assert sm_mcnemar([[40, 10], [20, 30]], exact=False, correction=True).pvalue > 0.05
    assert sm_mcnemar([[45, 5], [0, 50]], exact=False, correction=True).pvalue > 0.05
    assert set(pair["direction"]) == {"flat"}
    facts = activism.contrast_fact(_trend(), pair)
    assert facts["status"] == "ok"
    assert (facts["up_flat"], facts["down_flat"], facts["flat_up"]) == (["civ_a"], ["pol_c"], [])
    assert activism.contrast_fact(_trend(2), activism.change_summary([])) == {"status": "no_panel"}
    trend = activism.trend_records(_resp(), items, 3)
    steps = activism.step_records(_resp(), cb["pol_c"], 3)
    rally = activism.steps_fact(trend, steps, "pol_c", 3)
    p_12 = sm_mcnemar([[50, 30], [0, 20]], exact=False, correction=True).pvalue
    assert rally["status"] == "ok" and rally["n"] == N
    assert (rally["w1_2"]["direction"], rally["w1_2"]["p"]) == ("down", pytest.approx(p_12))
    assert (rally["w2_3"]["before"], rally["w2_3"]["after"]) == (50.0, 45.0)
    assert rally["w2_3"]["direction"] == "flat"
    assert activism.steps_fact([], [], "pol_c", 1) == {"status": "first_wave"}
    wave2 = activism.steps_fact(activism.trend_records(_resp(), items, 2), [], "pol_c", 2)
    assert wave2["w1_2"]["direction"] == "down" and wave2["w2_3"] == {"status": "no_panel"}


def test_single_wave_items_and_sample_fact():
    cb = _codebook()
    resp = _resp()
    civic = activism.activity_items(cb, "civic")
    trend2 = activism.trend_records(resp, civic, 2)
    assert activism.single_wave_items(resp, trend2, ["civ_a", "civ_b"], 2) == {
        "new": ["civ_b"],
        "once": [],
    }
    latest = activism.latest_shares(resp, civic, 3)
    combined = activism.sample_fact(activism.figure_records([], latest))
    assert (combined["kind"], combined["last"], combined["n_min"], combined["n_same"]) == (
        "combined",
        3,
        150,
        True,
    )
    panel = activism.sample_fact(
        activism.figure_records(activism.trend_records(resp, civic, 3), latest)
    )
    assert (panel["kind"], panel["first"], panel["last"], panel["count"]) == ("panel", 1, 3, 3)
    assert (panel["n_max"], panel["pairs_status"], panel["pairs_max"]) == (N, "ok", N)
    assert activism.sample_fact(estimates.frame([])) == {"status": "not_asked"}


def test_tables_in_both_languages():
    cb = _codebook()
    latest = activism.latest_shares(_resp(), activism.activity_items(cb), 3)
    en = activism.latest_table(latest, Words("en", cb)).markdown()
    assert en.splitlines()[0] == "| Activity | Share | 95% interval | n |"
    assert "| Helped A | 40% |" in en and "| 150 |" in en
    ru = activism.latest_table(latest, Words("ru", cb)).markdown()
    assert "Активность" in ru and "40\u00a0%" in ru
    table = activism.change_table(_trend(), Words("en", cb)).markdown()
    assert "| Helped A | 1 → 3 | 100 | 40% → 60% | +20 (" in table
    assert "| rose |" in table and "| fell |" in table and "| not significant |" in table
    ru = activism.change_table(_trend(), Words("ru", cb)).markdown()
    assert "выросла" in ru and "снизилась" in ru and "п.\u00a0п." in ru.splitlines()[0]


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


# --- the chapter's words, rendered with the facts of the demo data -----------------------------
CHAPTER = Path(__file__).resolve().parents[1] / "notebooks" / "activism.md"


def _chapter_facts(resp: pd.DataFrame, cb: Codebook, wave: int) -> dict:
    """The facts of the chapter at ``wave``: the same calls as its code cells."""
    resp = activism.with_any_activity(resp[resp["wave"] <= wave], cb)
    civic = activism.activity_items(cb, "civic")
    political = activism.activity_items(cb, "political")
    items = activism.activity_items(cb)
    civpol = activism.any_variable(cb, activism.ANY_ALL)
    latest = activism.latest_shares(resp, items, wave)
    latest_any = activism.latest_shares(resp, activism.any_variables(cb), wave)
    trend = activism.trend_records(resp, [*items, civpol], wave)
    pair = activism.last_pair_records(resp, items, wave)
    steps = activism.step_records(resp, cb["pol_rally"], wave)
    trend_changes, pair_changes = activism.change_summary(trend), activism.change_summary(pair)
    facts = {
        "wave": wave,
        "min_n": estimates.MIN_CELL_N,
        "latest": activism.shares_fact(latest_any),
        "top": activism.ranking_fact(latest),
        "recall": activism.recall_fact(civpol, wave),
        "missing": activism.missing_fact(resp, cb, wave),
        "trend": activism.changes_fact(trend_changes, items),
        "trend_any": activism.item_fact(trend_changes, civpol),
        "pair": activism.changes_fact(pair_changes, items),
        "contrast": activism.contrast_fact(trend_changes, pair_changes),
        "civic": activism.domain_fact(resp, trend, latest, civic, wave),
        "political": activism.domain_fact(resp, trend, latest, political, wave),
        "rally": activism.steps_fact(trend, steps, "pol_rally", wave),
    }
    for name, group in (("civic", civic), ("political", political)):
        rows = activism.figure_records(
            activism.records_of(trend, group), activism.records_of(latest, group)
        )
        facts[f"{name}_fig"] = activism.sample_fact(rows)
    return report.plain(facts)


@pytest.mark.parametrize("wave", [1, 2, 3, 4])
def test_every_sentence_renders_at_each_wave(wave, wave4_resp, project):
    """Every message of the chapter's ``{words}`` renders in English with the demo's facts
    (wave 4: the synthetic wave of conftest, whose reference period the codebook does not
    record): no placeholder left, no ``nan``; at wave 1 the panel sentences say what this
    edition cannot show, and the sections on changes have nothing to say."""
    cb = load_codebook(project.codebook_file)
    text = CHAPTER.read_text(encoding="utf-8")
    block = re.search(r"\n:::\{words\}\n(.*?)\n:::\n", text, re.S).group(1)
    words = Words("en", cb)
    ids = words.add(block, str(CHAPTER))
    pasted = set(re.findall(r"\{say\}`([^`]+)`", text))
    assert pasted <= set(ids)
    # every message is pasted or used by one that is
    assert all(i in pasted or "{ " + i + " }" in block for i in ids)
    facts = _chapter_facts(wave4_resp, cb, wave)
    said = {i: words.say(i, facts) for i in pasted}
    for sentence in said.values():
        assert "{" not in sentence and "nan" not in sentence and "$" not in sentence
    assert said["activism-any"].startswith(f"In wave {wave}, ")
    if wave == 1:
        assert "from wave 2 on" in said["activism-panel"]
        assert said["activism-changes-intro"] == said["activism-contrast"] == ""
    else:
        assert "respondents who answered every wave so far" in said["activism-panel"]
        assert said["activism-changes-intro"] and said["activism-civic"].startswith("Between")
    assert (said["activism-contrast"] != "") == (wave >= 3)


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def _wave4_civic(resp: pd.DataFrame, cb: Codebook, domain: str = "civic") -> dict:
    resp = activism.with_any_activity(resp, cb)
    variables = activism.activity_items(cb, domain)
    trend = activism.trend_records(resp, variables, 4)
    latest = activism.latest_shares(resp, variables, 4)
    return activism.domain_fact(resp, trend, latest, variables, 4)


def test_wave4_items_are_asked_where_the_data_hold_answers(wave4_resp, without_answers, project):
    """The synthetic wave 4 of conftest (the codebook's ``waves`` stop at wave 3) asked the
    whole checklist: every item has a wave-4 share and the balanced panel runs to wave 4 (its
    n a hand count: the most complete wave-1/wave-4 pairs of a civic item among respondents
    of all four waves). Items made to be dropped in wave 4, asked first in wave 4, or asked
    only in wave 2 come out as such in the facts."""
    from wavebook import samples

    cb = load_codebook(project.codebook_file)
    items = activism.activity_items(cb)
    latest = activism.latest_shares(wave4_resp, items, 4)
    assert sorted(r["construct"] for r in latest) == sorted(v.name for v in items)
    panel = samples.panel(wave4_resp, (1, 2, 3, 4))
    n = max(
        len(samples.wide(panel, v.name)[[1, 4]].dropna())
        for v in activism.activity_items(cb, "civic")
        if v.name != "civ_donate_local_ngo_media"  # not asked in wave 1
    )
    civic = _wave4_civic(wave4_resp, cb)["change"]
    assert (civic["first"], civic["last"], civic["n"]) == (1, 4, n)
    other = civic["other"]
    assert other["keys"] == ["civ_donate_local_ngo_media"]
    assert (other["span"], other["first"], other["last"]) == ("later", 2, 4)
    resp = activism.with_any_activity(wave4_resp, cb)
    assert activism.missing_fact(resp, cb, 4)["keys"] == ["civ_donate_local_ngo_media"]

    dropped = without_answers(wave4_resp, ["pol_rally"], 4)
    assert "pol_rally" not in {r["construct"] for r in activism.latest_shares(dropped, items, 4)}
    political = _wave4_civic(dropped, cb, "political")["change"]
    # a tie of spans (one item each) is read over the edition's waves, 1 to 4
    assert (political["first"], political["last"]) == (1, 4)
    assert political["other"]["keys"] == ["pol_rally"]
    assert (political["other"]["span"], political["other"]["last"]) == ("earlier", 3)
    gaps = activism.missing_fact(activism.with_any_activity(dropped, cb), cb, 4)
    assert gaps["keys"] == ["civ_donate_local_ngo_media", "pol_rally"]
    assert (gaps["first"], gaps["last"], gaps["same"]) == (1, 4, False)

    new = wave4_resp
    for wave in (1, 2, 3):
        new = without_answers(new, ["civ_help_ru_migrants"], wave)
    assert _wave4_civic(new, cb)["new"] == ["civ_help_ru_migrants"]
    once = wave4_resp
    for wave in (1, 3, 4):
        once = without_answers(once, ["civ_help_ru_migrants"], wave)
    facts = _wave4_civic(once, cb)
    assert facts["once"] == ["civ_help_ru_migrants"] and facts["new"] == []
