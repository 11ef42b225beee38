"""Cleaning rules and named samples, on small frames counted by hand and on the demo."""

from __future__ import annotations

import pandas as pd

from wavebook import samples
from wavebook.clean import Rules, clean_wave, clean_waves
from wavebook.demo import SEGMENTS


def _frame(rows):
    base = {
        "wave": 2,
        "interview_date": pd.Timestamp("2022-09-01"),
        "completion": 1.0,
        "duration_min": 20.0,
        "country_residence": "GE",
        "departure_date": pd.Timestamp("2022-03-01"),
        "trust_general": 1.0,
    }
    return pd.DataFrame([{**base, **row} for row in rows])


def test_each_rule_counts_its_exclusions():
    resp = _frame(
        [
            {"resp_id": "a"},
            {"resp_id": "b", "departure_date": pd.Timestamp("2021-12-01")},  # left before the war
            {"resp_id": "c", "country_residence": "RU"},  # never left
            {"resp_id": "d", "country_residence": "RU", "trust_general": 0.0},  # returnee
            {"resp_id": "e", "completion": 0.3},  # partial
            {"resp_id": "f"},  # same answers as "a"
            {
                "resp_id": "g",
                "duration_min": 2.0,
                "trust_general": 0.0,
                "country_residence": "AM",
            },  # speeder
            {"resp_id": "h", "trust_general": 0.0, "country_residence": "TR"},
        ]
    )
    cleaned = clean_wave(resp, abroad_before={"d"})
    assert sorted(cleaned.resp["resp_id"]) == ["a", "d", "h"]
    excluded = dict(zip(cleaned.flow["rule"], cleaned.flow["excluded"], strict=True))
    assert excluded["left Russia before 24 February 2022"] == 1
    assert excluded["in Russia and had not left (not a returnee)"] == 1
    assert excluded["completed less than 50% of the questionnaire"] == 1
    assert excluded["duplicate answer pattern"] == 1
    assert excluded["speeder (under 30% of the median duration)"] == 1
    assert cleaned.flow["remaining"].iloc[-1] == 3


def test_post_mobilization_option():
    resp = _frame(
        [
            {"resp_id": "a"},
            {"resp_id": "b", "departure_date": pd.Timestamp("2022-09-25"), "trust_general": 0.0},
        ]
    )
    assert len(clean_wave(resp).resp) == 2
    cleaned = clean_wave(resp, rules=Rules(exclude_post_mobilization=True))
    assert cleaned.resp["resp_id"].tolist() == ["a"]


def test_demo_cleans_to_the_published_design(demo_waves):
    cleaned = clean_waves(demo_waves).resp
    size = {w: sum(n for ws, n in SEGMENTS.items() if w in ws) for w in (1, 2, 3)}
    assert size == {1: 1680, 2: 2176, 3: 9655}
    for wave, n in size.items():
        assert len(samples.combined(cleaned, wave)) == n
    assert len(samples.panel_ids(cleaned, [1, 2])) == 611
    assert len(samples.panel_ids(cleaned, [2, 3])) == 1465
    assert len(samples.panel_ids(cleaned, [1, 2, 3])) == 470
    assert cleaned["resp_id"].nunique() == 10871


def test_panel_and_returnees_on_a_hand_made_table():
    resp = pd.DataFrame(
        {
            "resp_id": ["a", "a", "b", "b", "c", "d", "d", "d"],
            "wave": [1, 2, 1, 2, 2, 1, 2, 3],
            "country_residence": ["GE", "RU", "AM", "AM", "RU", "TR", "TR", "RU"],
        }
    )
    assert sorted(samples.panel_ids(resp, [1, 2])) == ["a", "b", "d"]
    assert samples.panel(resp, [1, 2, 3])["resp_id"].unique().tolist() == ["d"]
    assert samples.returnees(resp, 2)["resp_id"].tolist() == ["a"]
    assert samples.returnees(resp, 3)["resp_id"].tolist() == ["d"]
    overlaps = samples.overlaps(resp, 3).set_index("sample")["n"].to_dict()
    assert overlaps == {"panel_1_2": 3, "panel_1_3": 1, "panel_2_3": 1, "panel_1_2_3": 1}
    comp = samples.composition(resp).set_index(["wave", "group"])["n"]
    assert comp[(2, "returning")] == 3 and comp[(2, "new")] == 1


def test_departure_cohort_cut_at_mobilization():
    resp = pd.DataFrame({"departure_date": pd.to_datetime(["2022-09-20", "2022-09-21"])})
    assert samples.departure_cohort(resp).tolist() == ["pre_mobilization", "post_mobilization"]


def test_age_group_bands():
    resp = pd.DataFrame({"age": [18, 24, 25, 54, 55, 80]})
    assert samples.age_group(resp).astype(str).tolist() == [
        "18–24",
        "18–24",
        "25–34",
        "45–54",
        "55+",
        "55+",
    ]
