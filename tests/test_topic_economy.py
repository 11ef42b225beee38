"""The economy chapter's analyses (``wavebook.topics.economy``), on small hand-made panels.

Every expected number below is a hand computation (counts divided by row totals) or comes from
an independent implementation named in the test: statsmodels' Wilson interval
(``proportion_confint(method="wilson")``), statsmodels' Stuart–Maxwell test
(``SquareTable.homogeneity``) and scipy's Wilcoxon signed-rank test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import SquareTable
from statsmodels.stats.proportion import proportion_confint

from wavebook import estimates, samples
from wavebook.codebook import Code, Codebook, Variable, load_codebook
from wavebook.topics import economy

LADDER = [Code(code=i, en=f"step {i}", ru=f"ступень {i}") for i in range(1, 7)]
JOBS = [
    "ru_company",
    "intl_company",
    "local_company",
    "freelance",
    "own_business",
    "unemployed",
    "student",
    "other",
]


def _codebook() -> Codebook:
    jobs = [Code(code=j, en=j.replace("_", " ").title(), ru=j) for j in JOBS]
    return Codebook(
        version=1,
        variables=[
            Variable(
                name="income_cat",
                type="ordinal",
                label_en="Income now",
                label_ru="Доход",
                waves=[2, 3],
                codes=LADDER,
                share_cut=[5, 6],
            ),
            Variable(
                name="income_cat_pre",
                type="ordinal",
                label_en="Income before",
                label_ru="Доход до",
                waves=[1, 2, 3],
                codes=LADDER,
                share_cut=[5, 6],
            ),
            Variable(
                name="employment_type",
                type="nominal",
                label_en="Employment now",
                label_ru="Работа",
                waves=[1, 2, 3],
                codes=jobs,
                share_cut=["ru_company"],
            ),
            Variable(
                name="employment_type_pre",
                type="nominal",
                label_en="Employment before",
                label_ru="Работа до",
                waves=[1, 2, 3],
                codes=jobs,
                share_cut=["ru_company"],
            ),
        ],
    )


def _resp(n: int = 120, seed: int = 1) -> pd.DataFrame:
    """A three-wave panel: everyone answers every wave; wave 1 has no current income."""
    rng = np.random.default_rng(seed)
    ids = [f"r{i:04d}" for i in range(n)]
    pre = rng.integers(1, 7, n)
    pre_job = rng.choice(JOBS[:2] + JOBS[3:], n)
    rows = []
    for wave in (1, 2, 3):
        now = np.clip(pre - rng.integers(0, 3, n) + (wave == 3), 1, 6)
        rows.append(
            pd.DataFrame(
                {
                    "resp_id": ids,
                    "wave": wave,
                    "income_cat_pre": pre.astype(float) if wave == 1 else np.nan,
                    "income_cat": np.nan if wave == 1 else now.astype(float),
                    "employment_type_pre": pre_job if wave == 1 else None,
                    "employment_type": rng.choice(JOBS, n),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_entry_answer_takes_the_first_answer_over_the_waves():
    """Hand-made: the retrospective item is only on the entry row of each respondent."""
    resp = pd.DataFrame(
        {"resp_id": ["a", "a", "b", "c"], "wave": [1, 2, 2, 3], "x": [4.0, np.nan, 2.0, np.nan]}
    )
    assert samples.entry_answer(resp, "x").to_dict() == {"a": 4.0, "b": 2.0}


def test_transition_shares_match_a_hand_count_and_statsmodels_wilson():
    """Row shares by hand (12/40 etc.); intervals from statsmodels' Wilson interval."""
    before = pd.Series([1] * 40 + [2] * 50)
    after = pd.Series([1] * 28 + [2] * 12 + [1] * 5 + [2] * 45)
    rows = economy.transition_records(
        before,
        after,
        [1, 2],
        key="k",
        construct="x",
        wave="1->2",
        sample="s",
        from_name="a",
        to_name="b",
    )
    got = {r["subgroup"]: r for r in rows}
    assert got["a=1;b=2"]["value"] == pytest.approx(100 * 12 / 40)
    assert got["a=2;b=1"]["value"] == pytest.approx(100 * 5 / 50)
    assert got["a=2;b=1"]["n"] == 50 and got["a=1;b=1"]["n"] == 40
    low, high = proportion_confint(12, 40, method="wilson")
    assert got["a=1;b=2"]["ci_low"] == pytest.approx(100 * low)
    assert got["a=1;b=2"]["ci_high"] == pytest.approx(100 * high)
    assert all(r["statistic"] == "transition_share" for r in rows)


def test_a_small_row_is_withheld_with_a_second_row_to_protect_it():
    """Hand-made: row 3 has 10 respondents (< MIN_CELL_N); withheld alone, it could be
    recovered from the column totals, so the smallest other row (row 1, 35) goes too."""
    before = pd.Series([1] * 35 + [2] * 60 + [3] * 10)
    after = pd.Series([1] * 35 + [2] * 60 + [1] * 10)
    rows = economy.transition_records(
        before,
        after,
        [1, 2, 3],
        key="k",
        construct="x",
        wave="1->2",
        sample="s",
        from_name="a",
        to_name="b",
    )
    withheld = {r["subgroup"].split(";")[0] for r in rows if r["suppressed"]}
    assert withheld == {"a=1", "a=3"}
    assert all(math.isnan(r["value"]) for r in rows if r["suppressed"])
    assert all(not r["suppressed"] for r in rows if r["subgroup"].startswith("a=2;"))


def test_an_empty_row_does_not_trigger_secondary_suppression():
    """Hand-made: a category nobody started from reveals nothing; no row is withheld for it."""
    before = pd.Series([1] * 40 + [2] * 40)
    after = pd.Series([3] * 40 + [2] * 40)
    rows = economy.transition_records(
        before,
        after,
        [1, 2, 3],
        key="k",
        construct="x",
        wave="1->2",
        sample="s",
        from_name="a",
        to_name="b",
    )
    assert not any(r["suppressed"] for r in rows if r["n"] > 0)


def test_step_changes_partition_the_pairs():
    """Hand count of step differences; the five shares of the partition add up to 100."""
    before = pd.Series([6, 6, 5, 4, 3, 2] * 10)
    after = pd.Series([2, 4, 4, 4, 4, 2] * 10)  # −4, −2, −1, 0, +1, 0
    rows = {
        r["subgroup"]: r["value"]
        for r in economy.step_change_records(
            before, after, key="k", construct="x", wave="pre->2", sample="s", difference="x-x_pre"
        )
    }
    assert rows["change=fell_3plus"] == pytest.approx(100 / 6)
    assert rows["change=fell_2"] == pytest.approx(100 / 6)
    assert rows["change=fell_1"] == pytest.approx(100 / 6)
    assert rows["change=same"] == pytest.approx(200 / 6)
    assert rows["change=rose"] == pytest.approx(100 / 6)
    assert rows["change=fell_any"] == pytest.approx(50.0)
    assert sum(rows[f"change={s}"] for s in economy.STEPS) == pytest.approx(100.0)


def test_paired_shares_and_change_use_the_same_respondents():
    """Hand-made: 40 complete pairs (the NaN row is dropped from both points); McNemar by
    hand: 10 discordant pairs, all 1 -> 0, exact two-sided p = 2 · 0.5^10."""
    answers = pd.DataFrame(
        {"pre": [1.0] * 30 + [0.0] * 10 + [1.0], 3: [1.0] * 20 + [0.0] * 20 + [np.nan]}
    )
    rows = economy.paired_share_records(
        answers, {"pre": "x_pre", 3: "x"}, key="k", sample="s", counted={"pre": "1", 3: "1"}
    )
    by_key = {r["key"]: r for r in rows}
    assert by_key["k_share_pre_s"]["n"] == 40 and by_key["k_share_pre_s"]["value"] == 75.0
    assert by_key["k_share_w3_s"]["value"] == 50.0
    change = by_key["k_change_pre_w3_s"]
    assert change["value"] == pytest.approx(-25.0)
    assert change["p_value"] == pytest.approx(2 * 0.5**10)


def test_ladder_panel_tests_match_statsmodels_and_scipy():
    """Stuart–Maxwell against statsmodels ``SquareTable.homogeneity``; signed rank against
    ``scipy.stats.wilcoxon``; the lowest group's "moved up" share by hand."""
    resp = _resp(300, seed=4)
    cb = _codebook()
    rows = pd.DataFrame(economy.ladder_panel(resp, cb, 3))
    wide = samples.wide(resp, "income_cat")
    table = pd.crosstab(wide[2], wide[3]).reindex(
        index=range(1, 7), columns=range(1, 7), fill_value=0
    )
    expected = SquareTable(table.to_numpy(), shift_zeros=False).homogeneity(method="stuart_maxwell")
    got = rows.set_index("subgroup")
    assert got.loc["test=stuart_maxwell", "p_value"] == pytest.approx(expected.pvalue)
    wilcoxon = sps.wilcoxon(wide[2], wide[3], zero_method="wilcox")
    assert got.loc["test=signed_rank", "p_value"] == pytest.approx(wilcoxon.pvalue)
    low = wide[wide[2] <= 2]
    assert got.loc["income_cat_group=low;moved=up", "value"] == pytest.approx(
        100 * (low[3] >= 3).mean()
    )
    assert got.loc["income_cat_group=low;moved=up", "n"] == len(low)


def test_wave_one_gives_notes_not_errors():
    """Wave 1 did not ask the current ladder step: no ladder records, short notes instead (the
    key findings drop the ladder items and say once why), and the employment analyses still
    work (sample combined_w1). Changed in the fix round: the notes moved from every sentence
    to one edition note."""
    resp = _resp()
    cb = _codebook()
    first = resp[resp["wave"] == 1]
    assert economy.ladder_since_leaving(first, cb, 1) == []
    assert economy.ladder_panel(first, cb, 1) == []
    empty = estimates.frame([])
    assert economy.steps_finding(empty, 1) == "" and economy.panel_finding(empty, 1) == ""
    assert "Wave 1 did not ask" in economy.ladder_text(empty, 1)
    assert "single wave" in economy.ladder_panel_sentence(empty, first, 1)
    assert "first wave" in economy.edition_note(first, 1)
    # an edition knows only its own waves: it cannot say when the item was first asked
    assert "first asked" not in economy.edition_note(first, 1)
    assert economy.ladder_start_note(first, 1) == "Wave 1 did not ask the present step."
    assert "n = —" not in economy.ladder_caption(empty, 1) + economy.panel_caption(empty, 1)
    assert isinstance(economy.transition_heatmap(empty, "f", "x", "y"), economy.wr.Text)
    moves = estimates.frame(economy.employment_destinations(first, cb, 1))
    assert set(moves["sample"]) == {"combined_w1"}
    car = estimates.frame(economy.share_timeline(first, cb, 1, "income_cat", "car"))
    assert list(car["wave"]) == ["pre"]
    bench = pd.Series({"value": 5.0, "source": "Levada (probable)", "year": "2022"})
    finding = economy.car_finding(car, 1, bench)
    assert "Before leaving" in finding and "probable" not in finding


def test_wave_two_panel_note_names_the_wave_that_did_not_ask():
    resp = _resp()
    cb = _codebook()
    upto2 = resp[resp["wave"] <= 2]
    assert economy.ladder_panel(upto2, cb, 2) == []
    note = economy.ladder_panel_sentence(estimates.frame([]), upto2, 2)
    assert "Wave 1 did not ask" in note
    assert "Wave 1 did not ask" in economy.edition_note(upto2, 2)
    assert economy.edition_note(resp, 3) == ""
    assert economy.ladder_start_note(resp, 3) == (
        "Wave 1 did not ask the present step, so changes on the ladder start in wave 2."
    )


def test_destinations_are_row_shares_of_the_russian_company_employees():
    """Hand count: among panel_1_3 respondents with ru_company before leaving, the share in
    each wave-3 category; keys stable and unique."""
    resp = _resp(400, seed=7)
    cb = _codebook()
    rows = pd.DataFrame(economy.employment_destinations(resp, cb, 3))
    assert rows["key"].is_unique and set(rows["sample"]) == {"panel_1_3"}
    pre = resp[resp["wave"] == 1].set_index("resp_id")["employment_type_pre"]
    now = resp[resp["wave"] == 3].set_index("resp_id")["employment_type"]
    base = now[pre == "ru_company"]
    got = rows.set_index("subgroup")
    for job in JOBS:
        sub = f"employment_type_pre=ru_company;employment_type_w3={job}"
        assert got.loc[sub, "value"] == pytest.approx(100 * (base == job).mean())
        assert got.loc[sub, "n"] == len(base)


def test_charts_carry_aggregates_only():
    resp = _resp(300)
    cb = _codebook()
    since = estimates.frame(economy.ladder_since_leaving(resp, cb, 3))
    fig = economy.transition_heatmap(since, "fig-x", "now", "before")
    assert "resp_id" not in fig.data.columns and len(fig.data) <= 36
    car = estimates.frame(economy.share_timeline(resp, cb, 3, "income_cat", "car"))
    assert len(economy.timeline_chart(car, "fig-y", "%").data) == len(
        car[car["statistic"] == "share"]
    )


def test_heatmap_and_table_write_a_cell_alike():
    """The heatmap's cell text and the table cell use one formatter (the HTML review found
    31 in the chart against 30% in the table for a share of 30.5); checked by hand on the
    half 11.5 (written 12 in both), and on every cell of a simulated table."""
    assert economy.cell_text(11.5) + "%" == economy.wr.pct(11.5) == "12%"
    resp = _resp(300)
    cb = _codebook()
    since = estimates.frame(economy.ladder_since_leaving(resp, cb, 3))
    fig = economy.transition_heatmap(since, "fig-x", "now", "before")
    table = economy.transition_matrix_table(since, cb["income_cat"]).rows.set_index("From")
    labels = {str(c.code): f"{c.code}. {c.en}" for c in cb["income_cat"].codes}
    for row in fig.data.to_dict("records"):
        assert table.loc[labels[row["from"]], f"To {row['to']}"] == f"{row['label']}%"


def test_short_labels_drop_bracketed_asides():
    """Hand check on the codebook's longest employment labels (the PDF truncated them)."""
    cb = _codebook()
    var = cb["employment_type"]
    labels = [economy.short_label(var.label(c.code)) for c in var.codes]
    assert "(" not in "".join(labels) and max(len(x) for x in labels) <= 40


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def test_wave4_asked_the_ladder_by_its_data_not_the_codebook(wave4_resp, without_answers, project):
    """The synthetic wave 4 of conftest (the codebook's ``waves`` name only waves 1-3) asked the
    present ladder step: the edition note is empty (it used to raise ValueError), the panel of
    waves 3 and 4 is compared, and the panel's n is a hand count of the wave-3 respondents
    copied into wave 4 with a step 1-6 at both waves."""
    cb = load_codebook(project.codebook_file)
    assert economy.edition_note(wave4_resp, 4) == ""
    panel = estimates.frame(economy.ladder_panel(wave4_resp, cb, 4))
    assert set(panel["sample"]) == {"panel_3_4"}
    both = samples.wide(samples.panel(wave4_resp, (3, 4)), "income_cat")
    on_ladder = both[3].between(1, 6) & both[4].between(1, 6)
    mean4 = panel[(panel["statistic"] == "mean") & (panel["wave"] == "4")].iloc[0]
    assert mean4["n"] == on_ladder.sum()
    assert mean4["value"] == pytest.approx(both.loc[on_ladder, 4].mean())
    assert economy.ladder_panel_sentence(panel, wave4_resp, 4).startswith(
        "Here the same people are compared with themselves"
    )
    # the note on the first wave that asked is the one of the wave-3 edition
    wave3 = wave4_resp[wave4_resp["wave"] <= 3]
    assert (
        economy.ladder_start_note(wave4_resp, 4)
        == economy.ladder_start_note(wave3, 3)
        == ("Wave 1 did not ask the present step, so changes on the ladder start in wave 2.")
    )

    # a wave 4 that dropped the present step: not asked, and the last wave that asked is named
    dropped = without_answers(wave4_resp, ["income_cat"], 4)
    assert economy.ladder_panel(dropped, cb, 4) == []
    assert economy.ladder_since_leaving(dropped, cb, 4) == []
    assert economy.edition_note(dropped, 4) == (
        "Wave 4 asked about the household's situation before leaving but not about its "
        "present one (last asked in wave 3), so this edition shows no change on the ladder."
    )
    assert economy.ladder_panel_sentence(estimates.frame([]), dropped, 4) == (
        "Wave 4 did not ask about the present step, so waves 3 and 4 cannot be compared."
    )


def test_wave4_key_findings_run_on_the_chapter_calls(wave4_resp, project):
    """The economy chapter's calls at wave 4 (as notebooks/economy.md makes them) give a
    panel finding for waves 3 and 4 and no edition note."""
    cb = load_codebook(project.codebook_file)
    records = {
        "car": economy.share_timeline(wave4_resp, cb, 4, "income_cat", "income_car"),
        "steps": economy.ladder_steps(wave4_resp, cb, 4),
        "panel": economy.ladder_panel(wave4_resp, cb, 4),
        "russian": economy.share_timeline(wave4_resp, cb, 4, "employment_type", "employment_ru"),
        "moves": economy.employment_destinations(wave4_resp, cb, 4),
    }
    frames = {k: estimates.frame(v) for k, v in records.items()}
    bench = pd.Series({"value": 5.0, "source": "Levada", "year": "2022"})
    findings = str(economy.key_findings(wave4_resp, cb, 4, **frames, benchmark=bench))
    assert "Between waves 3 and 4, the " in findings
    assert "asked about the household's situation before leaving but not" not in findings


def test_answers_name_the_codes_counted():
    """Destination codes of transition shares, the ladder steps a grouped move ends on
    (groups 1–2, 3–4, 5–6, written out by hand), the step rule of each movement share and the
    codebook cut of the car and Russian-company shares."""
    resp = _resp(300, seed=4)
    cb = _codebook()
    panel = {r["subgroup"]: r["answers"] for r in economy.ladder_panel(resp, cb, 3)}
    assert panel["income_cat_w2=1;income_cat_w3=4"] == "4"
    assert {k: v for k, v in panel.items() if k.startswith("income_cat_group=")} == {
        "income_cat_group=low;moved=same": "1|2",
        "income_cat_group=low;moved=up": "3|4|5|6",
        "income_cat_group=middle;moved=down": "1|2",
        "income_cat_group=middle;moved=same": "3|4",
        "income_cat_group=middle;moved=up": "5|6",
        "income_cat_group=high;moved=down": "1|2|3|4",
        "income_cat_group=high;moved=same": "5|6",
    }
    assert panel["test=stuart_maxwell"] == ""  # a p-value counts nothing
    steps = {r["subgroup"]: r["answers"] for r in economy.ladder_steps(resp, cb, 3)}
    assert steps["change=fell_3plus"] == "income_cat-income_cat_pre<=-3"
    assert steps["change=rose"] == "income_cat-income_cat_pre>=1"
    jobs = economy.employment_destinations(resp, cb, 3)
    assert {r["answers"] for r in jobs} == set(JOBS)
    for item, cut in (("income_cat", "5|6"), ("employment_type", "ru_company")):
        rows = economy.share_timeline(resp, cb, 3, item, "k")
        assert {(r["statistic"], r["answers"]) for r in rows} == {
            ("share", cut),
            ("change_pp", cut),
        }
