"""The appendices (methodology, replication, codebook): their facts against independent
counts, and every variant of their sentences rendered for waves 1, 2 and 3."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats as scipy_stats

from wavebook import estimates, replication, tables
from wavebook import report as wr
from wavebook.codebook import load_codebook
from wavebook.words import Words

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("methodology", "replication", "codebook")
_BLOCK = re.compile(r"^:::\{words\}\n(.*?)^:::$", re.S | re.M)
_SAY = re.compile(r"\{say\}`([^`]+)`")


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(ROOT / "data" / "codebook.yml")


def _words(page: str, codebook) -> Words:
    words = Words("en", codebook)
    text = (ROOT / "notebooks" / f"{page}.md").read_text(encoding="utf-8")
    for block in _BLOCK.findall(text):
        words.add(block, page)
    return words


def _said(page: str) -> list[str]:
    return _SAY.findall((ROOT / "notebooks" / f"{page}.md").read_text(encoding="utf-8"))


def _clean(text: str) -> None:
    assert "{" not in text and "$" not in text and "nan" not in text.lower().split()
    assert "  " not in text and not text.startswith((" ", ",", ";"))


# --- methodology -------------------------------------------------------------------------------
def test_sizes_fact_counted_by_hand(cleaned_demo):
    """Each wave's respondents counted with pandas directly; the panel of every wave as the
    respondents present in all waves (set intersection)."""
    for last in (1, 2, 3):
        resp = cleaned_demo[cleaned_demo["wave"] <= last]
        facts = wr.sizes_fact(estimates.sample_sizes(resp, last), last)
        counts = resp["wave"].value_counts().sort_index()
        assert facts["latest"] == counts[last]
        assert facts["samples"] == [
            "combined_w1:" + ",".join(f"{w}={counts[w]}" for w in range(1, last + 1))
        ]
        if last == 1:
            assert facts["balanced"] == {"status": "first_wave"}
        else:
            ids = [set(resp.loc[resp["wave"] == w, "resp_id"]) for w in range(1, last + 1)]
            assert facts["balanced"] == {"status": "ok", "n": len(set.intersection(*ids))}


def test_attrition_fact_against_scipy(cleaned_demo, codebook):
    """The variables that differ are those whose test gives p < 0.05; gender's p-value is
    checked with scipy's chi-square test of the 2×2 table (no continuity correction, as
    stats.attrition_comparison), or Fisher's exact test when it chose Fisher."""
    from wavebook.samples import followed_up

    tests = estimates.attrition(cleaned_demo, 3, codebook)
    facts = wr.attrition_fact(tests, 3)
    assert facts["status"] == "ok" and (facts["wave"], facts["next"]) == (2, 3)
    assert facts["compared"] == list(tests["variable"])
    assert facts["differ"] == list(tests.loc[tests["p_value"] < 0.05, "variable"])
    frame = followed_up(cleaned_demo, 2)
    table = pd.crosstab(frame["gender"] == "female", frame["responded_next"])
    row = tests.set_index("variable").loc["gender"]
    if row["test"] == "chi2":
        p = scipy_stats.chi2_contingency(table, correction=False).pvalue
    else:
        p = scipy_stats.fisher_exact(table).pvalue
    assert row["p_value"] == pytest.approx(p)
    assert wr.attrition_fact(estimates.attrition(cleaned_demo, 1, codebook), 1) == {
        "status": "first_wave"
    }


METHODOLOGY_FACTS = {
    1: {
        "last_wave": 1,
        "latest": 1680,
        "unique": 1680,
        "samples": ["combined_w1:1=1680"],
        "balanced": {"status": "first_wave"},
        "min_completion": 50.0,
        "attrition": {"status": "first_wave"},
    },
    2: {
        "last_wave": 2,
        "latest": 2176,
        "unique": 3245,
        "samples": ["combined_w1:1=1680,2=2176"],
        "balanced": {"status": "ok", "n": 611},
        "min_completion": 50.0,
        "attrition": {
            "status": "ok",
            "wave": 1,
            "next": 2,
            "compared": ["gender", "age"],
            "differ": ["age"],
        },
    },
    3: {
        "last_wave": 3,
        "latest": 9655,
        "unique": 10871,
        "samples": ["combined_w1:1=1680,2=2176,3=9655"],
        "balanced": {"status": "ok", "n": 1},
        "min_completion": 50.0,
        "attrition": {
            "status": "ok",
            "wave": 2,
            "next": 3,
            "compared": ["gender", "age"],
            "differ": [],
        },
    },
}


@pytest.mark.parametrize("wave", [1, 2, 3])
def test_methodology_sentences_render(wave, codebook):
    words = _words("methodology", codebook)
    facts = METHODOLOGY_FACTS[wave]
    said = {m: words.say(m, facts) for m in _said("methodology")}
    for text in said.values():
        _clean(text)
    if wave == 1:
        assert "nobody can have answered twice yet" in said["found-balanced"]
        assert said["attrition"] == ""
        assert "covers wave 1 only" in said["found-sizes"]
    if wave == 2:
        assert "611 respondents answered every wave from 1 to 2" in said["found-balanced"]
        assert "differed significantly from those who did not in age" in said["attrition"]
    if wave == 3:
        assert said["found-balanced"] == "1 respondent answered every wave from 1 to 3."
        assert "any of the 2 characteristics" in said["attrition"]
        assert "wave 3 kept 9,655 eligible respondents" in said["found-sizes"]
    assert said["samples-caption"].startswith("Samples: all respondents of each wave (wave 1 n")


def test_methodology_tables_in_both_languages(cleaned_demo, codebook):
    flow = pd.DataFrame(
        {
            "wave": [1, 1, 1],
            "rule": ["delivered", "completed less than 50% of the questionnaire", "other"],
            "excluded": [0, 4, 1],
            "remaining": [10, 6, 5],
        }
    )
    ru = tables.flow_table(flow, Words("ru", codebook)).markdown()
    assert "Заполнили меньше 50\u00a0% анкеты" in ru and "Волна 1" in ru
    assert "Осталось подходящих респондентов" in ru
    tests = estimates.attrition(cleaned_demo, 3, codebook)
    en = tables.attrition_table(tests, Words("en", codebook)).markdown()
    assert "| Gender: female |" in en and "Answered next wave" in en
    ru = tables.attrition_table(tests, Words("ru", codebook)).markdown()
    assert "Ответили в следующей волне" in ru and "Пол: женский" in ru


# --- replication -------------------------------------------------------------------------------
REPLICATION_FACTS = {
    # waves 1 and 3 as the demo data give them; wave 2 varied so that the singular variants
    # (one withheld, one outside, one not asked) render too
    1: dict(
        computed=3,
        withheld=0,
        compared=3,
        inside=3,
        outside=0,
        not_computable=198,
        reasons=dict(not_asked=0, wave_later=145, no_sample=26, no_statistic=18, unclear=9),
        reports=dict(sixmonths=3, yearhalf=0),
    ),
    2: dict(
        computed=60,
        withheld=1,
        compared=59,
        inside=58,
        outside=1,
        not_computable=141,
        reasons=dict(not_asked=1, wave_later=88, no_sample=26, no_statistic=18, unclear=8),
        reports=dict(sixmonths=60, yearhalf=0),
    ),
    3: dict(
        computed=148,
        withheld=0,
        compared=148,
        inside=146,
        outside=2,
        not_computable=53,
        reasons=dict(not_asked=0, wave_later=0, no_sample=26, no_statistic=18, unclear=9),
        reports=dict(sixmonths=63, yearhalf=85),
    ),
}


@pytest.mark.parametrize("wave", [1, 2, 3])
def test_replication_sentences_render(wave, codebook):
    words = _words("replication", codebook)
    facts = {
        "published": 201,
        "approx": {"relative": 10, "minimum": 2.0},
        "min_n": 30,
        "last_wave": wave,
        **REPLICATION_FACTS[wave],
    }
    said = {m: words.say(m, facts) for m in _said("replication")}
    for text in said.values():
        _clean(text)
    assert said["tolerance"] == "the number give or take 10% of it (and at least 2 points)"
    if wave == 1:
        assert said["found-compared"].startswith("All 3 recomputed numbers shown agree")
        assert said["yearhalf-none"].startswith("No number of “A Year and a Half in Exile”")
        assert said["reason-wave-later"].startswith("145 need a wave")
        assert said["reason-not-asked"] == ""
    if wave == 2:
        assert (
            "; one of them rests on fewer than 30 respondents and is withheld."
            in (said["found-computed"])
        )
        assert "and 1 does not." in said["found-compared"]
        assert said["reason-not-asked"].startswith("one rests on a question")
    if wave == 3:
        assert said["found-computed"].endswith("(waves 1 to 3).")
        assert said["yearhalf-none"] == "" and said["reason-wave-later"] == ""
    none = {**facts, "computed": 0, "compared": 0, "not_computable": 0}
    assert words.say("found-computed", none).startswith("None of the 201 numbers")
    assert words.say("found-compared", none) == ""
    assert words.say("found-not-computable", none) == "Every published number could be recomputed."


def test_replication_facts_on_the_demo(cleaned_demo, codebook):
    """The facts of a real run add up: computed + not computable = published, and the
    reasons add up to the rows not computed (counted from the comparison with pandas)."""
    published = replication.load_published(ROOT / "data" / "published_figures.csv")
    overrides = replication.load_overrides(ROOT / "data" / "replication.yml")
    out = replication.recompute(published, cleaned_demo, codebook, 3, overrides)
    facts = replication.facts(out, 3)
    assert facts["computed"] + facts["not_computable"] == facts["published"] == len(published)
    assert sum(facts["reasons"].values()) == facts["not_computable"]
    assert facts["reasons"]["no_sample"] == int((out["reason"] == replication.NO_SAMPLE).sum())
    assert sum(facts["reports"].values()) == facts["computed"]


# --- codebook ----------------------------------------------------------------------------------
def test_codebook_sentence(codebook):
    words = _words("codebook", codebook)
    assert words.say("variables", {"variables": 87}) == "The contract holds 87 variables."
    assert words.say("variables", {"variables": 1}) == "The contract holds 1 variable."


def test_appendix_words_exist_in_both_languages():
    """Every message of the appendices' table words has its Russian twin."""
    ids = {}
    for lang in ("en", "ru"):
        text = (ROOT / "src" / "wavebook" / "words" / f"appendix.{lang}.ftl").read_text("utf-8")
        ids[lang] = set(re.findall(r"^([a-z][a-z0-9_-]*) =", text, re.M))
    assert ids["en"] == ids["ru"] and len(ids["en"]) > 50
