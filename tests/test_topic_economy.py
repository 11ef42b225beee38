"""The economy chapter's analyses (``wavebook.topics.economy``), on small hand-made panels.

Every expected number below is a hand computation (counts divided by row totals) or comes from
an independent implementation named in the test: statsmodels' Wilson interval
(``proportion_confint(method="wilson")``), statsmodels' McNemar test
(``statsmodels.stats.contingency_tables.mcnemar``), statsmodels' Stuart–Maxwell test
(``SquareTable.homogeneity``) and scipy's Wilcoxon signed-rank test. The chapter's sentences
(the ``{words}`` blocks of ``notebooks/economy.md`` and ``notebooks/ru/economy.md``) are
rendered from the facts of waves 1, 2 and 3 in both languages.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import SquareTable, mcnemar
from statsmodels.stats.proportion import proportion_confint

from wavebook import estimates, samples
from wavebook.codebook import Code, Codebook, Variable, load_codebook
from wavebook.report import plain
from wavebook.topics import economy
from wavebook.words import Words, flatten

ROOT = Path(__file__).resolve().parents[1]

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


def test_wave_one_gives_statuses_not_errors():
    """Wave 1 did not ask the current ladder step: no ladder records, and facts that say so
    (the chapter leaves the ladder sections out and its edition note says why); the
    employment analyses still work (sample combined_w1)."""
    resp = _resp()
    cb = _codebook()
    first = resp[resp["wave"] == 1]
    assert economy.ladder_since_leaving(first, cb, 1) == []
    assert economy.ladder_panel(first, cb, 1) == []
    empty = estimates.frame([])
    assert economy.steps_facts(empty) == {"status": "not_asked"}
    assert economy.panel_facts(empty, 1) == {"status": "first_wave"}
    assert economy.transition_facts(empty) == {"status": "not_asked", "n": 0}
    # an edition knows only its own waves: it cannot name a later wave that asked
    assert economy.ladder_facts(first, 1) == {
        "now": "not_asked",
        "last": 0,
        "panel": "first_wave",
        "missing": 0,
        "previous": 0,
        "start": "none",
        "first": 0,
    }
    heatmap = economy.transition_heatmap(empty, "f", "economy-ladder-x", "economy-ladder-y")
    assert isinstance(heatmap, economy.Nothing)
    # a {table} directive needs a table even where {when} leaves it out: a single dash
    for table in (
        economy.transition_matrix_table(empty, cb["income_cat"]),
        economy.steps_table(empty),
    ):
        assert table.rows.to_numpy().tolist() == [["—"]]
    moves = estimates.frame(economy.employment_destinations(first, cb, 1))
    assert set(moves["sample"]) == {"combined_w1"}
    assert economy.destinations_facts(moves, 1)["sample"] == "wave"
    car = estimates.frame(economy.share_timeline(first, cb, 1, "income_cat", "car"))
    assert list(car["wave"]) == ["pre"]
    facts = economy.timeline_facts(car, 1)
    assert facts["now"] == {"status": "not_asked"} and facts["balanced"]["status"] == "first_wave"
    pre = first.set_index("resp_id")["income_cat_pre"]
    assert facts["pre"]["value"] == pytest.approx(100 * pre.isin([5, 6]).mean())
    assert facts["n_pre"] == len(pre) and facts["samples"] == []
    bench = pd.Series({"value": 5.0, "source": "Levada (probable)", "year": "2022"})
    assert economy.benchmark_facts(bench) == {"value": 5.0, "year": "2022"}


def test_wave_two_panel_facts_name_the_wave_that_did_not_ask():
    resp = _resp()
    cb = _codebook()
    upto2 = resp[resp["wave"] <= 2]
    assert economy.ladder_panel(upto2, cb, 2) == []
    assert economy.panel_facts(estimates.frame([]), 2) == {"status": "not_asked"}
    facts = economy.ladder_facts(upto2, 2)
    assert (facts["now"], facts["panel"], facts["missing"]) == ("ok", "not_asked", 1)
    assert (facts["start"], facts["first"]) == ("later", 2)
    assert economy.ladder_facts(resp, 3)["panel"] == "ok"


def test_paired_change_facts_follow_mcnemar_and_the_direction_rule():
    """The share who can afford a car (steps 5-6) before leaving and at wave 3 among the
    wave-3 respondents, by hand; McNemar's p from statsmodels (exact below 25 discordant
    pairs, else chi-square with continuity correction); the direction is the sign of the
    change when p < 0.05 and ``flat`` otherwise."""
    resp = _resp(300, seed=4)
    cb = _codebook()
    car = estimates.frame(economy.share_timeline(resp, cb, 3, "income_cat", "car"))
    now = economy.timeline_facts(car, 3)["now"]
    pre = resp[resp["wave"] == 1].set_index("resp_id")["income_cat_pre"].isin([5, 6])
    cur = resp[resp["wave"] == 3].set_index("resp_id")["income_cat"].isin([5, 6])
    assert now["before"] == pytest.approx(100 * pre.mean())
    assert now["after"] == pytest.approx(100 * cur.mean())
    table = pd.crosstab(pre, cur).reindex(index=[True, False], columns=[True, False], fill_value=0)
    discordant = table.loc[True, False] + table.loc[False, True]
    expected = mcnemar(table.to_numpy(), exact=discordant < 25, correction=True).pvalue
    assert now["p"] == pytest.approx(expected)
    change = 100 * (cur.mean() - pre.mean())
    assert now["value"] == pytest.approx(change)
    sign = "up" if change > 0 else "down"
    assert now["direction"] == (sign if expected < 0.05 else "flat")
    # the balanced panel: everyone answered every wave in this panel
    balanced = economy.timeline_facts(car, 3)["balanced"]
    assert balanced["status"] == "ok" and balanced["n"] == 300


def test_ladder_panel_facts_match_statsmodels_and_scipy():
    """Mean steps by hand; the direction of the average movement from scipy's signed-rank
    p-value and the sign of the difference of the means; ``differ`` from statsmodels'
    Stuart–Maxwell p-value at 0.05; the lowest group's "moved up" share by hand."""
    resp = _resp(300, seed=4)
    cb = _codebook()
    facts = economy.panel_facts(estimates.frame(economy.ladder_panel(resp, cb, 3)), 3)
    wide = samples.wide(resp, "income_cat")
    assert (facts["first"], facts["last"], facts["n"]) == (2, 3, 300)
    assert facts["mean_before"] == pytest.approx(wide[2].mean())
    assert facts["mean_after"] == pytest.approx(wide[3].mean())
    p = sps.wilcoxon(wide[2], wide[3], zero_method="wilcox").pvalue
    assert facts["p"] == pytest.approx(p)
    sign = "up" if wide[3].mean() > wide[2].mean() else "down"
    assert facts["direction"] == (sign if p < 0.05 else "flat")
    table = pd.crosstab(wide[2], wide[3]).reindex(
        index=range(1, 7), columns=range(1, 7), fill_value=0
    )
    sm = SquareTable(table.to_numpy(), shift_zeros=False).homogeneity(method="stuart_maxwell")
    assert facts["differ"] == (sm.pvalue < 0.05)
    low = wide[wide[2] <= 2]
    assert facts["low_up"]["value"] == pytest.approx(100 * (low[3] >= 3).mean())
    assert facts["cells"] == {"status": "ok", "n": 300}


def test_destination_facts_rank_the_other_situations_by_hand():
    """Hand count: the share still with a Russian company and the three largest other
    situations, largest first, as codebook keys."""
    resp = _resp(400, seed=7)
    cb = _codebook()
    facts = economy.destinations_facts(
        estimates.frame(economy.employment_destinations(resp, cb, 3)), 3
    )
    pre = resp[resp["wave"] == 1].set_index("resp_id")["employment_type_pre"]
    now = resp[resp["wave"] == 3].set_index("resp_id")["employment_type"]
    base = now[pre == "ru_company"]
    counts = base.value_counts()
    assert facts["stayed"]["value"] == pytest.approx(100 * counts["ru_company"] / len(base))
    others = counts.drop("ru_company")
    ranked = [facts[f"top{i}"] for i in (1, 2, 3)]
    assert [r["value"] for r in ranked] == pytest.approx(
        list(100 * others.sort_values(ascending=False).head(3) / len(base))
    )
    assert all(r["key"].startswith("employment_type:") for r in ranked)
    assert (facts["sample"], facts["from_wave"], facts["to_wave"], facts["n"]) == (
        "panel",
        1,
        3,
        len(base),
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


def test_charts_carry_aggregates_only_and_speak_the_edition_language():
    resp = _resp(300)
    cb = _codebook()
    since = estimates.frame(economy.ladder_since_leaving(resp, cb, 3))
    fig = economy.transition_heatmap(
        since,
        "fig-x",
        "economy-ladder-x",
        "economy-ladder-y",
        facts={"wave": 3},
        words=Words("ru", cb),
    )
    assert "resp_id" not in fig.data.columns and len(fig.data) <= 36
    assert fig.spec["layer"][0]["encoding"]["x"]["title"] == "Ступень в 3-й волне"
    car = estimates.frame(economy.share_timeline(resp, cb, 3, "income_cat", "car"))
    chart = economy.timeline_chart(car, "fig-y", "economy-car-axis", words=Words("ru", cb))
    assert len(chart.data) == len(car[car["statistic"] == "share"])
    assert "До отъезда" in str(chart.spec)


def test_heatmap_and_table_write_a_cell_alike():
    """The heatmap's cell text and the table cell use one formatter (the HTML review found
    31 in the chart against 30% in the table for a share of 30.5); checked by hand on the
    half 11.5 (written 12 in both), and on every cell of a simulated table, in both
    languages."""
    assert economy.cell_text(11.5) == "12" and economy.cell_text(30.5) == "30"
    resp = _resp(300)
    cb = _codebook()
    since = estimates.frame(economy.ladder_since_leaving(resp, cb, 3))
    for lang, unit in (("en", "%"), ("ru", "\u00a0%")):
        words = Words(lang, cb)
        fig = economy.transition_heatmap(
            since, "fig-x", "economy-ladder-x", "economy-ladder-y", facts={"wave": 3}, words=words
        )
        rows = economy.transition_matrix_table(since, cb["income_cat"], words).rows
        table = rows.set_index(rows.columns[0])
        labels = {str(c.code): f"{c.code}. {c.text(lang)}" for c in cb["income_cat"].codes}
        for row in fig.data.to_dict("records"):
            column = words.say("economy-table-to", {"code": row["to"]})
            assert table.loc[labels[row["from"]], column] == f"{row['label']}{unit}"


def test_employment_labels_for_charts_are_short_in_both_languages():
    """Hand check on the codebook's longest employment labels (the PDF truncated them): the
    short forms drop the bracketed asides."""
    cb = load_codebook(ROOT / "data" / "codebook.yml")
    for lang in ("en", "ru"):
        words = Words(lang, cb)
        labels = [
            words.label(f"employment_type:{c.code}", "short") for c in cb["employment_type"].codes
        ]
        assert "(" not in "".join(labels) and max(len(x) for x in labels) <= 40


# --- the chapter's words, rendered from the facts of each wave --------------------------------
def _chapter_words(path: Path) -> tuple[str, dict[str, tuple[str, list[str]] | None]]:
    """The ``{words}`` block of a chapter file and each pasted sentence with the ``{when}``
    condition it sits under (``None`` outside any)."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^:::\{words\}\n(.*?)^:::$", text, flags=re.S | re.M).group(1)
    said: dict[str, tuple[str, list[str]] | None] = {}
    for fact, values, body in re.findall(
        r"^::::\{when\} (\S+)(.*?)\n(.*?)^::::$", text, flags=re.S | re.M
    ):
        for message in re.findall(r"\{say\}`([^`]+)`", body):
            said[message] = (fact, values.split())
    for message in re.findall(r"\{say\}`([^`]+)`", text):
        said.setdefault(message, None)
    return block, said


def _facts(resp: pd.DataFrame, cb: Codebook, wave: int) -> dict:
    """The facts the chapter records at ``wave``, made by the chapter's own calls."""
    resp = resp[resp["wave"] <= wave]
    car = estimates.frame(economy.share_timeline(resp, cb, wave, "income_cat", "income_car"))
    russian = estimates.frame(
        economy.share_timeline(resp, cb, wave, "employment_type", "employment_ru")
    )
    waves = pd.DataFrame(
        {"wave": [1, 2, 3], "field_end": ["2022-04-04", "2022-09-30", "2023-07-31"]}
    )
    bench = pd.Series({"value": 5.0, "source": "Levada", "year": "2022"})
    return plain(
        {
            "wave": wave,
            "synthetic": True,
            "min_n": estimates.MIN_CELL_N,
            "ladder": economy.ladder_facts(resp, wave),
            "car": economy.timeline_facts(car, wave),
            "bench": economy.benchmark_facts(bench),
            "steps": economy.steps_facts(estimates.frame(economy.ladder_steps(resp, cb, wave))),
            "since": economy.transition_facts(
                estimates.frame(economy.ladder_since_leaving(resp, cb, wave))
            ),
            "panel": economy.panel_facts(
                estimates.frame(economy.ladder_panel(resp, cb, wave)), wave
            ),
            "russian": economy.timeline_facts(russian, wave),
            "moves": economy.destinations_facts(
                estimates.frame(economy.employment_destinations(resp, cb, wave)), wave
            ),
            "recall": economy.recall_facts(waves, wave),
        }
    )


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_sentence_renders_in_both_languages_at_waves_1_to_3(lang):
    """Every message of the chapter's ``{words}`` block renders from the facts of waves 1, 2
    and 3 (synthetic panel, real codebook labels): no missing fact, no raw placeholder, no
    ``nan``; what a wave cannot show renders empty. Russian plural and case forms by hand."""
    cb = load_codebook(ROOT / "data" / "codebook.yml")
    path = ROOT / "notebooks" / ("economy.md" if lang == "en" else "ru/economy.md")
    block, said = _chapter_words(path)
    resp = _resp(300, seed=4)
    rendered = {}
    for wave in (1, 2, 3):
        words = Words(lang, cb)
        ids = words.add(block, str(path))
        assert set(said) <= set(ids)
        facts = _facts(resp, cb, wave)
        flat = flatten(facts)
        shown = [m for m, when in said.items() if when is None or str(flat.get(when[0])) in when[1]]
        rendered[wave] = {m: words.say(m, facts) for m in shown}
        for text in rendered[wave].values():
            assert "{" not in text and "nan" not in text and "$" not in text
    assert rendered[1]["kf-steps"] == rendered[1]["panel-text"] == ""
    assert "ladder-text" not in rendered[1] and "panel-caption" not in rendered[2]
    assert rendered[2]["panel-text"] == "" and rendered[3]["panel-text"]
    assert rendered[1]["kf-edition"] and rendered[2]["kf-edition"]
    assert rendered[3]["kf-edition"] == ""
    if lang == "ru":
        assert (
            rendered[3]["recall-note"] == "не позже чем через 17 месяцев после 24 февраля 2022 года"
        )
        assert rendered[1]["recall-note"].startswith("не позже чем через 6 недель")
        assert rendered[2]["kf-edition"].startswith("В 1-й волне")
        assert "и во 2-й, и в 3-й волне" in rendered[3]["panel-caption"]
        assert "n\u00a0=\u00a0300" in rendered[3]["panel-caption"]
    else:
        assert rendered[3]["recall-note"] == "up to 17 months after 24 February 2022"


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def test_wave4_asked_the_ladder_by_its_data_not_the_codebook(wave4_resp, without_answers, project):
    """The synthetic wave 4 of conftest (the codebook's ``waves`` name only waves 1-3) asked the
    present ladder step: the ladder facts say so (it used to raise ValueError), the panel of
    waves 3 and 4 is compared, and the panel's n is a hand count of the wave-3 respondents
    copied into wave 4 with a step 1-6 at both waves."""
    cb = load_codebook(project.codebook_file)
    facts = economy.ladder_facts(wave4_resp, 4)
    assert (facts["now"], facts["panel"], facts["start"], facts["first"]) == (
        "ok",
        "ok",
        "later",
        2,
    )
    panel = estimates.frame(economy.ladder_panel(wave4_resp, cb, 4))
    assert set(panel["sample"]) == {"panel_3_4"}
    both = samples.wide(samples.panel(wave4_resp, (3, 4)), "income_cat")
    on_ladder = both[3].between(1, 6) & both[4].between(1, 6)
    mean4 = panel[(panel["statistic"] == "mean") & (panel["wave"] == "4")].iloc[0]
    assert mean4["n"] == on_ladder.sum()
    assert mean4["value"] == pytest.approx(both.loc[on_ladder, 4].mean())
    told = economy.panel_facts(panel, 4)
    assert (told["status"], told["first"], told["last"]) == ("ok", 3, 4)
    # the start of the ladder is the one of the wave-3 edition
    wave3 = wave4_resp[wave4_resp["wave"] <= 3]
    assert economy.ladder_facts(wave3, 3)["first"] == facts["first"] == 2

    # a wave 4 that dropped the present step: not asked, and the last wave that asked is named
    dropped = without_answers(wave4_resp, ["income_cat"], 4)
    assert economy.ladder_panel(dropped, cb, 4) == []
    assert economy.ladder_since_leaving(dropped, cb, 4) == []
    facts = economy.ladder_facts(dropped, 4)
    assert (facts["now"], facts["last"], facts["panel"], facts["missing"]) == (
        "not_asked",
        3,
        "not_asked",
        4,
    )


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
