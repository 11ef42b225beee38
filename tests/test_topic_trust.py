"""The trust chapter's analysis (``wavebook.topics.trust``) on a small panel counted by hand.

Shares and changes are counted by hand in the comments; McNemar's p-values are checked against
statsmodels (``mcnemar(table, exact=True)``), the signed-rank p-value against
``scipy.stats.wilcoxon`` and the age test against ``scipy.stats.chi2_contingency``, all
independent of ``wavebook.stats``. The facts (values, direction codes, statuses) are checked
against those hand counts, and every message of the chapter's ``{words}`` (English and Russian)
is rendered with the facts of waves 1, 2 and 3 of the same panel, computed by the same calls as
the chapter's code cells.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.contingency_tables import mcnemar

from wavebook import charts, estimates, tables
from wavebook import report as wr
from wavebook.codebook import load_codebook
from wavebook.topics import trust as topic
from wavebook.words import Words, WordsError, flatten

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = load_codebook(ROOT / "data" / "codebook.yml")
ITEMS = [CODEBOOK[name] for name in topic.ITEMS]
NB = "\u00a0"

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


def _mcnemar_p(table) -> float:
    return mcnemar(table, exact=True).pvalue


def test_general_facts_by_hand(resp, panels):
    combined = estimates.frame(topic.combined_records(resp, ITEMS, 3))
    facts = topic.general_facts(combined, panels, "trust_general", 3)
    # all respondents of wave 3: A (30 of 40 trust, A39 answers from Russia but this item
    # concerns no host country) + B (10 of 10) = 40 of 50
    assert facts["latest"]["value"] == pytest.approx(80.0) and facts["latest"]["n"] == 50
    balanced, two = facts["balanced"], facts["two_wave"]
    assert (balanced["before"], balanced["after"]) == (pytest.approx(50.0), pytest.approx(75.0))
    assert (balanced["first"], balanced["last"], balanced["n"]) == (1, 3, 40)
    assert balanced["p"] == pytest.approx(_mcnemar_p([[10, 10], [0, 20]]))
    assert balanced["direction"] == "up"  # p = 2 · 0.5**10 < 0.05, +25 pp
    assert (two["before"], two["after"], two["direction"]) == (
        pytest.approx(60.0),
        pytest.approx(80.0),
        "up",
    )
    assert (two["first"], two["last"], facts["panels"]) == (2, 3, 2)


def test_item_changes_group_by_the_one_direction_rule(panels):
    facts = topic.item_changes(panels, topic.BATTERY, "panel_1_2_3")
    # trust_locals: 6 of 39 went 0 -> 1, none back: McNemar p = 2 · 0.5**6 = 0.031 < 0.05
    assert _mcnemar_p([[4, 6], [0, 29]]) < 0.05
    assert facts == {
        "status": "ok",
        "first": 1,
        "last": 3,
        "up": ["trust_locals"],
        "down": [],
        # the other three are 3 ("rather trust") at every wave: no change at all
        "flat": ["trust_russians_abroad", "trust_russians_in_russia", "trust_host_gov"],
        "withheld": [],
        "total": 4,
    }
    assert topic.item_changes(panels, topic.BATTERY, None)["status"] == "no_panel"


def test_small_panels_are_withheld_in_the_facts_and_table():
    few = _resp()
    few = few[~few["resp_id"].isin(A[12:])]  # 12 of A remain in panel_1_2_3
    rec = estimates.frame(topic.panel_records(few, ITEMS, 3))
    facts = topic.item_changes(rec, topic.BATTERY, "panel_1_2_3")
    assert facts["withheld"] == list(topic.BATTERY) and facts["up"] == facts["flat"] == []
    assert topic.panel_change(rec, "trust_general", "panel_1_2_3") == {
        "status": "withheld",
        "n": 12,
        "first": 1,
        "last": 3,
    }
    table = topic.changes_table(rec, topic.ITEMS, "panel_1_2_3", Words("en", CODEBOOK))
    assert set(table.rows["Change, pp (95% CI)"]) == {"withheld"}
    assert set(table.rows["Signed-rank p"]) == {"n/a", "withheld"}
    assert isinstance(
        topic.items_figure(rec, "panel_1_2_3", "fig-x", Words("en", CODEBOOK)), topic.Omitted
    )


def test_wave_1_has_no_panel_facts(resp):
    combined = estimates.frame(topic.combined_records(resp, ITEMS, 1))
    facts = topic.general_facts(combined, estimates.frame([]), "trust_general", 1)
    assert facts["panels"] == 0
    assert facts["balanced"] == facts["two_wave"] == {"status": "no_panel"}
    # wave 1: A (20 of 40), D (5 of 5), C (5 of 5) = 30 of 50
    assert facts["latest"]["value"] == pytest.approx(60.0)
    assert topic.panel_count(2) == 1 and topic.panel_count(5) == 2


def _share(key, value, sample="combined_w3", n=100):
    return estimates.record(
        chapter="",
        key=key,
        construct=key,
        statistic="share",
        wave=3,
        sample=sample,
        value=value,
        n=n,
    )


def test_ranking_facts_name_every_tied_group():
    rows = estimates.frame(
        [
            _share("trust_locals", 86.0),
            _share("trust_host_gov", 48.0),
            _share("trust_russians_abroad", 93.0),
        ]
    )
    facts = topic.ranking_facts(rows, topic.BATTERY, 3)
    assert (facts["status"], facts["top"], facts["bottom"]) == (
        "ok",
        ["trust_russians_abroad"],
        ["trust_host_gov"],
    )
    # 50.04 and 49.96 both print as 50%: both are least trusted
    rows = estimates.frame(
        [
            _share("trust_russians_abroad", 91.0),
            _share("trust_russians_in_russia", 50.04),
            _share("trust_host_gov", 49.96),
        ]
    )
    facts = topic.ranking_facts(rows, topic.BATTERY, 3)
    assert facts["bottom"] == ["trust_russians_in_russia", "trust_host_gov"]
    assert facts["bottom_value"] == pytest.approx(49.96)
    tie = estimates.frame([_share("trust_locals", 50.2), _share("trust_host_gov", 49.8)])
    assert topic.ranking_facts(tie, topic.BATTERY, 3)["status"] == "tie"
    assert topic.ranking_facts(tie, topic.BATTERY, 2) == {"status": "not_asked"}


def test_first_wave_in_nested_panels(resp, panels):
    rows = topic.first_wave_by_panel(resp, CODEBOOK["trust_general"], 3, panels)
    # panel_1_2_3 is already recorded; panel_1_2 = A and D: (20 + 5) of 45 at wave 1
    assert [r["key"] for r in rows] == ["trust_general_share_w1_panel_1_2"]
    assert rows[0]["value"] == pytest.approx(100 * 25 / 45)
    records = pd.concat([panels, estimates.frame(rows)])
    facts = topic.first_wave_facts(records, "trust_general", 3)
    assert facts["two"]["value"] == pytest.approx(100 * 25 / 45) and facts["two"]["n"] == 45
    assert facts["every"]["value"] == pytest.approx(50.0)  # 20 of 40 of A
    assert topic.first_wave_facts(records, "trust_general", 2)["every"] == {"status": "no_panel"}
    assert topic.first_wave_facts(records, "trust_general", 1)["two"] == {"status": "no_panel"}


def test_n_range_and_age_facts_against_scipy():
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
    facts = topic.age_facts(groups, test)
    assert (facts["status"], facts["differs"], facts["same"], facts["n"]) == ("ok", True, False, 80)
    assert (facts["top"], facts["bottom"]) == ("age_group=25–34", "age_group=45–54")
    assert (facts["top_value"], facts["bottom_value"]) == (75.0, 25.0)
    assert topic.age_facts(groups.iloc[:1], test)["status"] == "withheld"
    assert topic.n_range(groups, "combined_w3") == {
        "status": "ok",
        "low": 40,
        "high": 40,
        "same": True,
        "first": 3,
        "last": 3,
    }
    assert topic.n_range(groups, None) == {"status": "no_panel"}


def test_benchmark_facts_and_table():
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
            "construct": ["trust_general"] * 3,
            "population": ["Russia", "Russia", "Germany"],
            "value": [28.0, 23.0, 61.5],
            "source": ["World Values Survey (wave 6)"] + ["World Values Survey (wave 7)"] * 2,
            "year": ["2014", "2017-2020", "2017-2020"],
        }
    )
    facts = topic.benchmark_facts(ours, bench)
    assert facts["russia"] == {
        "low": 23.0,
        "high": 28.0,
        "same": False,
        "first": "2014",
        "last": "2020",
        "one_year": False,
        "versus": "above",
    }
    assert facts["germany"]["versus"] == "within" and facts["germany"]["one_year"] is False
    table = topic.benchmark_table(ours, bench, "2023", Words("en", CODEBOOK))
    assert list(table.rows["This survey is"]) == ["", "above", "above", "within the interval of"]
    assert table.rows.iloc[0, 1] == "61% (95% CI 60–62%, n = 9,502)"
    ru = topic.benchmark_table(ours, bench, "2023", Words("ru", CODEBOOK))
    assert list(ru.rows.iloc[:, 0])[1:] == ["Взрослое население России"] * 2 + [
        "Взрослое население Германии"
    ]
    assert ru.rows.iloc[2, 2] == "Всемирное исследование ценностей (7-я волна)"
    assert ru.rows.iloc[1, 1] == f"28{NB}%"


def test_published_number():
    published = pd.DataFrame({"id": ["a", "b"], "value": ["46", "-10"], "unit": ["%", "pp"]})
    assert topic.published_number(published, "a") == 46.0
    assert topic.published_number(published, "b") == -10.0


def test_figures_and_tables_in_both_languages(panels):
    en, ru = Words("en", CODEBOOK), Words("ru", CODEBOOK)
    figure = topic.items_figure(panels, "panel_1_2_3", "fig-x", en)
    assert isinstance(figure, charts.Figure)
    assert len(figure.data) == 15  # five items × three waves, aggregates only
    assert set(figure.data["item"]) == {CODEBOOK[n].text("en", "short") for n in topic.ITEMS}
    assert isinstance(topic.items_figure(panels, None, "fig-x", en), topic.Omitted)
    ru_figure = topic.items_figure(panels, "panel_1_2_3", "fig-x", ru)
    assert "Доверяют, %" in str(ru_figure.spec)
    table = topic.changes_table(panels, topic.ITEMS, "panel_1_2_3", en)
    assert isinstance(table, tables.Table) and len(table.rows) == 5
    first = table.rows.iloc[0]
    assert (first["Wave 1"], first["Wave 3"]) == ("50%", "75%")  # the headers name the waves
    assert first["Change, pp (95% CI)"].startswith("+25 (")  # the paired change, rounded
    assert first["Signed-rank p"] == "n/a"
    assert topic.changes_table(panels, topic.ITEMS, None, en).markdown() == "|  |\n| :-- |\n|  |"
    ru_table = topic.changes_table(panels, topic.ITEMS, "panel_2_3", ru)
    assert list(ru_table.rows.columns)[:3] == ["Вопрос", "Волна 2", "Волна 3"]
    assert ru_table.rows.iloc[0, 1] == f"60{NB}%"


def test_age_figure_alt_text_in_both_languages():
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
                n=2000,
            )
            for i, (g, v) in enumerate([("18–24", 60.0), ("25–34", 62.4)])
        ]
    )
    figure = topic.group_dots(groups, "fig-x", Words("en", CODEBOOK))
    assert "by age group, with 95% intervals: 18–24, 60%; 25–34, 62%." in figure.html()
    assert "resp_id" not in figure.data.columns
    ru = topic.group_dots(groups, "fig-x", Words("ru", CODEBOOK))
    assert f"18–24 — 60{NB}%; 25–34 — 62{NB}%." in ru.alt
    assert isinstance(topic.group_dots(groups.iloc[:0], "fig-x", Words("en")), topic.Omitted)


# --- the chapter's words, rendered with the facts of each wave -----------------------------
def _chapter_facts(resp: pd.DataFrame, wave: int) -> dict:
    """The facts the chapter's code cells record, by the same calls (benchmarks and the
    published figures as in data/)."""
    trust = CODEBOOK["trust_general"]
    items = CODEBOOK.select(topic.ITEMS)
    two_wave, balanced = topic.two_wave_sample(wave), topic.balanced_sample(wave)
    combined = estimates.frame(topic.combined_records(resp, items, wave))
    panels = estimates.frame(topic.panel_records(resp, items, wave))
    general = pd.concat(
        [combined[combined["construct"] == trust.name], panels[panels["construct"] == trust.name]]
    )
    ours = topic.latest(combined, trust.name, wave)
    bench = topic.benchmarks(
        pd.read_csv(ROOT / "data" / "benchmarks.csv", dtype={"year": str}), trust.name
    )
    by_age = estimates.frame(topic.by_age(resp, trust, wave))
    age_test = pd.Series(topic.age_test_record(resp, trust, wave))
    first_wave = estimates.frame(topic.first_wave_by_panel(resp, trust, wave, panels))
    scale_var = CODEBOOK[topic.BATTERY[0]]
    return wr.plain(
        {
            "wave": wave,
            "source": topic.source_facts(True, wave),
            "min_n": estimates.MIN_CELL_N,
            "general": topic.general_facts(combined, panels, trust.name, wave),
            "bench": topic.benchmark_facts(ours, bench),
            "balanced_items": topic.item_changes(panels, topic.BATTERY, balanced),
            "two_wave_items": topic.item_changes(panels, topic.BATTERY, two_wave),
            "ranking": topic.ranking_facts(combined, topic.BATTERY, wave),
            "general_answers": topic.answer_keys(trust),
            "samples": wr.samples_fact(general),
            "scale": topic.scale_keys(scale_var),
            "cut": topic.cut_keys(scale_var),
            "n_balanced": topic.n_range(panels, balanced),
            "n_two_wave": topic.n_range(panels, two_wave),
            "age": topic.age_facts(by_age, age_test),
            **wr.withheld_fact(by_age),
            "published_sm": 46.0,
            "published_yh": 55.0,
            "first_wave": topic.first_wave_facts(pd.concat([panels, first_wave]), trust.name, wave),
        }
    )


def _chapter_words(lang: str) -> Words:
    import re

    path = ROOT / "notebooks" / ("trust.md" if lang == "en" else "ru/trust.md")
    block = re.search(r"^:::\{words\}\n(.*?)^:::$", path.read_text(encoding="utf-8"), re.S | re.M)
    words = Words(lang, CODEBOOK)
    words.add(block.group(1), str(path))
    return words


def _said(lang: str) -> list[str]:
    import re

    path = ROOT / "notebooks" / ("trust.md" if lang == "en" else "ru/trust.md")
    return re.findall(r"\{say\}`([^`]+)`", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_sentence_renders_at_waves_1_2_3(resp, lang):
    """Every message the chapter pastes renders with the facts of waves 1, 2 and 3 (and with
    withheld panels), with no raw placeholder, no 'nan', and the wave-1 note only at wave 1."""
    words = _chapter_words(lang)
    few = resp[~resp["resp_id"].isin(A[12:] + B)]  # the panels rest on 12 people
    cases = {
        1: _chapter_facts(resp, 1),
        2: _chapter_facts(resp, 2),
        3: _chapter_facts(resp, 3),
        "few": _chapter_facts(few, 3),
    }
    note = {"en": "appear from wave 2 on", "ru": "начиная со 2-й волны"}[lang]
    for case, facts in cases.items():
        for message in _said(lang):
            try:
                text = words.say(message, facts)
            except WordsError as exc:
                raise AssertionError(f"{lang}, wave {case}: {exc}") from None
            assert "{" not in text and "nan" not in text.lower().split(), (case, message, text)
        finding = words.say("finding-panel", facts)
        assert (note in finding) == (case == 1), (case, finding)
    assert "withheld" not in flatten(cases[3])["balanced_items_withheld"]


def test_key_sentences_read_as_counted_by_hand(resp):
    facts = _chapter_facts(resp, 3)
    en, ru = _chapter_words("en"), _chapter_words("ru")
    assert en.say("finding-panel", facts) == (
        "Among respondents who answered every wave from 1 to 3, the share who trust most "
        "people rose from 50% in wave 1 to 75% in wave 3; trust in residents of the host "
        "country rose; trust in Russians who have also left Russia, Russians who stayed in "
        "Russia, and the host country's government did not change significantly."
    )
    assert ru.say("finding-panel", facts).startswith(
        "Среди респондентов, участвовавших во всех волнах с 1-й по 3-ю, доля доверяющих "
        f"большинству людей выросла с 50{NB}% в 1-й волне до 75{NB}% в 3-й; доверие к местным "
        "жителям страны проживания выросло;"
    )
    # the printed change is the difference of the printed shares (75 − 50)
    assert f"(+25{NB}pp;" in en.say("panel-balanced", facts)
    wave2 = _chapter_facts(resp, 2)
    assert "wave 1 and wave 2" in en.say("panel-two-wave", wave2)
    assert "и в 1-й, и во 2-й волне" in ru.say("panel-two-wave", wave2)
    assert en.say("panel-balanced", wave2) == ""
