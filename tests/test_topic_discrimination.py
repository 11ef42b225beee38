"""Tests of ``topics.discrimination`` and the wave and panel helpers of ``topics.host_country``.

Shares are counted by hand on small invented panels; McNemar's p-value is checked against
statsmodels (``statsmodels.stats.contingency_tables.mcnemar``, exact binomial below 25
discordant pairs, chi-square with continuity correction above, as ``wavebook.stats`` does).
The wording checks use the real codebook (``data/codebook.yml``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import mcnemar

from wavebook import report as wr
from wavebook import samples
from wavebook.codebook import load_codebook
from wavebook.paths import Project
from wavebook.topics import discrimination as dis
from wavebook.topics import host_country as hc


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(Project.find().codebook_file)


def _panel(before: list[float], after: list[float], waves=(1, 2)) -> pd.DataFrame:
    n = len(before)
    return pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(n)] * 2,
            "wave": [waves[0]] * n + [waves[1]] * n,
            "country_residence": "GE",
            "discr_any": [*before, *after],
        }
    )


@pytest.fixture
def three_waves() -> pd.DataFrame:
    """200 people in waves 1-3 plus 100 who answered only waves 2 and 3."""
    rng = np.random.default_rng(7)
    n, m = 200, 100
    w1 = (rng.random(n) < 0.25).astype(float)
    w2 = (rng.random(n + m) < 0.2).astype(float)
    w3 = np.where(rng.random(n + m) < 0.6, w2, (rng.random(n + m) < 0.45).astype(float))
    ids_all = [f"a{i}" for i in range(n)]
    ids_late = [f"b{i}" for i in range(m)]
    return pd.DataFrame(
        {
            "resp_id": ids_all + ids_all + ids_late + ids_all + ids_late,
            "wave": [1] * n + [2] * (n + m) + [3] * (n + m),
            "country_residence": "GE",
            "discr_any": [*w1, *w2, *w3],
        }
    )


def test_panel_records_per_wave(three_waves, codebook):
    var = codebook["discr_any"]
    assert hc.panel_records(three_waves, var, 1) == []
    wave2 = {r["key"] for r in hc.panel_records(three_waves, var, 2)}
    assert wave2 == {
        "discr_any_share_w1_panel_1_2",
        "discr_any_share_w2_panel_1_2",
        "discr_any_change_1_2_panel_1_2",
    }  # the balanced panel is not repeated
    wave3 = {r["key"]: r for r in hc.panel_records(three_waves, var, 3)}
    assert set(wave3) == {
        "discr_any_share_w2_panel_2_3",
        "discr_any_share_w3_panel_2_3",
        "discr_any_change_2_3_panel_2_3",
        "discr_any_share_w1_panel_1_2_3",
        "discr_any_share_w2_panel_1_2_3",
        "discr_any_share_w3_panel_1_2_3",
        "discr_any_change_1_3_panel_1_2_3",
    }
    wide = three_waves.pivot_table(
        index="resp_id", columns="wave", values="discr_any", aggfunc="first"
    )
    pairs = wide[[2, 3]].dropna()
    change = wave3["discr_any_change_2_3_panel_2_3"]
    assert change["n"] == 300
    assert change["value"] == pytest.approx(100 * (pairs[3].mean() - pairs[2].mean()))
    table = pd.crosstab(pairs[2], pairs[3]).to_numpy()
    discordant = table[0, 1] + table[1, 0]
    expected = mcnemar(table, exact=discordant < 25, correction=True)
    assert change["p_value"] == pytest.approx(expected.pvalue)
    assert wave3["discr_any_change_1_3_panel_1_2_3"]["n"] == 200


def test_two_wave_sentence_words_follow_the_test(codebook):
    var = codebook["discr_any"]
    # 40 people: 20 go from 0 to 1, none from 1 to 0 -> a significant rise from 0% to 50%
    rose = hc.panel_records(_panel([0.0] * 40, [1.0] * 20 + [0.0] * 20), var, 2)
    text = hc.two_wave_sentence(rose, 2, "the share")
    assert text.startswith(
        "Among the 40 respondents who answered both wave 1 and wave 2, "
        "the share rose from 0% to 50%; the change was +50 pp"
    )
    assert "McNemar p < 0.001" in text
    # 2 change each way: no significant change
    same = hc.panel_records(
        _panel([1.0, 1.0] + [0.0] * 38, [0.0, 0.0, 1.0, 1.0] + [0.0] * 36), var, 2
    )
    assert "did not change significantly (5% and 5%)" in hc.two_wave_sentence(same, 2, "x")
    small = hc.panel_records(_panel([0.0] * 10, [1.0] * 10), var, 2)
    assert hc.two_wave_sentence(small, 2, "x").startswith("Too few respondents")
    short = hc.two_wave_sentence(same, 2, "x", short=True)
    assert short == (
        "Among the same 40 people in waves 1 and 2, x did not change significantly "
        "(5% and 5%; McNemar p = 1.000)."
    )
    # no panel in wave 1, and no panel for a question first asked in the latest wave: the
    # chapter says so once (changed on purpose: these used to repeat a note in the body)
    assert hc.two_wave_sentence([], 1, "x") == ""
    assert hc.two_wave_sentence([], 3, "x").startswith("Wave 2 did not ask this question")
    # the waves that asked come from the data (samples.asked_waves), not the codebook
    assert hc.two_wave_sentence([], 3, "x", asked=[3]).startswith(
        "The question was first asked in wave 3"
    )
    assert hc.two_wave_sentence([], 2, "x", asked=[3]) == ""
    assert hc.two_wave_sentence([], 2, "x", asked=[]) == ""


def test_balanced_sentence(three_waves, codebook):
    records = hc.panel_records(three_waves, codebook["discr_any"], 3)
    text = hc.balanced_sentence(records, 3, "the share")
    wide = three_waves.pivot_table(
        index="resp_id", columns="wave", values="discr_any", aggfunc="first"
    ).dropna()
    levels = [f"{100 * wide[w].mean():.0f}% in wave {w}" for w in (1, 2, 3)]
    assert f"the share was {levels[0]}, {levels[1]} and {levels[2]}" in text
    assert "Counting only the 200 who answered it in both wave 1 and wave 3" in text
    assert hc.balanced_sentence([], 2, "x") == ""


def test_not_afraid_share_keeps_hard_to_say_in_the_denominator(codebook):
    fear = codebook["fear_discr"]
    resp = pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(50)],
            "wave": 1,
            "fear_discr": [1.0] * 20 + [3.0] * 15 + [98.0] * 10 + [np.nan] * 5,
        }
    )
    (row,) = dis.fear_records(resp, fear, 1)
    assert row["key"] == "fear_discr_not_at_all_share_w1_combined"
    assert row["answers"] == "1"  # "not afraid at all", not the codebook's cut 3|4
    assert row["n"] == 45 and row["value"] == pytest.approx(100 * 20 / 45)
    afraid = [{**row, "key": "a", "subgroup": "all", "value": 100 * 15 / 45}]
    text = dis.fear_sentence(afraid, [row], fear, 1)
    assert text.startswith("In wave 1, 33% (95% CI")
    assert "while 44% (95% CI" in text and "answered «not afraid at all»" in text
    assert dis.fear_sentence([], [], fear, 2) == f"{fear.label_en}: not asked in wave 2."


def _split_in_wave_3() -> pd.DataFrame:
    """Waves 1-3 where only wave 3 holds answers to the two split items (as in the demo)."""
    return pd.DataFrame(
        {
            "wave": [1, 2, 3, 3],
            "discr_institutional": [np.nan, np.nan, 1.0, 0.0],
            "discr_interpersonal": [np.nan, np.nan, 0.0, np.nan],
        }
    )


def test_measure_and_recall_notes_follow_the_wave(codebook):
    discr = codebook["discr_any"]
    resp = _split_in_wave_3()
    assert dis.split_waves(resp, 2) == [] and dis.split_waves(resp, 3) == [3]
    assert dis.measure_note(resp, codebook, 1) == (
        "Wave 1 asked one question about any discrimination."
    )
    note = dis.measure_note(resp, codebook, 3)
    assert "wave 3 asked two separate questions instead" in note and "not like for like" in note
    assert hc.recall_note(discr, 1) == (
        "the time since leaving Russia (about the first month abroad) in wave 1"
    )
    assert hc.recall_note(discr, 3).endswith("and the last 3 months in waves 2 and 3")
    # waves 2 and 3 share the 3-month period: only the split makes 2 -> 3 not like for like
    assert dis.comparability_note(resp, discr, 3) == (
        "The question was split into two in wave 3, so the change is not like for like."
    )
    assert dis.comparability_note(resp, discr, 2).startswith(
        "The reference period changed between waves 1 and 2"
    )
    assert dis.comparability_note(resp, discr, 1) == ""
    assert dis.series_note(resp, discr, 1) == ""
    assert dis.series_note(resp, discr, 3).startswith("The reference period and the measure")
    assert dis.recall_in(discr, 1) == "since leaving Russia, about the first month abroad"


def test_any_and_benchmark_sentences(codebook):
    discr = codebook["discr_any"]
    resp = pd.DataFrame(
        {
            "resp_id": [f"r{i}" for i in range(40)],
            "wave": 2,
            "country_residence": "GE",
            "discr_any": [1.0] * 10 + [0.0] * 30,
        }
    )
    from wavebook import estimates

    by_wave = estimates.shares_by_wave(resp, discr, 2)
    assert dis.any_sentence(by_wave, discr, 2).startswith(
        "In wave 2, 25% (95% CI 14–40%, n = 40) of respondents said"
    )
    assert dis.any_sentence(by_wave, discr, 3) == f"{discr.label_en}: not asked in wave 3."
    bench = pd.Series(
        {
            "population": "Migrants in Europe",
            "value": 15.0,
            "year": "2023",
            "comparable_with": "any discrimination in the last 12 months (OutRush: last 3 months)",
        }
    )
    assert dis.benchmark_sentence(bench, by_wave, discr, 2) == (
        "15% of migrants in Europe in 2023 (any discrimination in the last 12 months), against "
        "25% (95% CI 14–40%, n = 40) in wave 2 of this survey (reference period: last 3 months)"
    )


def test_split_sentence_when_not_asked(codebook):
    resp = pd.DataFrame({"resp_id": ["a"], "wave": [1], "country_residence": ["GE"]})
    inst = hc.breakdown(resp, codebook["discr_institutional"], 1, codebook)
    inter = hc.breakdown(resp, codebook["discr_interpersonal"], 1, codebook)
    assert dis.split_sentence(inst, inter, [], []) == ""
    split = _split_in_wave_3()
    note = dis.edition_note(split, 1)
    assert note.startswith("Wave 1 is the first wave") and ", and it did not ask separately" in note
    assert dis.edition_note(split, 2).startswith("Wave 2 did not ask separately")
    assert dis.edition_note(split, 3) == ""


def test_figure_or_note():
    assert hc.figure_or_note([], "note", lambda rows: "figure") == "note"
    assert hc.by_wave_caption([]) == "No wave so far asked this question."


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def test_wave4_split_items_and_panel_come_from_the_data(wave4_resp, without_answers, codebook):
    """The synthetic wave 4 of conftest asked the two split items again (the codebook's
    ``waves`` say wave 3 only): nothing is "not asked"; the panel of waves 3 and 4 is worded
    (its n a hand count of complete pairs). A wave 4 without them: not asked, and the change
    from wave 3 is flagged as not like for like."""
    discr = codebook["discr_any"]
    assert dis.split_waves(wave4_resp, 4) == [3, 4]
    assert dis.edition_note(wave4_resp, 4) == ""
    assert "waves 3 and 4 asked two separate questions instead" in dis.measure_note(
        wave4_resp, codebook, 4
    )
    assert "split" not in dis.comparability_note(wave4_resp, discr, 4)
    asked = samples.asked_waves(wave4_resp, discr.name)
    assert asked == [1, 2, 3, 4]
    panel = hc.panel_records(wave4_resp, discr, 4)
    pairs = samples.wide(samples.panel(wave4_resp, (3, 4)), discr.name).dropna()
    assert hc.two_wave_sentence(panel, 4, "the share", asked=asked).startswith(
        f"Among the {wr.count(len(pairs))} respondents who answered both wave 3 and wave 4, "
    )
    inst = hc.breakdown(wave4_resp, codebook["discr_institutional"], 4, codebook)
    assert inst.asked

    dropped = without_answers(wave4_resp, list(dis.SPLIT_ITEMS), 4)
    assert dis.split_waves(dropped, 4) == [3]
    assert dis.edition_note(dropped, 4).startswith("Wave 4 did not ask separately")
    assert dis.measure_note(dropped, codebook, 4).startswith(
        "Waves 1, 2 and 4 asked one question about any discrimination; wave 3 asked two"
    )
    assert "wave 4 asked one question instead of the two of wave 3" in (
        dis.comparability_note(dropped, discr, 4)
    )
    assert not hc.breakdown(dropped, codebook["discr_institutional"], 4, codebook).asked
    # discr_any itself not asked in wave 4: the panel sentence is left to the key findings
    gone = without_answers(wave4_resp, [discr.name], 4)
    assert (
        hc.two_wave_sentence(
            hc.panel_records(gone, discr, 4), 4, "x", asked=samples.asked_waves(gone, discr.name)
        )
        == ""
    )
