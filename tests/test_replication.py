"""The replication appendix: parsing printed values, recomputing rows, reasons and records.

The expected numbers of the hand-made panel below are counted by hand from its table (the
comments give the counts); intervals come from :mod:`wavebook.stats`, tested on its own.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wavebook import estimates, replication
from wavebook.clean import clean_waves
from wavebook.codebook import load_codebook
from wavebook.errors import ConfigError
from wavebook.words import Words

ROOT = Path(__file__).resolve().parents[1]
# The project's copy of the published figures; until it exists, the shared domain file.
PUBLISHED = [
    ROOT / "data" / replication.PUBLISHED_FILE,
    Path("/work/shared/domain/published_figures.csv"),
]


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(ROOT / "data" / "codebook.yml")


@pytest.fixture(scope="module")
def all_published() -> pd.DataFrame:
    path = next((p for p in PUBLISHED if p.is_file()), None)
    if path is None:
        pytest.skip("published_figures.csv is not available")
    return replication.load_published(path)


@pytest.fixture(scope="module")
def overrides():
    return replication.load_overrides(ROOT / "data" / replication.OVERRIDES_FILE)


# --- parsing the printed values ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number", "qualifier", "low", "high"),
    [
        ("46", 46.0, "", 45.5, 46.5),
        ("3.38", 3.38, "", 3.375, 3.385),
        ("-10", -10.0, "", -10.5, -9.5),
        ("1680", 1680.0, "", 1679.5, 1680.5),
        ("~50", 50.0, "~", 45.0, 55.0),
        ("~7", 7.0, "~", 5.0, 9.0),  # at least ± 2
        (">90", 90.0, ">", 90.0, math.inf),
        (">0.05", 0.05, ">", 0.05, math.inf),
        ("<10", 10.0, "<", -math.inf, 10.0),
        ("<0.001", 0.001, "<", -math.inf, 0.001),
        ("<=80", 80.0, "<=", -math.inf, 80.0),
        ("69-77", 73.0, "range", 68.5, 77.5),
        ("14-18", 16.0, "range", 13.5, 18.5),
    ],
)
def test_parse_every_qualifier(text, number, qualifier, low, high):
    parsed = replication.parse_value(text)
    assert parsed["number"] == pytest.approx(number)
    assert parsed["qualifier"] == qualifier
    assert parsed["low"] == pytest.approx(low) and parsed["high"] == pytest.approx(high)


@pytest.mark.parametrize("text", ["", "about half", "5%", "~", "1-2-3", "=5"])
def test_unreadable_values_are_refused(text):
    with pytest.raises(ValueError, match="cannot read"):
        replication.parse_value(text)


def test_load_published_reads_every_row(all_published):
    assert len(all_published) == all_published["id"].nunique()
    assert all_published["number"].notna().all()
    assert set(all_published["report"]) == {"SixMonths", "YearHalf"}
    assert set(all_published["qualifier"]) <= {"", "~", ">", ">=", "<", "<=", "range"}


def test_load_published_names_the_bad_row(tmp_path):
    path = tmp_path / "published.csv"
    path.write_text(
        _csv([("sm_x", "trust_general", "share", "1", "panel_1_2", "all", "about half")]),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="sm_x"):
        replication.load_published(path)


# --- a small panel counted by hand ---------------------------------------------------------
#
# Wave 1: A0–A9, all abroad.  Wave 2: A0–A7 again (A0 and A1 back in Russia) and newcomers
# B0–B3.  Wave 3: A0–A3, B0, B1 again and newcomers C0–C5.
# panel_1_2 = A0–A7 (8); panel_2_3 = A0–A3, B0, B1 (6); panel_1_2_3 = A0–A3 (4);
# panel_2plus = A0–A7, B0, B1 (10); combined_all = 10 + 4 + 6 = 20.
N = np.nan
W1 = {
    "A0": ("GE", 1),
    "A1": ("GE", 0),
    "A2": ("GE", 0),
    "A3": ("AM", 1),
    "A4": ("AM", 0),
    "A5": ("GE", 1),
    "A6": ("AM", 0),
    "A7": ("GE", 0),
    "A8": ("AM", 1),
    "A9": ("GE", N),
}
# id: (country, trust_general, attach_russia, return_reason_temporary, gender)
W2 = {
    "A0": ("RU", 1, 4, 1, "male"),
    "A1": ("RU", 1, 5, 0, "female"),
    "A2": ("GE", 0, 3, N, "female"),
    "A3": ("AM", 1, 4, N, "male"),
    "A4": ("AM", 1, 98, N, "male"),
    "A5": ("GE", 1, 2, N, "female"),
    "A6": ("TR", 0, 5, N, "male"),
    "A7": ("GE", 0, 4, N, "male"),
    "B0": ("GE", 1, 3, N, "female"),
    "B1": ("DE", 0, 2, N, "male"),
    "B2": ("GE", 1, 1, N, "female"),
    "B3": ("TR", 1, 3, N, "male"),
}
# id: (country, trust_general, discr_institutional)
W3 = {
    "A0": ("GE", 1, 1),
    "A1": ("GE", 1, 0),
    "A2": ("TR", 0, 1),
    "A3": ("GE", 1, 0),
    "B0": ("DE", 0, 0),
    "B1": ("GE", 1, 1),
    "C0": ("GE", 1, 1),
    "C1": ("TR", 0, 0),
    "C2": ("AM", 1, 0),
    "C3": ("AE", 0, 1),
    "C4": ("AE", 1, 0),
    "C5": ("ME", 0, 0),
}
LATE = {"B2", "B3"}  # left after the mobilization announcement


def _resp() -> pd.DataFrame:
    rows = [
        {"resp_id": i, "wave": 1, "country_residence": c, "trust_general": t}
        for i, (c, t) in W1.items()
    ]
    rows += [
        {
            "resp_id": i,
            "wave": 2,
            "country_residence": c,
            "trust_general": t,
            "attach_russia": a,
            "return_reason_temporary": r,
            "gender": g,
        }
        for i, (c, t, a, r, g) in W2.items()
    ]
    rows += [
        {
            "resp_id": i,
            "wave": 3,
            "country_residence": c,
            "trust_general": t,
            "discr_institutional": d,
        }
        for i, (c, t, d) in W3.items()
    ]
    resp = pd.DataFrame(rows)
    resp["departure_date"] = pd.Timestamp("2022-03-01")
    resp.loc[resp["resp_id"].isin(LATE), "departure_date"] = pd.Timestamp("2022-09-25")
    return resp


ROWS = [
    # id, construct, statistic, wave, sample, subgroup, value
    ("sm_trust_w1", "trust_general", "share", "1", "panel_1_2", "all", "46"),
    ("sm_trust_w2", "trust_general", "share", "2", "panel_1_2", "all", ">90"),
    ("sm_trust_chg", "trust_general", "change_pp", "1->2", "panel_1_2", "all", "14"),
    ("sm_n_w1", "sample_size", "count", "1", "w1_all", "all", "10"),
    ("sm_n_12", "sample_size", "count", "1->2", "panel_1_2", "all", "611"),
    ("sm_n_w2", "sample_size", "count", "2", "combined_w2", "all", "12"),
    ("yh_n_all", "sample_size", "count", "1-3", "combined_all", "all", "10871"),
    ("yh_n_2plus", "sample_size", "count", "1-3", "panel_2plus", "all", "10"),
    ("yh_n_123", "sample_size", "count", "1-3", "panel_1_2_3", "all", "4"),
    ("yh_n_23", "sample_size", "count", "2->3", "panel_2_3", "all", "6"),
    ("yh_n_countries", "country_residence", "count", "1-3", "combined_all", "all", ">100"),
    ("sm_returned", "returned_russia", "share", "1->2", "panel_1_2", "all", "16"),
    ("sm_temporary", "return_reason_temporary", "share", "2", "panel_1_2", "returnees", "66"),
    ("sm_attach_stayers", "attach_russia", "mean", "2", "panel_1_2", "stayers_abroad", "3.15"),
    ("sm_late_women", "gender", "share", "2", "combined_w2", "left_after_mobilization", "~50"),
    (
        "yh_inst_georgia",
        "discr_institutional",
        "share",
        "3",
        "combined_w3",
        "country=Georgia",
        "55-65",
    ),
    ("yh_inst_turkey", "discr_institutional", "share", "3", "combined_w3", "country=Turkey", "23"),
    ("yh_inst_other", "discr_institutional", "share", "3", "combined_w3", "country=other", "19"),
    ("yh_trust_w3", "trust_general", "share", "3", "panel_1_2_3", "all", "70"),
    # one row of every reason
    ("sm_lifesat_mean", "life_satisfaction", "mean", "2", "combined_w2", "all", "3.38"),
    ("sm_n_contacts", "sample_size", "count", "1", "w1_all", "left_contacts", "1032"),
    ("yh_age_mean", "age", "mean", "unspecified", "combined_unspec", "all", "34"),
    ("sm_discr_test", "discr_any", "p_value", "1->2", "panel_1_2", "all", ">0.05"),
    ("yh_help_initial", "civ_help_ru_migrants", "share", "1?", "panel_1_2_3", "all", "38"),
    ("yh_precarity", "rights_stability", "share", "3", "combined_w3", "all", "56"),
]


def _csv(rows) -> str:
    out = io.StringIO()
    frame = pd.DataFrame(
        rows, columns=["id", "construct", "statistic", "wave", "sample", "subgroup", "value"]
    )
    frame["definition"] = "hand-made row " + frame["id"]
    frame["unit"] = np.select(
        [
            frame["statistic"] == "count",
            frame["statistic"] == "mean",
            frame["statistic"] == "change_pp",
            frame["statistic"] == "p_value",
        ],
        ["persons", "scale_1_5", "pp", "p"],
        "%",
    )
    frame["source"] = np.where(
        frame["id"].str.startswith("sm_"), "SixMonths Fig 1", "YearHalf Fig 1"
    )
    frame["note"] = ""
    frame[replication.PUBLISHED_COLUMNS].to_csv(out, index=False)
    return out.getvalue()


@pytest.fixture(scope="module")
def hand_published(tmp_path_factory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("published") / "published.csv"
    path.write_text(_csv(ROWS), encoding="utf-8")
    return replication.load_published(path)


HAND_OVERRIDES = replication.Overrides.model_validate(
    {
        "version": 1,
        "rows": {
            "yh_precarity": {
                "unclear": "the cut is not printed",
                "unclear_ru": "порог не напечатан",
            }
        },
        "figures": {
            "sm_trust_w2": {
                "what_en": "share who say most people can be trusted",
                "what_ru": "доля считающих, что большинству людей можно доверять",
            }
        },
    }
)


@pytest.fixture(scope="module")
def hand(hand_published, codebook) -> pd.DataFrame:
    out = replication.recompute(hand_published, _resp(), codebook, 3, HAND_OVERRIDES, min_cell_n=1)
    return out.set_index("id")


def test_a_share_and_a_change_counted_by_hand(hand):
    # panel_1_2 (A0–A7) trusts at W1: A0, A3, A5 -> 3 of 8; at W2: A0, A1, A3, A4, A5 -> 5 of 8
    assert (hand.loc["sm_trust_w1", "value"], hand.loc["sm_trust_w1", "n"]) == (37.5, 8)
    assert (hand.loc["sm_trust_w2", "value"], hand.loc["sm_trust_w2", "n"]) == (62.5, 8)
    # pairs: A1 and A4 went 0 -> 1, nobody 1 -> 0: +2 of 8 = +25 pp
    assert (hand.loc["sm_trust_chg", "value"], hand.loc["sm_trust_chg", "n"]) == (25.0, 8)
    assert hand.loc["sm_trust_chg", "p_value"] == pytest.approx(0.5)  # exact McNemar, 2 vs 0
    # panel_1_2_3 (A0–A3) at W3: A0, A1, A3 -> 3 of 4
    assert hand.loc["yh_trust_w3", "value"] == 75.0


def test_counts_by_hand(hand):
    expected = {
        "sm_n_w1": 10,
        "sm_n_12": 8,
        "sm_n_w2": 12,
        "yh_n_all": 20,
        "yh_n_2plus": 10,
        "yh_n_123": 4,
        "yh_n_23": 6,
    }
    assert {k: hand.loc[k, "value"] for k in expected} == expected
    # countries of residence outside Russia over all waves: GE, AM, TR, DE, AE, ME
    assert hand.loc["yh_n_countries", "value"] == 6
    assert hand.loc["sm_n_w1", "statistic"] == "count"
    assert math.isnan(hand.loc["sm_n_w1", "ci_low"])


def test_country_subgroups_by_hand(hand):
    # W3 in Georgia: A0 1, A1 0, A3 0, B1 1, C0 1 -> 3 of 5
    assert (hand.loc["yh_inst_georgia", "value"], hand.loc["yh_inst_georgia", "n"]) == (60.0, 5)
    # Turkey: A2 1, C1 0 -> 1 of 2
    assert hand.loc["yh_inst_turkey", "value"] == 50.0
    # "other" = none of the countries the breakdown names (Georgia, Turkey): DE 0, AM 0,
    # AE 1, AE 0, ME 0 -> 1 of 5
    assert (hand.loc["yh_inst_other", "value"], hand.loc["yh_inst_other", "n"]) == (20.0, 5)


def test_returnee_subgroups_by_hand(hand):
    # back in Russia at W2 after W1 abroad: A0 and A1 of panel_1_2 -> 2 of 8
    assert (hand.loc["sm_returned", "value"], hand.loc["sm_returned", "n"]) == (25.0, 8)
    # of the two returnees, A0 ticked "temporary"
    assert (hand.loc["sm_temporary", "value"], hand.loc["sm_temporary", "n"]) == (50.0, 2)
    # stayers A2–A7 attach 3, 4, 98, 2, 5, 4: "hard to say" out -> (3+4+2+5+4)/5
    assert hand.loc["sm_attach_stayers", "value"] == pytest.approx(3.6)
    assert hand.loc["sm_attach_stayers", "n"] == 5


def test_cohort_subgroup_by_hand(hand):
    # left after the announcement and abroad at W2: B2 (female), B3 (male)
    assert (hand.loc["sm_late_women", "value"], hand.loc["sm_late_women", "n"]) == (50.0, 2)


def test_every_reason(hand, hand_published, codebook):
    reasons = hand["reason"].to_dict()
    assert reasons["sm_lifesat_mean"] == replication.NOT_ASKED
    assert reasons["sm_n_contacts"] == replication.NO_SAMPLE
    assert reasons["yh_age_mean"] == replication.NO_SAMPLE
    assert reasons["sm_discr_test"] == replication.NO_STATISTIC
    assert reasons["yh_help_initial"] == replication.UNCLEAR
    assert reasons["yh_precarity"] == replication.UNCLEAR
    assert hand.loc["yh_precarity", "detail"] == "text"
    assert hand.loc["yh_precarity", "detail_facts"] == {
        "en": "the cut is not printed",
        "ru": "порог не напечатан",
    }
    assert hand.loc["sm_lifesat_mean", "detail"] == "not-asked"
    assert hand.loc["sm_lifesat_mean", "detail_facts"] == {
        "wave": 2,
        "variable": "life_satisfaction",
    }
    assert hand.loc["sm_n_contacts", "detail_facts"] == {"sample": "w1_contacts"}
    not_computable = hand[hand["status"] == replication.NOT_COMPUTABLE]
    assert set(not_computable.index) == {
        "sm_lifesat_mean",
        "sm_n_contacts",
        "yh_age_mean",
        "sm_discr_test",
        "yh_help_initial",
        "yh_precarity",
    }
    assert not_computable["outside"].isna().all()
    # a wave-2 edition cannot recompute wave-3 figures
    edition2 = replication.recompute(
        hand_published, _resp(), codebook, 2, HAND_OVERRIDES, min_cell_n=1
    ).set_index("id")
    for row_id in ["yh_trust_w3", "yh_n_all", "yh_n_23", "yh_inst_georgia"]:
        assert edition2.loc[row_id, "reason"] == replication.WAVE_LATER
    assert edition2.loc["sm_trust_chg", "value"] == 25.0


def test_outside_flag(hand):
    # 46 lies in the interval of 3 of 8; ">90" cannot hold when 5 of 8 give a top below 90
    assert hand.loc["sm_trust_w2", "ci_high"] < 90
    assert not hand.loc["sm_trust_w1", "outside"] and hand.loc["sm_trust_w2", "outside"]
    # a range overlapping the interval is inside; a count must match
    assert not hand.loc["yh_inst_georgia", "outside"]
    assert not hand.loc["sm_n_w1", "outside"] and hand.loc["sm_n_12", "outside"]
    assert hand.loc["yh_n_countries", "outside"]  # 6 is not more than 100
    assert not hand.loc["sm_late_women", "outside"]  # ~50 and 50


def test_small_cells_are_withheld_and_never_compared(hand_published, codebook):
    out = replication.recompute(hand_published, _resp(), codebook, 3, HAND_OVERRIDES)
    computed = out[out["status"] == replication.COMPUTED]
    assert computed["suppressed"].all()  # every cell of the hand panel is under MIN_CELL_N
    assert computed["value"].isna().all() and computed["outside"].isna().all()
    table = replication.comparison_table(out, "SixMonths").markdown()
    assert "withheld" in table and "37.5" not in table and "38%" not in table


def test_secondary_suppression_of_a_country_breakdown(hand_published, codebook):
    # with a minimum of 3, Turkey (n = 2) is withheld; "other" and Georgia add up to the
    # rest, so the smallest other country group is withheld too
    out = replication.recompute(
        hand_published, _resp(), codebook, 3, HAND_OVERRIDES, min_cell_n=3
    ).set_index("id")
    withheld = out.loc[["yh_inst_georgia", "yh_inst_turkey", "yh_inst_other"], "suppressed"]
    assert withheld.sum() == 2 and withheld["yh_inst_turkey"]


def test_records_carry_the_published_names(hand):
    recs = replication.records(hand.reset_index())
    assert list(recs.columns) == estimates.COLUMNS
    assert recs["key"].is_unique and recs["key"].str.startswith("replication_").all()
    row = recs.set_index("key").loc["replication_sm_temporary"]
    assert (row["sample"], row["subgroup"], row["wave"]) == ("panel_1_2", "returnees", "2")
    assert "replication_sm_lifesat_mean" not in set(recs["key"])


def test_facts_count_by_hand(hand):
    """Counted by hand from ROWS: six rows are not computable (the last block of ROWS), one
    per reason except two "sample not available" and two "definition unclear"; the rest are
    computed: the ten ``sm_`` rows before sm_lifesat_mean (SixMonths) and the nine ``yh_``
    rows from yh_n_all to yh_trust_w3 (YearHalf)."""
    facts = replication.facts(hand.reset_index(), 3)
    assert facts["published"] == len(ROWS) == 25
    assert facts["not_computable"] == 6 and facts["computed"] == 19
    assert facts["reasons"] == {
        "not_asked": 1,
        "wave_later": 0,
        "no_sample": 2,
        "no_statistic": 1,
        "unclear": 2,
    }
    assert facts["reports"] == {"sixmonths": 10, "yearhalf": 9}
    assert facts["inside"] + facts["outside"] == facts["compared"]
    assert facts["compared"] + facts["withheld"] == facts["computed"]
    assert facts["approx"] == {"relative": 10, "minimum": 2.0}
    assert facts["min_n"] == estimates.MIN_CELL_N and facts["last_wave"] == 3


def test_tables_show_marks_and_reasons_in_words(hand, codebook):
    comparison = hand.reset_index()
    words = Words("en", codebook)
    six = replication.comparison_table(comparison, "SixMonths", words).markdown()
    assert "| sm_trust_w2 |" in six and "outside" in six and "matches" in six
    assert "yh_trust_w3" not in six
    # the figure is described in words, its sample and group by name, not by code
    assert "| share who say most people can be trusted |" in six
    assert "answered waves 1 and 2; returned to Russia" in six
    assert "panel_1_2" not in six and "returnees" not in six
    missing = replication.not_computable_table(comparison, words).markdown()
    assert missing.index("not asked in the data") < missing.index("definition unclear")
    assert "wave 2 has no answers to the question “Satisfaction with one" in missing
    assert "the data do not record who left contact details in wave 1" in missing
    assert "the cut is not printed" in missing
    empty = replication.comparison_table(comparison.iloc[:0], "YearHalf").markdown()
    assert "No figure" in empty


def test_tables_in_russian(hand, codebook):
    comparison = hand.reset_index()
    words = Words("ru", codebook)
    six = replication.comparison_table(comparison, "SixMonths", words).markdown()
    assert "Что опубликовано" in six and "доля считающих, что большинству" in six
    assert "ответили в волнах 1 и 2; вернулись в Россию" in six
    assert "вне интервала" in six and "совпадает" in six
    missing = replication.not_computable_table(comparison, words).markdown()
    assert "порог не напечатан" in missing and "вопроса нет в данных" in missing
    for text in (six, missing):
        assert "outside" not in text and "not asked" not in text


def test_every_figure_is_described_in_both_languages(overrides, all_published, codebook):
    """The replication page shows each figure by what it counts, in words: every published
    row has a description in English and Russian that names no variable or code."""
    assert set(overrides.figures) == set(all_published["id"])
    for figure in overrides.figures.values():
        for text in (figure.what_en, figure.what_ru):
            assert not any(mark in text for mark in ("==", "_", "{", ">=", "W1", "W2", "W3"))
    ru = [f.what_ru for f in overrides.figures.values()]
    assert all(any("а" <= ch <= "я" for ch in text.lower()) for text in ru)
    every = [row for row in overrides.rows.values() if row.unclear]
    assert all(row.unclear_ru for row in every)


def test_overrides_must_name_published_rows_and_codes(hand_published, codebook):
    stray = replication.Overrides.model_validate({"version": 1, "rows": {"nope": {}}})
    with pytest.raises(ConfigError, match="nope"):
        replication.recompute(hand_published, _resp(), codebook, 3, stray)
    bad = replication.Overrides.model_validate(
        {"version": 1, "rows": {"sm_trust_w1": {"codes": [7]}}}
    )
    with pytest.raises(ConfigError, match="sm_trust_w1"):
        replication.recompute(hand_published, _resp(), codebook, 3, bad)


def test_override_codes_and_baseline(hand_published, codebook):
    rows = {
        "sm_attach_stayers": {},
        "sm_trust_w2": {"codes": [0]},
        "sm_temporary": {"among": {"variable": "trust_general", "wave": 1, "codes": [1]}},
    }
    custom = replication.Overrides.model_validate({"version": 1, "rows": rows})
    out = replication.recompute(
        hand_published, _resp(), codebook, 3, custom, min_cell_n=1
    ).set_index("id")
    assert out.loc["sm_trust_w2", "value"] == 37.5  # 3 of 8 distrust at W2
    # returnee reasons among those trusting at W1 (A0 of A0, A1): A0 ticked it -> 1 of 1
    assert (out.loc["sm_temporary", "value"], out.loc["sm_temporary", "n"]) == (100.0, 1)


# --- the whole published list against the demo data ----------------------------------------
@pytest.fixture(scope="module")
def demo_resp(demo_waves) -> pd.DataFrame:
    return clean_waves(demo_waves).resp


@pytest.mark.parametrize("last_wave", [1, 2, 3])
def test_every_published_row_is_computed_or_explained(
    all_published, demo_resp, codebook, overrides, last_wave
):
    resp = demo_resp[demo_resp["wave"] <= last_wave]
    out = replication.recompute(all_published, resp, codebook, last_wave, overrides)
    assert len(out) == len(all_published) and out["id"].tolist() == all_published["id"].tolist()
    assert set(out["status"]) <= {replication.COMPUTED, replication.NOT_COMPUTABLE}
    computed = out["status"] == replication.COMPUTED
    assert set(out.loc[~computed, "reason"]) <= set(replication.REASONS)
    assert (out.loc[~computed, "detail"] != "").all()
    shown = out[computed & ~out["suppressed"]]
    assert shown["value"].notna().all() and shown["outside"].notna().all()
    later = out["reason"] == replication.WAVE_LATER
    assert later.any() == (last_wave < 3)
    # the sample sizes are always computable once their waves exist
    assert computed[out["id"] == "sm_n_w1_all"].all()
    recs = replication.records(out)
    assert recs["key"].is_unique and len(recs) == int(computed.sum())


def test_the_demo_reproduces_its_calibrated_sample_sizes(
    all_published, demo_resp, codebook, overrides
):
    out = replication.recompute(all_published, demo_resp, codebook, 3, overrides)
    sizes = out[
        (out["construct"] == "sample_size")
        & (out["statistic"] == "count")
        & (out["status"] == replication.COMPUTED)
    ].set_index("id")
    assert {"sm_n_w1_all", "sm_n_panel_1_2", "sm_n_combined_w2", "yh_n_panel_1_2_3"} <= set(
        sizes.index
    )
    assert not sizes["outside"].any()


def test_the_overrides_file_is_valid(overrides, all_published, codebook):
    assert set(overrides.rows) <= set(all_published["id"])
    assert set(overrides.figures) <= set(all_published["id"])
    assert all(
        row.unclear or row.variable or row.codes or row.any_of or row.among
        for row in overrides.rows.values()
    )


def test_answers_say_what_each_row_counts(hand_published, codebook):
    """The default rule writes the codebook's cut (trust_general 1, gender: the row's own
    construct); the derived return counts answers from Russia; overrides write their codes,
    their column or their "any of"; counts, means and rows not computed leave it empty."""
    answers = replication.recompute(
        hand_published, _resp(), codebook, 3, HAND_OVERRIDES, min_cell_n=1
    ).set_index("id")["answers"]
    assert answers["sm_trust_w1"] == "1" and answers["sm_trust_chg"] == "1"
    assert answers["sm_returned"] == "country_residence=RU"  # returned_russia not in the data
    assert answers["sm_late_women"] == "female"
    assert answers["yh_inst_georgia"] == "1"
    assert answers[["sm_n_w1", "sm_attach_stayers", "sm_lifesat_mean"]].tolist() == ["", "", ""]
    overrides = replication.Overrides.model_validate(
        {
            "version": 1,
            "rows": {
                "sm_late_women": {"codes": ["male"]},
                "yh_trust_w3": {"variable": "discr_institutional"},
                "yh_inst_turkey": {"any_of": ["discr_institutional", "trust_general"]},
            },
        }
    )
    other = replication.recompute(hand_published, _resp(), codebook, 3, overrides, min_cell_n=1)
    other = other.set_index("id")["answers"]
    assert other["sm_late_women"] == "male"
    assert other["yh_trust_w3"] == "discr_institutional=1"
    assert other["yh_inst_turkey"] == "any:discr_institutional|trust_general"
    recs = replication.records(
        replication.recompute(hand_published, _resp(), codebook, 3, overrides, min_cell_n=1)
    ).set_index("key")
    assert recs.loc["replication_sm_late_women", "answers"] == "male"
