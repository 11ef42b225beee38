"""Tests of ``topics.discrimination`` and the wave and panel facts of ``topics.host_country``.

Shares are counted by hand on small invented panels; McNemar's p-value is checked against
statsmodels (``statsmodels.stats.contingency_tables.mcnemar``, exact binomial below 25
discordant pairs, chi-square with continuity correction above, as ``wavebook.stats`` does);
direction codes against the rule written out by hand (significant at 0.05, sign of the
change). The chapter's words (the ``{words}`` block of ``notebooks/discrimination.md``) are
rendered with the facts of the demo's waves 1, 2 and 3 and with facts made to reach the
variants the demo does not (withheld, Fisher's test, ties, not asked).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.contingency_tables import mcnemar

from wavebook import estimates, samples
from wavebook import report as wr
from wavebook import words as words_module
from wavebook.codebook import load_codebook
from wavebook.paths import Project
from wavebook.topics import discrimination as dis
from wavebook.topics import host_country as hc
from wavebook.words import Words, flatten

ROOT = Path(__file__).resolve().parents[1]


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


def _mcnemar_p(before: pd.Series, after: pd.Series) -> float:
    table = pd.crosstab(before, after).reindex(index=[0.0, 1.0], columns=[0.0, 1.0], fill_value=0)
    table = table.to_numpy()
    discordant = table[0, 1] + table[1, 0]
    return mcnemar(table, exact=discordant < 25, correction=True).pvalue


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
    assert change["p_value"] == pytest.approx(_mcnemar_p(pairs[2], pairs[3]))
    assert wave3["discr_any_change_1_3_panel_1_2_3"]["n"] == 200


def test_panel_fact_direction_follows_the_test(codebook):
    var = codebook["discr_any"]
    # 40 people: 20 go from 0 to 1, none from 1 to 0 -> a significant rise from 0% to 50%
    before, after = [0.0] * 40, [1.0] * 20 + [0.0] * 20
    rose = hc.panel_fact(hc.panel_records(_panel(before, after), var, 2), 2, [1, 2])
    p = _mcnemar_p(pd.Series(before), pd.Series(after))
    assert rose["status"] == "ok" and rose["direction"] == "up"  # p < 0.05, change > 0
    assert (rose["before"], rose["after"], rose["value"]) == pytest.approx((0.0, 50.0, 50.0))
    assert rose["n"] == 40 and rose["p"] == pytest.approx(p) and p < 0.05
    assert (rose["first"], rose["last"]) == (1, 2)
    # 2 change each way: no significant change, whatever the sign
    before = [1.0, 1.0] + [0.0] * 38
    after = [0.0, 0.0, 1.0, 1.0] + [0.0] * 36
    same = hc.panel_fact(hc.panel_records(_panel(before, after), var, 2), 2, [1, 2])
    assert same["direction"] == "flat" and same["p"] == pytest.approx(1.0)
    # 20 go from 1 to 0: a significant fall
    fall = _panel([1.0] * 40, [0.0] * 20 + [1.0] * 20)
    fell = hc.panel_fact(hc.panel_records(fall, var, 2), 2, [1, 2])
    assert fell["direction"] == "down"
    small = hc.panel_records(_panel([0.0] * 10, [1.0] * 10), var, 2)
    assert hc.panel_fact(small, 2, [1, 2])["status"] == "withheld"
    # statuses when there is no panel to show
    assert hc.panel_fact([], 1, [1])["status"] == "first_wave"
    assert hc.panel_fact([], 3, [1, 3]) == {"status": "no_panel", "first": 2, "last": 3}
    assert hc.panel_fact([], 3, [3])["status"] == "first_asked"
    assert hc.panel_fact([], 2, [3])["status"] == "not_asked"
    assert hc.panel_fact([], 2, [])["status"] == "not_asked"


def test_balanced_fact(three_waves, codebook):
    records = hc.panel_records(three_waves, codebook["discr_any"], 3)
    facts = hc.balanced_fact(records, 3)
    wide = three_waves.pivot_table(
        index="resp_id", columns="wave", values="discr_any", aggfunc="first"
    ).dropna()
    assert facts["status"] == "ok" and (facts["first"], facts["last"]) == (1, 3)
    assert facts["before"] == pytest.approx(100 * wide[1].mean())
    assert facts["after"] == pytest.approx(100 * wide[3].mean())
    assert facts["middle_count"] == 1 and facts["middle_wave"] == 2
    assert facts["middle_value"] == pytest.approx(100 * wide[2].mean())
    assert facts["n"] == 200 and facts["p"] == pytest.approx(_mcnemar_p(wide[1], wide[3]))
    expected = "flat" if facts["p"] >= 0.05 else ("up" if facts["value"] > 0 else "down")
    assert facts["direction"] == expected
    assert hc.balanced_fact([], 2) == {"status": "no_panel"}
    assert hc.balanced_fact([], 3) == {"status": "not_asked"}


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
    facts = hc.share_fact([row], 1)
    assert facts["status"] == "ok" and facts["value"] == pytest.approx(100 * 20 / 45)
    assert hc.share_fact([row], 2) == {"status": "not_asked"}
    assert dis.fear_fact(fear) == {
        "cut": ["fear_discr:3", "fear_discr:4"],
        "none": "fear_discr:1",
        "points": 4,
    }


def _split_in_wave_3() -> pd.DataFrame:
    """Waves 1-3 where only wave 3 holds answers to the two split items (as in the demo)."""
    return pd.DataFrame(
        {
            "wave": [1, 2, 3, 3],
            "discr_institutional": [np.nan, np.nan, 1.0, 0.0],
            "discr_interpersonal": [np.nan, np.nan, 0.0, np.nan],
        }
    )


def test_measure_and_recall_facts_follow_the_wave(codebook):
    discr = codebook["discr_any"]
    resp = _split_in_wave_3()
    assert dis.split_waves(resp, 2) == [] and dis.split_waves(resp, 3) == [3]
    one = dis.measure_fact(resp, 1)
    assert (one["split_count"], one["single"], one["now"], one["change"]) == (
        0,
        ["wave=1"],
        False,
        "none",
    )
    three = dis.measure_fact(resp, 3)
    assert three["split"] == ["wave=3"] and three["single"] == ["wave=1", "wave=2"]
    assert three["now"] and three["mixed"] and three["change"] == "split"
    assert three["items"] == ["discr_institutional", "discr_interpersonal"]
    # the codebook: since leaving in wave 1, the last 3 months in waves 2 and 3
    recall = hc.recall_fact(discr, 3)
    assert recall["now"] == recall["before"] == recall["last"] == "last_3_months"
    assert recall["first"] == "since_leaving_russia" and recall["first_waves"] == ["wave=1"]
    assert recall["last_waves"] == ["wave=2", "wave=3"]
    assert recall["changed"] and not recall["changed_now"] and recall["count"] == 2
    assert hc.recall_fact(discr, 2)["changed_now"]
    first = hc.recall_fact(discr, 1)
    assert not first["changed"] and not first["changed_now"] and first["count"] == 1


def test_benchmark_fact():
    bench = pd.Series({"population": "Migrants in Europe", "value": 15, "year": "2023"})
    assert dis.benchmark_fact(bench) == {"value": 15.0, "year": "2023"}


def test_figures_are_drawn_in_both_languages_or_left_out(codebook, cleaned_demo, monkeypatch):
    monkeypatch.setattr(words_module, "_CODEBOOK", [codebook])  # as open_chapter does
    resp = cleaned_demo
    inst = hc.breakdown(resp, codebook["discr_institutional"], 3, codebook)
    figure = hc.country_figure(inst, "fig-x", "discrimination-axis-institutional")
    en, ru = figure.versions["en"], figure.versions["ru"]
    assert "Other countries" in set(en.data["subgroup"].str.split("=").str[1])
    assert "Другие страны" in set(ru.data["subgroup"].str.split("=").str[1])
    assert "Грузия" in set(ru.data["subgroup"].str.split("=").str[1])
    assert en.spec["layer"][0]["encoding"]["x"]["title"] == "Discrimination by organisations, %"
    assert "resp_id" not in en.data
    assert (
        hc.country_figure(
            hc.breakdown(resp, codebook["discr_institutional"], 2, codebook),
            "fig-x",
            "discrimination-axis-institutional",
        )
        == ""
    )
    assert hc.wave_figure([], "fig-y", "discrimination-axis-any") == ""
    assert hc.shown_status([]) == "not_asked"


# --- the chapter's words with the demo's facts -------------------------------------------------
def _words_block(slug: str) -> str:
    text = (ROOT / "notebooks" / f"{slug}.md").read_text(encoding="utf-8")
    return re.search(r"^:::\{words\}\n(.*?)^:::$", text, re.S | re.M).group(1)


def chapter_facts(resp: pd.DataFrame, wave: int, codebook) -> dict:
    """The facts ``notebooks/discrimination.md`` records, computed the same way."""
    resp = resp[resp["wave"] <= wave]
    discr, fear = codebook["discr_any"], codebook["fear_discr"]
    inst_var, inter_var = codebook["discr_institutional"], codebook["discr_interpersonal"]
    any_by_wave = estimates.shares_by_wave(resp, discr, wave)
    any_panel = hc.panel_records(resp, discr, wave)
    fear_by_wave = estimates.shares_by_wave(resp, fear, wave)
    fear_panel = hc.panel_records(resp, fear, wave)
    any_shares = pd.concat([hc.as_frame(any_by_wave), hc.as_frame(any_panel)])
    fear_shares = pd.concat([hc.as_frame(fear_by_wave), hc.as_frame(fear_panel)])
    return wr.plain(
        {
            "wave": wave,
            "synthetic": True,
            "min_n": estimates.MIN_CELL_N,
            "country_min_n": samples.COUNTRY_MIN_N,
            "any": hc.share_fact(any_by_wave, wave),
            "recall": hc.recall_fact(discr, wave),
            "measure": dis.measure_fact(resp, wave),
            "any_panel": hc.panel_fact(any_panel, wave, samples.asked_waves(resp, discr.name)),
            "any_balanced": hc.balanced_fact(any_panel, wave),
            "inst": hc.share_fact(estimates.shares_by_wave(resp, inst_var, wave), wave),
            "inter": hc.share_fact(estimates.shares_by_wave(resp, inter_var, wave), wave),
            "inst_country": hc.country_fact(hc.breakdown(resp, inst_var, wave, codebook)),
            "inter_country": hc.country_fact(hc.breakdown(resp, inter_var, wave, codebook)),
            "fear": hc.share_fact(fear_by_wave, wave),
            "fear_none": hc.share_fact(dis.fear_records(resp, fear, wave), wave),
            "fear_answers": dis.fear_fact(fear),
            "fear_panel": hc.panel_fact(fear_panel, wave, samples.asked_waves(resp, fear.name)),
            "fear_country": hc.country_fact(hc.breakdown(resp, fear, wave, codebook)),
            "benchmark": {"value": 15.0, "year": "2023"},
            "fig_any": hc.shown_status(any_shares),
            "fig_fear": hc.shown_status(fear_shares),
            "fig_inst": hc.shown_status(hc.breakdown(resp, inst_var, wave, codebook).shares),
            "fig_inter": hc.shown_status(hc.breakdown(resp, inter_var, wave, codebook).shares),
            "fig_fear_country": hc.shown_status(hc.breakdown(resp, fear, wave, codebook).shares),
            "any_samples": hc.samples_fact(any_shares),
            "fear_samples": hc.samples_fact(fear_shares),
        }
    )


def _render_all(facts: dict, codebook, slug: str = "discrimination") -> dict[str, str]:
    """Every message the chapter pastes with ``{say}`` (the others are parts of those)."""
    words = Words("en", codebook)
    words.add(_words_block(slug), slug)
    text = (ROOT / "notebooks" / f"{slug}.md").read_text(encoding="utf-8")
    flat = flatten(facts)
    for fact, values, body in re.findall(
        r"^::::\{when\} (\S+) ?(.*?)\n(.*?)^::::$", text, re.S | re.M
    ):
        if str(flat.get(fact)) not in values.split():
            text = text.replace(body, "")  # left out of the page: never rendered
    ids = sorted(set(re.findall(r"\{say\}`([^`]+)`", text)))
    out = {i: words.say(i, facts) for i in ids}
    for message, text in out.items():
        assert not re.search(r"\bnan\b|[{}]|\$|\s[,.;]", text), (message, text)
    return out


@pytest.fixture(scope="module")
def demo_facts(cleaned_demo, codebook):
    return {wave: chapter_facts(cleaned_demo, wave, codebook) for wave in (1, 2, 3)}


def test_demo_facts_by_wave(demo_facts):
    one, two, three = (demo_facts[w] for w in (1, 2, 3))
    assert one["any_panel"]["status"] == "first_wave" and one["inst_country"]["status"] == (
        "not_asked"
    )
    assert two["any_panel"]["status"] == "ok" and two["recall"]["changed_now"]
    assert three["measure"]["change"] == "split" and three["inst_country"]["status"] == "ok"
    assert three["any_balanced"]["status"] == "ok"
    assert all(k.startswith("country_residence:") for k in three["inter_country"]["top"]["keys"])


def test_every_message_renders_for_waves_1_to_3(demo_facts, codebook):
    one = _render_all(demo_facts[1], codebook)
    assert one["kf-panel"] == "" and one["kf-split"] == "" and one["inst-text"] == ""
    assert one["kf-edition"].startswith("Wave 1 is the first wave")
    assert "since leaving Russia" in one["kf-any"]
    two = _render_all(demo_facts[2], codebook)
    assert "The reference period changed between waves 1 and 2" in two["kf-panel"]
    assert two["kf-edition"].startswith("Wave 2 did not ask separately")
    three = _render_all(demo_facts[3], codebook)
    assert three["kf-edition"] == ""
    assert "The question was split into two in wave 3" in three["kf-panel"]
    assert "Waves 1 and 2 asked one question" in three["measure-note"]
    assert "in wave 1 and the last 3 months in waves 2 and 3" in three["recall-note"]


def test_variants_the_demo_does_not_reach(demo_facts, codebook):
    facts = flatten(demo_facts[3])
    end = {
        "keys": ["country_residence:NL", "country_residence:GE"],
        "value": 25.0,
        "ci_low": 20.0,
        "ci_high": 30.0,
        "n": 100,
    }
    tie = {
        **demo_facts[3],
        "inst_country": {
            **demo_facts[3]["inst_country"],
            "top": end,
            "method": "fisher",
            "withheld": 1,
        },
    }
    text = _render_all(tie, codebook)
    assert "highest in the Netherlands and Georgia (25% each)" in text["inst-text"]
    assert "Fisher's exact test" in text["inst-text"]
    assert "One group is withheld" in text["inst-caption"]
    same = {**demo_facts[3], "fear_country": {**demo_facts[3]["fear_country"], "same": True}}
    assert "the same in every named country" in _render_all(same, codebook)["fear-country-text"]
    withheld = {
        **demo_facts[3],
        "any": {"status": "withheld", "n": 12},
        "any_panel": {"status": "withheld", "n": 12, "first": 2, "last": 3},
        "any_balanced": {"status": "withheld", "n": 12, "first": 1, "last": 3},
        "inter_country": {"status": "withheld", "n": 40, "withheld": 2},
        "fear": {"status": "not_asked"},
    }
    text = _render_all(withheld, codebook)
    assert text["any-panels-text"].startswith("Too few respondents answered both waves 2 and 3")
    assert text["inter-text"].startswith("Too few respondents answered in wave 3")
    assert text["kf-fear"] == "" and "did not ask" in text["fear-text"]
    assert facts["recall_now"] == "last_3_months"


# --- a fourth wave: what it asked is read from the data ---------------------------------------
def test_wave4_split_items_and_panel_come_from_the_data(wave4_resp, without_answers, codebook):
    """The synthetic wave 4 of conftest asked the two split items again (the codebook's
    ``waves`` say wave 3 only): nothing is "not asked"; the panel of waves 3 and 4 is
    reported (its n a hand count of complete pairs). A wave 4 without them: not asked, and
    the measure changed back to one question."""
    discr = codebook["discr_any"]
    assert dis.split_waves(wave4_resp, 4) == [3, 4]
    measure = dis.measure_fact(wave4_resp, 4)
    assert measure["now"] and measure["change"] == "none" and measure["split_count"] == 2
    asked = samples.asked_waves(wave4_resp, discr.name)
    assert asked == [1, 2, 3, 4]
    panel = hc.panel_fact(hc.panel_records(wave4_resp, discr, 4), 4, asked)
    pairs = samples.wide(samples.panel(wave4_resp, (3, 4)), discr.name).dropna()
    assert panel["status"] == "ok" and panel["n"] == len(pairs)
    assert hc.breakdown(wave4_resp, codebook["discr_institutional"], 4, codebook).asked

    dropped = without_answers(wave4_resp, list(dis.SPLIT_ITEMS), 4)
    assert dis.split_waves(dropped, 4) == [3]
    measure = dis.measure_fact(dropped, 4)
    assert not measure["now"] and measure["change"] == "joined"
    assert measure["single"] == ["wave=1", "wave=2", "wave=4"]
    assert not hc.breakdown(dropped, codebook["discr_institutional"], 4, codebook).asked
    gone = without_answers(wave4_resp, [discr.name], 4)
    facts = hc.panel_fact(
        hc.panel_records(gone, discr, 4), 4, samples.asked_waves(gone, "discr_any")
    )
    assert facts == {"status": "not_asked"}
