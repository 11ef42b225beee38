"""The portrait chapter's analysis (``wavebook.topics.portrait``).

Numbers are checked against statsmodels' Wilson interval, scipy's t interval or a hand count;
each test says which.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
import scipy.stats as sps
from statsmodels.stats.proportion import proportion_confint

from wavebook import estimates
from wavebook.codebook import load_codebook
from wavebook.topics import portrait as pt
from wavebook.words import Words, use_codebook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def codebook():
    book = load_codebook(ROOT / "data" / "codebook.yml")
    use_codebook(book)  # as a chapter does (report.open_chapter)
    return book


@pytest.fixture(scope="module")
def benchmarks():
    return pd.read_csv(ROOT / "data" / "benchmarks.csv", dtype={"year": "string"})


def _resp(n: int = 40) -> pd.DataFrame:
    """Wave 1: ``n`` respondents; wave 2: the first half again (entry items left blank) and
    ``n // 2`` newcomers. Education: every fourth respondent below higher education."""
    ids = [f"r{i}" for i in range(n)]
    w1 = pd.DataFrame(
        {
            "resp_id": ids,
            "wave": 1,
            "age": [20 + i for i in range(n)],
            "education": [1 if i % 4 == 0 else 2 for i in range(n)],
            "prewar_activism_rally": [1.0 if i < 10 else 0.0 for i in range(n)],
            "prewar_activism_petition": [1.0 if 5 <= i < 20 else 0.0 for i in range(n)],
        }
    )
    back = pd.DataFrame(
        {
            "resp_id": ids[: n // 2],
            "wave": 2,
            "age": math.nan,
            "education": math.nan,
            "prewar_activism_rally": math.nan,
            "prewar_activism_petition": math.nan,
        }
    )
    new_ids = [f"n{i}" for i in range(n // 2)]
    new = pd.DataFrame(
        {
            "resp_id": new_ids,
            "wave": 2,
            "age": 50.0,
            "education": 3.0,
            "prewar_activism_rally": 0.0,
            "prewar_activism_petition": 0.0,
        }
    )
    return pd.concat([w1, back, new], ignore_index=True)


def test_compare_side():
    """Hand-made cases: benchmark below, above, inside and on the limit of the interval."""
    assert pt.compare_side(50, 45, 55, 40) == "below"
    assert pt.compare_side(50, 45, 55, 60) == "above"
    assert pt.compare_side(50, 45, 55, 50) == "inside"
    assert pt.compare_side(50, 45, 55, 45) == "inside"  # limits count as inside
    assert pt.compare_side(math.nan, math.nan, math.nan, 46) == "none"


def test_entry_answers_carry_forward():
    """Hand count: panelists keep their wave-1 answer, newcomers give their own."""
    resp = _resp()
    ages = pt.entry_answers(resp, "age", 2)
    assert ages.tolist() == [20 + i for i in range(20)] + [50.0] * 20


def test_asked_at_entry_reads_the_codebook(codebook):
    """The codebook notes "Asked at entry." for age and the first pre-war option only."""
    assert pt.asked_at_entry(codebook, "age")
    assert pt.asked_at_entry(codebook, "prewar_activism_volunteer")  # via its question
    assert pt.asked_at_entry(codebook, "prewar_activism")
    assert not pt.asked_at_entry(codebook, "trust_ru_president")


def test_share_record_matches_statsmodels_wilson(codebook):
    """Education (codes 2–3) at wave 2: 15 of 20 panelists (entry answers) + 20 of 20
    newcomers = 35 of 40; interval from statsmodels ``proportion_confint(method="wilson")``."""
    resp = _resp()
    (rec,) = pt.records(resp, codebook, [pt.Item("education")], 2)
    low, high = proportion_confint(35, 40, alpha=0.05, method="wilson")
    assert rec["key"] == "education_share_w2_combined"
    assert rec["sample"] == "combined_w2"
    assert rec["n"] == 40
    assert rec["value"] == pytest.approx(87.5)
    assert (rec["ci_low"], rec["ci_high"]) == pytest.approx((100 * low, 100 * high))


def test_mean_record_matches_scipy_t(codebook):
    """Mean age at wave 2 against scipy's t interval on the same 40 numbers."""
    resp = _resp()
    ages = [20 + i for i in range(20)] + [50.0] * 20
    (rec,) = pt.records(resp, codebook, [pt.PROFILE[0]], 2)
    mean = sum(ages) / 40
    low, high = sps.t.interval(0.95, 39, loc=mean, scale=sps.sem(ages))
    assert rec["statistic"] == "mean"
    assert rec["value"] == pytest.approx(mean)
    assert (rec["ci_low"], rec["ci_high"]) == pytest.approx((low, high))


def test_prewar_any_of_the_options(codebook):
    """Hand count at wave 1: rally for r0–r9, petition for r5–r19, so any = r0–r19 = 20 of
    40 (options absent from the frame count as not asked, not as 0)."""
    resp = _resp()
    items = pt.prewar_items(codebook)
    recs = pt.records(resp, codebook, items, 1)
    by_key = {r["key"]: r for r in recs}
    assert by_key["prewar_activism_any_share_w1_combined"]["value"] == pytest.approx(50.0)
    assert by_key["prewar_activism_rally_share_w1_combined"]["value"] == pytest.approx(25.0)
    assert "prewar_activism_donate_share_w1_combined" not in by_key  # not in the frame


def test_not_asked_gives_a_status_not_an_error(codebook, benchmarks):
    """Wave 1 never asked the gender-attitude items: no record, the items' and the section's
    status is ``not_asked``, and the topic is named among those the wave did not ask."""
    resp = _resp()
    recs = estimates.frame(pt.records(resp, codebook, pt.GENDER_ITEMS, 1))
    comp = pt.comparison(recs, benchmarks, codebook, pt.GENDER_ITEMS)
    assert recs.empty and comp.empty
    assert pt.item_fact(comp, "ga_men_better_execs") == {"status": "not_asked"}
    assert pt.section_fact(comp) == {"status": "not_asked"}
    topics = {"pt-topic-profile": [pt.Item("education")], "pt-topic-gender": pt.GENDER_ITEMS}
    facts = pt.topics_fact(resp, codebook, topics, 1)
    assert (facts["asked"], facts["missing"]) == (["pt-topic-profile"], ["pt-topic-gender"])
    assert facts["every"] is True  # the gender items were asked in no wave, not in some


def test_topics_name_the_waves_that_asked(codebook):
    """Hand-made frame: education asked in waves 1 and 2, trust in the president in wave 2
    only -> one partial group (trust, wave 2); with both asked in both waves, none."""
    resp = pd.DataFrame(
        {
            "resp_id": ["a", "b", "a", "b"],
            "wave": [1, 1, 2, 2],
            "education": [2, 1, 2, 1],
            "trust_ru_president": [math.nan, math.nan, 1, 3],
        }
    )
    topics = {"edu": [pt.Item("education")], "trust": [pt.Item("trust_ru_president")]}
    facts = pt.topics_fact(resp, codebook, topics, 2)
    assert facts["every"] is False
    assert facts["first"] == {"topics": ["trust"], "waves": [2]}
    assert facts["second"] == {"topics": [], "waves": []}
    resp["trust_ru_president"] = [1, 3, 1, 3]
    assert pt.topics_fact(resp, codebook, topics, 2)["every"] is True


def test_sources_and_narrow_intervals_for_readers(codebook, benchmarks):
    """The "probable" working note becomes ``inferred`` (and "source inferred" in the
    table); a share whose interval rounds to one whole number keeps one decimal in the table
    (hand-made rows: 1.0%, CI 0.8–1.2; 0.4%, CI 0.3–0.6), and a share that rounds to 0% is
    ``small`` in the facts."""
    rows = benchmarks[benchmarks["construct"] == "age"]
    row = {"bench_source": rows.iloc[0]["source"], "bench_year": rows.iloc[0]["year"]}
    assert pt.source_fact(row) == {"source": "Rosstat", "year": "2023", "inferred": True}
    base = {
        "item": "x",
        "label": "pt-education",
        "n": 9000,
        "suppressed": False,
        "unit": "%",
        "population": None,
        "bench_value": math.nan,
        "bench_source": None,
        "bench_year": None,
        "side": None,
    }
    comp = pd.DataFrame(
        [
            {**base, "value": 1.0, "ci_low": 0.8, "ci_high": 1.2},
            {**base, "item": "y", "value": 0.4, "ci_low": 0.3, "ci_high": 0.6},
        ]
    )
    md = pt.comparison_table(comp).markdown()
    assert "1.0% (0.8–1.2)" in md and "0.4% (0.3–0.6)" in md
    assert "1,0\u00a0% (0,8–1,2)" in pt.comparison_table(comp, Words("ru", codebook)).markdown()
    assert pt.item_fact(comp, "y")["small"] is True
    assert pt.item_fact(comp, "x")["small"] is False


def test_trust_cuts_and_their_benchmarks(codebook, benchmarks):
    """No trust at all = code 1, trust = code 3; 98 stays in the denominator. Hand count:
    codes [1]*30 + [2]*5 + [3]*3 + [98]*2 -> none 30/40 = 75%, trust 3/40 = 7.5%. Each cut
    takes the Levada row that names it (8% and 76% for the president; 13% "at all" for the
    government, and no row for trust in the government)."""
    codes = [1] * 30 + [2] * 5 + [3] * 3 + [98] * 2
    resp = pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(40)],
            "wave": 3,
            "trust_ru_president": codes,
            "trust_ru_government": codes,
        }
    )
    items = pt.trust_items()
    recs = estimates.frame(pt.records(resp, codebook, items, 3))
    comp = pt.comparison(recs, benchmarks, codebook, items)
    by = comp.set_index("item")
    assert by.loc["trust_ru_president_none", "value"] == pytest.approx(75.0)
    assert by.loc["trust_ru_president", "value"] == pytest.approx(7.5)
    assert by.loc["trust_ru_president", "bench_value"] == 76
    assert by.loc["trust_ru_government_none", "bench_value"] == 13
    assert math.isnan(by.loc["trust_ru_government", "bench_value"])
    none = pt.item_fact(comp, "trust_ru_president_none")
    assert none["russia"]["value"] == 8 and none["russia"]["side"] == "below"
    assert pt.item_fact(comp, "trust_ru_president")["russia"]["side"] == "above"
    assert "russia" not in pt.item_fact(comp, "trust_ru_government")


def test_two_benchmark_populations(codebook, benchmarks):
    """WVS 2017–2020 rows for Russia (42%) and Germany (87%); 36 of 40 disagree = 90%, whose
    Wilson interval (statsmodels: 76.9–96.0%) holds 87 but not 42. The range of years is
    given with an en dash (the CSV has a hyphen)."""
    codes = [1] * 20 + [2] * 16 + [3] * 4
    resp = pd.DataFrame(
        {"resp_id": [f"r{i}" for i in range(40)], "wave": 3, "ga_men_better_execs": codes}
    )
    item = pt.GENDER_ITEMS[0]
    recs = estimates.frame(pt.records(resp, codebook, [item], 3))
    comp = pt.comparison(recs, benchmarks, codebook, [item])
    assert comp["population"].tolist() == ["Russia", "Germany"]
    low, high = proportion_confint(36, 40, method="wilson")
    fact = pt.item_fact(comp, item.id)
    assert (fact["ci_low"], fact["ci_high"]) == pytest.approx((100 * low, 100 * high))
    assert (fact["russia"]["side"], fact["germany"]["side"]) == ("below", "inside")
    assert fact["germany"]["year"] == "2017–2020"
    table = pt.comparison_table(comp).rows
    assert table.columns.tolist()[3:5] == ["Russia", "Germany"]
    assert table.iloc[0]["Germany"] == "87% (inside)"


def test_withheld_cells_stay_withheld(codebook, benchmarks):
    """Ten answers (< MIN_CELL_N): the record is withheld, the facts say so, the chart draws
    only the benchmark and the table shows "withheld"."""
    resp = pd.DataFrame({"resp_id": [f"r{i}" for i in range(10)], "wave": 1, "education": [2] * 10})
    item = pt.Item("education")
    recs = estimates.frame(pt.records(resp, codebook, [item], 1))
    comp = pt.comparison(recs, benchmarks, codebook, [item])
    assert bool(comp.iloc[0]["suppressed"])
    assert pt.item_fact(comp, "education")["status"] == "withheld"
    assert pt.section_fact(comp) == {"status": "withheld"}
    data = pt.chart_data(comp, 1)
    assert data["population"].tolist() == ["Russia"]
    assert "withheld" in pt.comparison_table(comp).markdown()


def test_chart_is_aggregate_with_both_panels(codebook, benchmarks):
    """A mean (years) and a share (%) give two panels; the chart data has one row per
    estimate and benchmark (hand count: 2 estimates + 2 Russian benchmarks) and no resp_id;
    its words in Russian too."""
    resp = _resp()
    items = [pt.PROFILE[0], pt.Item("education")]
    recs = estimates.frame(pt.records(resp, codebook, items, 1))
    comp = pt.comparison(recs, benchmarks, codebook, items)
    fig = pt.comparison_chart(comp, "fig-x", 1)
    assert len(fig.data) == 4 and "resp_id" not in fig.data.columns
    assert len(fig.spec["vconcat"]) == 2
    ru = pt.comparison_chart(comp, "fig-x", 1, Words("ru", codebook))
    assert set(ru.data["population"]) == {"Респонденты, волна 1", "Россия"}


def test_trust_shares_say_which_answers_they_count(codebook):
    """The two shares of trust in the president count different codes (codebook.yml: 1 = does
    not deserve trust at all; share_cut [3]); pre-war activism counts any of its options."""
    codes = [1] * 30 + [2] * 5 + [3] * 3 + [98] * 2
    resp = pd.DataFrame(
        {"resp_id": [f"r{i}" for i in range(40)], "wave": 3, "trust_ru_president": codes}
    )
    items = [i for i in pt.trust_items() if i.construct == "trust_ru_president"]
    recs = {r["key"]: r["answers"] for r in pt.records(resp, codebook, items, 3)}
    assert recs == {
        "trust_ru_president_none_share_w3_combined": "1",
        "trust_ru_president_share_w3_combined": "3",
    }
    (prewar, *_) = pt.records(_resp(), codebook, pt.prewar_items(codebook), 1)
    assert prewar["answers"] == (
        "any:prewar_activism_rally|prewar_activism_donate|prewar_activism_petition|"
        "prewar_activism_posts|prewar_activism_volunteer"
    )
    (age,) = pt.records(_resp(), codebook, [pt.PROFILE[0]], 1)
    assert age["answers"] == ""


@pytest.mark.parametrize("wave", [1, 3])
def test_every_sentence_of_the_chapter_renders(codebook, benchmarks, wave):
    """Each message of the chapter's ``{words}`` renders from the facts of the hand-made
    frame (wave 1: profile and pre-war items only; wave 3 adds trust and gender items): no
    missing fact, no raw placeholder; what wave 1 did not ask is named once."""
    import json
    import re

    source = (ROOT / "notebooks" / "portrait.md").read_text(encoding="utf-8")
    block = re.search(r":::\{words\}\n(.*?)\n:::\n", source, re.S).group(1)
    words = Words("en", codebook)
    ids = words.add(block, "portrait.md")
    resp = _resp(60)
    if wave == 3:
        resp = pd.concat([resp.assign(wave=1), resp.assign(wave=3, resp_id=resp["resp_id"] + "x")])
        resp["trust_ru_president"] = [1, 2, 3, 98] * (len(resp) // 4)
        resp["ga_men_better_execs"] = resp["trust_ru_president"]
        resp.loc[resp["wave"] == 1, ["trust_ru_president", "ga_men_better_execs"]] = math.nan
    sections = {
        "profile": pt.PROFILE,
        "prewar": pt.prewar_items(codebook),
        "trust": pt.trust_items(),
        "gender": pt.GENDER_ITEMS,
    }
    topics = {f"pt-topic-{k}": v for k, v in sections.items()}
    items = [i for group in sections.values() for i in group]
    recs = estimates.frame(pt.records(resp, codebook, items, wave))
    comp = pt.comparison(recs, benchmarks, codebook, items)
    facts = json.loads(
        json.dumps(pt.report.plain(pt.chapter_facts(resp, codebook, comp, sections, topics, wave)))
    )
    pasted = set(re.findall(r"\{say\}`([^`]+)`", source))
    assert pasted <= set(ids)
    said = {i: words.say(i, facts) for i in pasted}  # as the page does (src-* are referenced)
    assert not any("{" in text or "nan" in text for text in said.values())
    if wave == 1:
        assert said["kf-not-asked"].startswith("Wave 1 did not ask about trust")
        assert said["trust-president"] == "" and said["sample-gender"] == ""
    else:
        assert said["kf-not-asked"] == ""
        assert said["trust-president"].startswith("Asked about the president")
        # the hand-made book has no wave 2: two groups of topics asked only in some waves
        assert said["waves-note"].startswith("Only waves 1 and 3 asked about age, gender")
        assert said["waves-note-second"].startswith("Only wave 3 asked about trust")
