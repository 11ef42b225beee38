"""Tests of ``wavebook.topics.mobilization`` (pre- vs post-mobilization leavers).

Reference numbers come from independent implementations (statsmodels, scipy) or from a hand
computation; each test says which.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep

from wavebook import charts, estimates
from wavebook.codebook import load_codebook
from wavebook.topics import mobilization as mob
from wavebook.words import Words, use_codebook


@pytest.fixture(scope="module")
def codebook(project):
    book = load_codebook(project.root / "data" / "codebook.yml")
    use_codebook(book)  # as a chapter does (report.open_chapter): figures and tables name rows
    return book


def _compare(values, groups, **kw):
    args = dict(
        levels=("a", "b"),
        subgroups=("sub_a", "sub_b"),
        contrast="b_vs_a",
        key="x",
        construct="x",
        wave=3,
        sample="combined_w3",
    )
    args.update(kw)
    return mob.group_comparison(pd.Series(values, dtype="float64"), pd.Series(groups), **args)


# --- newcombe_diff_interval --------------------------------------------------------------------
@pytest.mark.parametrize(
    "x1, n1, x2, n2", [(56, 70, 48, 80), (5, 40, 19, 37), (0, 30, 3, 45), (120, 600, 150, 610)]
)
def test_newcombe_matches_statsmodels(x1, n1, x2, n2):
    """Against statsmodels ``confint_proportions_2indep(method="newcomb")`` (which gives the
    interval of its first proportion minus its second)."""
    low, high = mob.newcombe_diff_interval(x1, n1, x2, n2)
    ref_low, ref_high = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff")
    assert low == pytest.approx(100 * ref_low, abs=1e-9)
    assert high == pytest.approx(100 * ref_high, abs=1e-9)


def test_newcombe_published_example():
    """Newcombe (1998), Stat. Med. 17:873–890, Table II, method 10: 56/70 − 48/80 has the
    interval 0.0524 to 0.3339 (here the other way round: 48/80 − 56/70)."""
    low, high = mob.newcombe_diff_interval(56, 70, 48, 80)
    assert (round(low / 100, 4), round(high / 100, 4)) == (-0.3339, -0.0524)


def test_newcombe_empty_group():
    assert all(math.isnan(v) for v in mob.newcombe_diff_interval(0, 0, 3, 40))


# --- group_comparison --------------------------------------------------------------------------
def test_group_comparison_shares_by_hand_and_scipy():
    """Shares and their difference by hand (30/50 and 15/50: 60% and 30%, −30 pp); the
    p-value against ``scipy.stats.chi2_contingency(correction=False)`` on the 2x2 table."""
    values = [1] * 30 + [0] * 20 + [1] * 15 + [0] * 35
    groups = ["a"] * 50 + ["b"] * 50
    out = _compare(values, groups)
    assert out["statistic"].tolist() == ["share", "share", "diff_pp"]
    assert out["subgroup"].tolist() == ["sub_a", "sub_b", "b_vs_a"]
    assert out["value"].tolist() == pytest.approx([60.0, 30.0, -30.0])
    assert out["n"].tolist() == [50, 50, 100]
    chi2 = sps.chi2_contingency(np.array([[30, 20], [15, 35]]), correction=False)
    assert out.loc[2, "p_value"] == pytest.approx(chi2.pvalue)
    assert out.loc[2, "test"] == "chi2"
    low, high = confint_proportions_2indep(15, 50, 30, 50, method="newcomb", compare="diff")
    assert (out.loc[2, "ci_low"], out.loc[2, "ci_high"]) == pytest.approx((100 * low, 100 * high))
    assert out.loc[2, "key"] == "x_diff_pp_w3_combined_w3_b_vs_a"
    assert out.loc[0, "key"] == "x_share_w3_combined_w3_sub_a"
    assert not out["suppressed"].any()


def test_group_comparison_sparse_table_uses_fisher():
    """An expected count below 5 switches to Fisher's exact test (p from
    ``scipy.stats.fisher_exact`` on the same table)."""
    values = [1] * 1 + [0] * 39 + [1] * 7 + [0] * 33
    groups = ["a"] * 40 + ["b"] * 40
    out = _compare(values, groups)
    assert out.loc[2, "test"] == "fisher"
    ref = sps.fisher_exact(np.array([[1, 7], [39, 33]]))
    assert out.loc[2, "p_value"] == pytest.approx(ref.pvalue)


def test_group_comparison_mean_uses_welch():
    """Means by hand; the p-value against ``scipy.stats.ttest_ind(equal_var=False)``; the
    "hard to say" code 98 is left out of a mean."""
    rng = np.random.default_rng(1)
    a, b = rng.normal(35, 8, 60).round(), rng.normal(32, 6, 45).round()
    values = [*a, *b, 98.0]
    groups = ["a"] * 60 + ["b"] * 45 + ["b"]
    out = _compare(values, groups, kind="mean")
    assert out["statistic"].tolist() == ["mean", "mean", "p_value"]
    assert out.loc[0, "value"] == pytest.approx(a.mean())
    assert out.loc[1, "value"] == pytest.approx(b.mean())
    assert out.loc[1, "n"] == 45
    assert out.loc[2, "p_value"] == pytest.approx(sps.ttest_ind(b, a, equal_var=False).pvalue)
    assert out.loc[2, "value"] == out.loc[2, "p_value"]
    assert out.loc[2, "test"] == "welch_t"


def test_group_comparison_small_group_withholds_both_and_the_difference():
    """One group under the minimum n: it is withheld, and so are the other group (secondary
    suppression) and the difference."""
    values = [1] * 40 + [0] * 60 + [1] * 5 + [0] * 5
    groups = ["a"] * 100 + ["b"] * 10
    out = _compare(values, groups)
    assert out["suppressed"].all()
    assert out[estimates.NUMERIC].isna().all().all()


def test_group_comparison_empty_group_keeps_the_other():
    """An empty group gives nothing away: the other group is shown, the difference withheld."""
    out = _compare([1] * 40 + [0] * 60, ["a"] * 100)
    assert out["suppressed"].tolist() == [False, True, True]
    assert out.loc[0, "value"] == pytest.approx(40.0)
    assert out.loc[1, "n"] == 0


def test_group_comparison_ignores_other_groups_and_missing():
    """Rows of a third group and missing answers are out of every denominator (by hand)."""
    values = [1] * 30 + [0] * 10 + [np.nan] * 5 + [1] * 20 + [0] * 20 + [1] * 50
    groups = ["a"] * 45 + ["b"] * 40 + ["c"] * 50
    out = _compare(values, groups)
    assert out["n"].tolist() == [40, 40, 80]
    assert out["value"].tolist() == pytest.approx([75.0, 50.0, -25.0])


def test_group_comparison_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind"):
        _compare([1, 0], ["a", "b"], kind="median")


# --- the chapter's blocks ----------------------------------------------------------------------
def _frame(n_pre: int, n_post: int, wave: int = 3) -> pd.DataFrame:
    """A small respondent table: departure dates on both sides of the announcement."""
    n = n_pre + n_post
    rng = np.random.default_rng(7)
    dates = [pd.Timestamp("2022-04-01")] * n_pre + [pd.Timestamp("2022-10-01")] * n_post
    frame = pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(n)],
            "wave": wave,
            "interview_date": pd.Timestamp("2023-06-01"),
            "departure_date": dates,
            "country_residence": "GE",
            "age": rng.integers(20, 60, n).astype(float),
            "gender": ["male"] * (n_pre // 2)
            + ["female"] * (n_pre - n_pre // 2)
            + ["male"] * n_post,
            "civ_volunteer": [1.0, 0.0] * (n // 2) + [0.0] * (n % 2),
            "pol_rally": 0.0,
            "fear_draft": [1.0] * n_pre + [98.0] * n_post,
        }
    )
    return frame


def test_compare_block_profile_by_hand(codebook):
    """Male share by hand: half of 60 before, all of 40 after (+50 pp); items the frame does
    not hold are skipped, not errors, and named (by their label keys) as not asked."""
    frame = _frame(60, 40)
    out = mob.compare_block(frame, codebook, "profile", 3)
    assert set(out["item"]) == {"age", "gender_male"}
    male = out[out["item"] == "gender_male"]
    assert male["value"].tolist() == pytest.approx([50.0, 100.0, 50.0])
    assert male["subgroup"].tolist() == [*mob.SUBGROUPS, mob.CONTRAST]
    missing = mob.not_asked_keys(frame, codebook)
    assert missing[:2] == ["mob-education_higher", "mob-city_size_large"]
    assert "gender:male" not in missing and "fear_draft" not in missing


def test_civpol_any_is_any_activity(codebook):
    """``civpol_any`` is 1 when any listed activity is ticked (here only volunteering, every
    second respondent: 30 of 60 and 20 of 40 by hand, so no difference: ``flat``)."""
    out = mob.compare_block(_frame(60, 40), codebook, "engagement", 3)
    civ = out[out["item"] == "civpol_any"]
    assert civ["value"].tolist()[:2] == pytest.approx([50.0, 50.0])
    assert civ["construct"].iloc[0] == "civpol_any"
    block = mob.block_fact(out)
    assert block["status"] == "ok"
    assert (block["up"], block["down"]) == ([], [])
    assert block["flat"] == ["mob-civpol_any", "mob-civ_volunteer"]  # pol_rally: all 0, no test
    assert (block["moved"], block["top"]) == (0, {"status": "none"})


def test_hard_to_say_stays_in_the_denominator(codebook):
    """Every later leaver answered "hard to say" on the draft: 0% afraid, n = 40 (by hand);
    the fall of 100 pp is significant by Fisher's exact test (scipy: 60/60 against 0/40)."""
    frame = _frame(60, 40)
    out = mob.compare_block(frame, codebook, "fears", 3)
    draft = out[out["item"] == "fear_draft"]
    assert draft["value"].tolist()[:2] == pytest.approx([100.0, 0.0])
    assert draft["n"].tolist()[:2] == [60, 40]
    block = mob.block_fact(out)
    assert block["down"] == ["fear_draft"] and block["up"] == []
    top = block["top"]
    assert (top["status"], top["direction"], top["label"]) == ("ok", "down", "fear_draft")
    assert top["diff"]["value"] == pytest.approx(-100.0)
    fisher = sps.fisher_exact([[60, 0], [0, 40]]).pvalue
    chi2 = sps.chi2_contingency(np.array([[60, 0], [0, 40]]), correction=False).pvalue
    assert top["diff"]["p"] == pytest.approx(fisher if top["fisher"] else chi2)
    facts = _facts(frame, codebook)
    assert facts["fear_host"] == {"status": "not_asked"}
    assert "fear_repr_host" in facts["not_asked"]


def _facts(frame, codebook, wave=3):
    counts = mob.cohort_counts(frame, wave)
    blocks = mob.compare_blocks(frame, codebook, wave)
    timing = mob.draft_timing_record(frame, wave)
    return mob.chapter_facts(frame, codebook, wave, blocks, counts, timing)


def test_first_wave_without_later_leavers(codebook):
    """With no later leaver the facts say so (``one_group``), the earlier group is shown and
    nothing is compared."""
    frame = _frame(80, 0, wave=1)
    counts = mob.cohort_counts(frame, 1)
    assert counts["n"].tolist() == [80, 0]
    assert not mob.comparable(counts)
    groups = mob.groups_fact(counts, fielded_before=True)
    assert groups == {
        "status": "one_group",
        "fielded_before": True,
        "pre": {"withheld": False, "n": 80},
        "post": {"withheld": False, "n": 0},
    }
    out = mob.compare_block(frame, codebook, "profile", 1)
    block = mob.block_fact(out)
    assert block["status"] == "one_group" and block["flat"] == [] and block["n_post"] == 0
    men = mob.item_facts({"profile": out})["gender_male"]
    assert men["status"] == "one_group" and men["pre"]["value"] == pytest.approx(50.0)
    assert "post" not in men and "direction" not in men
    # the single-group profile: one column of values and n, nothing compared
    table = mob.comparison_table(out, counts)
    assert table.rows.columns.tolist() == ["Item", "Left before", "n"]
    assert table.rows.loc[table.rows["Item"] == "Men", "Left before"].iloc[0] == "50%\u00a0(39–61)"
    assert "nan" not in table.markdown().lower()
    ru = mob.comparison_table(out, counts, words=Words("ru")).rows
    assert ru.columns.tolist() == ["Показатель", "Уехали до", "n"]
    assert ru.loc[ru["Показатель"] == "Мужчины", "Уехали до"].iloc[0] == "50\u00a0%\u00a0(39–61)"
    figure = mob.cohort_chart(out, "fig-test")
    assert isinstance(figure, charts.Figure)
    assert set(figure.data["subgroup"]) == {mob.SUBGROUPS[0]}


def test_small_later_group_is_withheld(codebook):
    """Ten later leavers: counts under the minimum are withheld and both groups too; the
    facts carry no n of a withheld group."""
    frame = _frame(80, 10)
    counts = mob.cohort_counts(frame, 3)
    assert counts["suppressed"].tolist() == [False, True]
    groups = mob.groups_fact(counts, fielded_before=False)
    assert groups["status"] == "withheld" and groups["post"] == {"withheld": True}
    out = mob.compare_block(frame, codebook, "profile", 3)
    assert out["suppressed"].all()
    assert mob.block_fact(out)["status"] == "withheld"
    assert mob.item_facts({"profile": out})["gender_male"]["status"] == "withheld"
    assert mob.cohort_chart(out, "fig-test").data.empty


def test_chart_carries_aggregates_only(codebook):
    """The chart data: one row per shown group and item, no respondent identifiers; its
    words in each language."""
    out = mob.compare_block(_frame(60, 40), codebook, "engagement", 3)
    figure = mob.cohort_chart(out, "fig-test")
    assert "resp_id" not in figure.data.columns
    assert len(figure.data) == 2 * out["item"].nunique()
    assert set(figure.data["group"]) == set(mob.group_labels(Words("en")).values())
    ru = mob.cohort_chart(out, "fig-test", words=Words("ru"))
    assert set(ru.data["group"]) == set(mob.group_labels(Words("ru")).values())
    assert "Занимались волонтёрством" in set(ru.data["label"])


def test_draft_timing_by_hand():
    """Answers given before 21 September 2022: 30 of the 40 earlier leavers who answered
    (75%, by hand); the later leaver and the unanswered question are out of the base."""
    dates = ["2022-09-01"] * 20 + ["2022-09-20"] * 10 + ["2022-09-22"] * 10 + ["2022-09-23"] * 2
    frame = pd.DataFrame(
        {
            "departure_date": pd.to_datetime(["2022-03-01"] * 41 + ["2022-10-01"]),
            "interview_date": pd.to_datetime(dates),
            "fear_draft": [1.0, 0.0, 98.0, 1.0] * 10 + [np.nan, 1.0],
            "country_residence": "AM",
        }
    )
    rows = mob.draft_timing_record(frame, 2)
    assert rows[0]["value"] == pytest.approx(75.0)
    assert rows[0]["n"] == 40
    assert mob.draft_timing_fact(rows) == {"status": "ok", "value": 75.0, "n": 40}
    after = frame.assign(interview_date=pd.Timestamp("2022-10-01"))
    assert mob.draft_timing_fact(mob.draft_timing_record(after, 2))["value"] == 0.0
    assert mob.draft_timing_record(frame.drop(columns="fear_draft"), 2) == []
    assert mob.draft_timing_fact([]) == {"status": "not_asked"}


def test_direction_follows_the_test(codebook):
    """``direction`` comes from the test (stats.direction): a gap of 10 pp in groups of 40
    (20/40 against 24/40; chi-square p = 0.37 by scipy) is ``flat``, the same gap in groups
    of 4,000 is ``up``."""
    for n, expected in ((40, "flat"), (4000, "up")):
        values = [1.0] * (n // 2) + [0.0] * (n // 2) + [1.0] * (6 * n // 10) + [0.0] * (4 * n // 10)
        rows = _compare(values, ["a"] * n + ["b"] * n).assign(label="x", kind="share")
        fact = mob.item_fact(*(rows.iloc[i] for i in range(3)))
        assert fact["direction"] == expected
    table = np.array([[20, 20], [24, 16]])
    assert sps.chi2_contingency(table, correction=False).pvalue == pytest.approx(0.3692, abs=1e-3)


def test_item_facts_and_table_cells(codebook):
    """The facts of the +50 pp male gap built by hand above (30 of 60 against 40 of 40) and
    its table cells; the Wilson interval of 30/60 (38–62%) and the Newcombe interval of the gap
    against statsmodels."""
    frame = _frame(60, 40)
    counts = mob.cohort_counts(frame, 3)
    out = mob.compare_block(frame, codebook, "profile", 3)
    men = mob.item_facts({"profile": out})["gender_male"]
    low, high = confint_proportions_2indep(40, 40, 30, 60, method="newcomb", compare="diff")
    assert (men["status"], men["direction"], men["label"]) == ("ok", "up", "gender:male")
    assert (men["pre"]["value"], men["post"]["value"]) == pytest.approx((50.0, 100.0))
    assert (men["diff"]["ci_low"], men["diff"]["ci_high"]) == pytest.approx((100 * low, 100 * high))
    table = mob.comparison_table(out, counts).rows
    assert table.columns.tolist() == [
        "Item",
        "Left before",
        "Left after",
        "n (before / after)",
        "Difference",
        "p",
    ]
    male = table[table["Item"] == "Men"].iloc[0]
    assert (male["Left before"], male["n (before / after)"]) == ("50%\u00a0(38–62)", "60 / 40")
    assert male["Difference"] == f"+50\u00a0pp ({round(100 * low)}–{round(100 * high)})"
    assert male["p"] in ("<\u00a00.001", "<\u00a00.001 (Fisher)")


def test_age_difference_with_welch_interval(codebook):
    """The age row: the difference of the two means (by hand) with the Welch interval of
    ``scipy.stats.ttest_ind(equal_var=False).confidence_interval()``; the records keep the
    two means and the p-value (no years in a ``diff_pp`` record)."""
    frame = _frame(60, 40)
    counts = mob.cohort_counts(frame, 3)
    out = mob.compare_block(frame, codebook, "profile", 3)
    age = out[out["item"] == "age"]
    assert age["statistic"].tolist() == ["mean", "mean", "p_value"]
    before, after = frame["age"].iloc[:60], frame["age"].iloc[60:]
    ref = sps.ttest_ind(after, before, equal_var=False)
    ci = ref.confidence_interval()
    contrast = age.iloc[2]
    assert contrast["gap"] == pytest.approx(after.mean() - before.mean())
    assert (contrast["gap_low"], contrast["gap_high"]) == pytest.approx((ci.low, ci.high))
    row = mob.comparison_table(out, counts).rows.iloc[0]
    assert row["Item"] == "Mean age, years"
    assert row["Difference"].endswith(f"years ({ci.low:.1f} to {ci.high:.1f})".replace("-", "−"))
    fact = mob.item_facts({"profile": out})["age"]
    assert fact["diff"]["p"] == pytest.approx(ref.pvalue)
    assert fact["diff"]["size"] == pytest.approx(abs(after.mean() - before.mean()))
    assert fact["direction"] == (
        "flat" if ref.pvalue >= 0.05 else "up" if ref.statistic > 0 else "down"
    )


def test_welch_diff_interval_against_scipy():
    """Against ``scipy.stats.ttest_ind(b, a, equal_var=False).confidence_interval()``."""
    rng = np.random.default_rng(3)
    a, b = pd.Series(rng.normal(35, 8, 50)), pd.Series(rng.normal(33, 5, 35))
    d, low, high = mob.welch_diff_interval(a, b)
    ci = sps.ttest_ind(b, a, equal_var=False).confidence_interval()
    assert d == pytest.approx(b.mean() - a.mean())
    assert (low, high) == pytest.approx((ci.low, ci.high))
    assert all(math.isnan(v) for v in mob.welch_diff_interval(a, pd.Series([1.0])))


def test_labels_in_both_languages(codebook):
    """Every item's label key has a short form (charts, tables) and a phrase (sentences) in
    both languages, none with the block prefix of the codebook's long labels."""
    for lang in ("en", "ru"):
        words = Words(lang, codebook)
        for item in mob.items(codebook):
            short = words.label(item.label, "short")
            assert short and len(short) < 70, item.key
            assert words.label(item.label, "phrase"), item.key
            assert not short.startswith(("Repression in Russia", "Преследование в России"))
    assert Words("en", codebook).label("repression_experienced_prison", "short") == "Imprisonment"


def test_answers_of_the_compared_items(codebook):
    """What each share counts, from codebook.yml: male for the gender item, the options for
    "any activity", 1 for an option; the age means and their p-value count nothing."""
    frame = _frame(60, 40)
    out = pd.concat(
        [mob.compare_block(frame, codebook, b, 3) for b in ("profile", "engagement")],
        ignore_index=True,
    )
    by = out.groupby("item")["answers"].agg(set).to_dict()
    assert by == {
        "age": {""},
        "gender_male": {"male"},
        "civpol_any": {"any:civ_volunteer|pol_rally"},  # the activities the frame asked
        "civ_volunteer": {"1"},
        "pol_rally": {"1"},
    }
    assert set(out.loc[out["item"] == "gender_male", "statistic"]) == {"share", "diff_pp"}
    values = pd.Series([1.0, 0.0] * 30)
    groups = pd.Series(["a"] * 30 + ["b"] * 30)
    rows = _compare(values, groups, answers="3|4")
    assert rows["answers"].tolist() == ["3|4"] * 3
    means = _compare(values, groups, kind="mean", answers="3|4")
    assert means["answers"].tolist() == ["", "", ""]


def test_draft_timing_counts_answers_before_the_announcement():
    frame = pd.DataFrame(
        {
            "departure_date": pd.to_datetime(["2022-03-01"] * 40),
            "interview_date": pd.to_datetime(["2022-09-01"] * 40),
            "fear_draft": 1.0,
        }
    )
    (row,) = mob.draft_timing_record(frame, 1)
    assert row["answers"] == "interview_date<2022-09-21"


@pytest.mark.parametrize(
    "n_pre, n_post, wave", [(60, 40, 3), (80, 0, 1), (80, 10, 3)], ids=["ok", "one", "withheld"]
)
def test_every_sentence_of_the_chapter_renders(codebook, project, n_pre, n_post, wave):
    """Each message of the chapter's ``{words}`` renders from the facts of a comparison, of a
    wave with one group, and of a withheld group: no missing fact, no raw placeholder."""
    import json
    import re

    from wavebook.report import plain

    source = (project.root / "notebooks" / "mobilization.md").read_text(encoding="utf-8")
    block = re.search(r":::\{words\}\n(.*?)\n:::\n", source, re.S).group(1)
    words = Words("en", codebook)
    ids = words.add(block, "mobilization.md")
    facts = json.loads(json.dumps(plain(_facts(_frame(n_pre, n_post, wave), codebook, wave))))
    said = {i: words.say(i, facts) for i in ids}
    assert not any("{" in text or "nan" in text for text in said.values())
    expected = {"ok": "(later leavers)", "one": "no second group", "withheld": "too few"}
    status = {(60, 40): "ok", (80, 0): "one", (80, 10): "withheld"}[(n_pre, n_post)]
    assert expected[status] in said["kf-groups"]
    assert set(re.findall(r"\{say\}`([^`]+)`", source)) <= set(ids)
