"""Who the respondents are: socio-demographics, political background and gender attitudes,
each beside its population benchmark (``data/benchmarks.csv``).

The profile is of the combined sample of the wave a book is built with (``combined_wN``).
Socio-demographic items and pre-war activism are asked once, at entry: a panelist whose later
wave leaves them blank keeps the answer given on entering the survey (:func:`entry_answers`).

A benchmark is a published population figure without an interval, so the comparison is
decided by where it lies against the respondents' 95% interval (:func:`compare_side`:
``below``, ``inside`` or ``above``); the chapter's words turn that into "more often",
"younger", "about as often"... The functions here return facts (:func:`chapter_facts`) and
draw the figures and tables in the language of the :class:`~wavebook.words.Words` they are
given; item labels are messages ``pt-<item>`` of ``words/portrait.<lang>.ftl``.

Generic pieces that could move to shared modules: :func:`entry_answers`,
:func:`compare_side`, :func:`benchmark_rows`, :func:`comparison`, :func:`comparison_table`
and :func:`comparison_chart`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from wavebook import estimates, report, samples
from wavebook.charts import PALETTE, Figure
from wavebook.codebook import Codebook
from wavebook.tables import Table
from wavebook.words import Words

SIDES = ("below", "above", "inside")  # where a benchmark lies against the respondents' interval


# --- what is compared ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One estimate of the portrait.

    Parameters
    ----------
    construct
        Codebook variable, or the ``question`` of a multiple-choice block (``any`` of its
        options counts).
    cut
        Codes counted in the share; ``None`` = the codebook's ``share_cut``.
    name
        Short name of the cut, appended to the record key (``None``: the codebook cut).
    statistic
        ``share`` or ``mean``.
    benchmark
        The ``comparable_with`` text of the benchmark rows that match this cut; ``None`` =
        every row of the construct with the same statistic.
    """

    construct: str
    cut: tuple[int | str, ...] | None = None
    name: str | None = None
    statistic: str = "share"
    benchmark: str | None = None

    @property
    def id(self) -> str:
        return self.construct if self.name is None else f"{self.construct}_{self.name}"

    def key(self, wave: int) -> str:
        return f"{self.id}_{self.statistic}_w{wave}_combined"


PROFILE = (
    Item("age", statistic="mean"),
    Item("gender"),
    Item("education"),
    Item("city_size"),
    Item("marital_status"),
    Item("has_children"),
    Item("income_cat_pre"),
)
PREWAR_QUESTION = "prewar_activism"
TRUST_INSTITUTIONS = ("trust_ru_president", "trust_ru_government")
NO_TRUST_CODE = 1  # the lowest step of the Levada scale: "does not deserve trust at all"
TRUST_BENCHMARKS = {
    ("trust_ru_president", "none"): "does not trust the president",
    ("trust_ru_president", None): "trusts the president",
    ("trust_ru_government", "none"): "does not trust the government at all",
}
GENDER_ITEMS = (Item("ga_men_better_execs"), Item("ga_men_jobs_priority"))


def prewar_items(codebook: Codebook) -> tuple[Item, ...]:
    """Pre-war activism: any of the options first, then each option in codebook order."""
    options = [v.name for v in codebook.variables if v.question == PREWAR_QUESTION]
    return (Item(PREWAR_QUESTION, name="any"), *(Item(name) for name in options))


def trust_items() -> tuple[Item, ...]:
    """For each Russian institution: "no trust at all" (code 1) and "trust" (the codebook cut)."""
    return tuple(
        Item(inst, cut=cut, name=name, benchmark=TRUST_BENCHMARKS.get((inst, name)))
        for inst in TRUST_INSTITUTIONS
        for cut, name in (((NO_TRUST_CODE,), "none"), (None, None))
    )


# --- answers ------------------------------------------------------------------------------------
def asked_at_entry(codebook: Codebook, name: str) -> bool:
    """Does the codebook say ``name`` (or another option of its question) is asked at entry?"""
    if name not in codebook:
        return any(
            asked_at_entry(codebook, v.name) for v in codebook.variables if v.question == name
        )
    var = codebook[name]
    group = [v for v in codebook.variables if var.question and v.question == var.question]
    return any("asked at entry" in v.note.lower() for v in [var, *group])


def entry_answers(resp: pd.DataFrame, column: str, wave: int) -> pd.Series:
    """Answers of the wave-``wave`` respondents to an item asked once, at entry.

    A blank at ``wave`` is filled with the same respondent's first answer in an earlier wave
    (:func:`wavebook.samples.entry_answer`), so that
    panelists who were not asked again keep their entry answer. Aligned with
    ``samples.combined(resp, wave)``; all NaN when the column is absent.

    >>> resp = pd.DataFrame({"resp_id": ["a", "a", "b"], "wave": [1, 2, 2],
    ...                      "gender": ["female", None, "male"]})
    >>> entry_answers(resp, "gender", 2).tolist()
    ['female', 'male']
    """
    now = samples.combined(resp, wave)
    if column not in resp:
        return pd.Series(math.nan, index=now.index, dtype="float64")
    entry = samples.entry_answer(resp[resp["wave"] < wave], column)
    return now[column].fillna(now["resp_id"].map(entry))


def _indicator(values: pd.Series, cut: Sequence[int | str]) -> pd.Series:
    return values.isin(list(cut)).astype("float64").where(values.notna())


def item_answers(resp: pd.DataFrame, codebook: Codebook, item: Item, wave: int) -> pd.Series:
    """The item as a 0/1 series (a share) or numbers (a mean) for ``combined_w<wave>``.

    NaN = not asked or skipped ("hard to say", 98, is an answer and counts as 0 in a share).
    """

    def answers(name: str) -> pd.Series:
        if asked_at_entry(codebook, name):
            return entry_answers(resp, name, wave)
        now = samples.combined(resp, wave)
        return now[name] if name in now else pd.Series(math.nan, index=now.index)

    if item.construct not in codebook:  # a multiple-choice question: any of its options
        options = [v.name for v in codebook.variables if v.question == item.construct]
        return pd.concat([answers(o).astype("float64") for o in options], axis=1).max(axis=1)
    var = codebook[item.construct]
    values = answers(var.name)
    if item.statistic == "mean":
        return values.astype("float64")
    cut = item.cut if item.cut is not None else (var.share_cut or [1])
    return _indicator(values, cut)


def counted(codebook: Codebook, item: Item) -> str:
    """What the share of ``item`` counts (``answers`` in estimates.csv; empty for a mean)."""
    if item.statistic == "mean":
        return ""
    if item.construct not in codebook:
        options = [v.name for v in codebook.variables if v.question == item.construct]
        return estimates.any_of(options)
    return codebook[item.construct].answers(item.cut)


def is_asked(resp: pd.DataFrame, codebook: Codebook, item: Item, wave: int) -> bool:
    """Did wave ``wave`` ask the item (for a question: any of its options)?"""
    names = (
        [item.construct]
        if item.construct in codebook
        else [v.name for v in codebook.variables if v.question == item.construct]
    )
    return any(estimates.asked(resp, codebook[n], wave) for n in names)


def records(resp: pd.DataFrame, codebook: Codebook, items: Sequence[Item], wave: int) -> list[dict]:
    """Estimate records of the items the wave asked (combined sample of ``wave``)."""
    out = []
    sample = f"combined_w{wave}"
    for item in items:
        if not is_asked(resp, codebook, item, wave):
            continue
        values = item_answers(resp, codebook, item, wave)
        if item.statistic == "mean":
            row = estimates.mean_record(
                values, key=item.key(wave), construct=item.construct, wave=wave, sample=sample
            )
        else:
            row = estimates.share_record(
                values,
                key=item.key(wave),
                construct=item.construct,
                wave=wave,
                sample=sample,
                answers=counted(codebook, item),
            )
        out.append(row)
    return out


def benchmark_rows(benchmarks: pd.DataFrame, item: Item) -> pd.DataFrame:
    """Benchmark rows for an item: same construct and statistic (and ``comparable_with`` when
    the item names one); the latest row per population."""
    if benchmarks.empty:
        return benchmarks
    rows = benchmarks[
        (benchmarks["construct"] == item.construct) & (benchmarks["statistic"] == item.statistic)
    ]
    if item.benchmark is not None:
        rows = rows[rows["comparable_with"] == item.benchmark]
    elif item.construct in TRUST_INSTITUTIONS:  # each cut names its own benchmark
        rows = rows.iloc[0:0]
    return rows.groupby("population", sort=False).tail(1)


def compare_side(value: float, ci_low: float, ci_high: float, benchmark: float) -> str:
    """Where a benchmark that has no interval lies against the respondents' 95% interval:
    ``below`` it, ``above`` it or ``inside`` it (limits included); ``none`` when a number is
    missing (a withheld cell).

    >>> compare_side(34.2, 33.9, 34.5, 46), compare_side(77, 76, 78, 27)
    ('above', 'below')
    >>> compare_side(45, 44, 48, 46), compare_side(45, float("nan"), 48, 46)
    ('inside', 'none')
    """
    numbers = (value, ci_low, ci_high, benchmark)
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in numbers):
        return "none"
    if benchmark < ci_low:
        return SIDES[0]
    if benchmark > ci_high:
        return SIDES[1]
    return SIDES[2]


def rows_of(comp: pd.DataFrame, items: Sequence[Item]) -> pd.DataFrame:
    """The rows of a :func:`comparison` frame that belong to ``items``."""
    return comp[comp["item"].isin([i.id for i in items])]


def comparison(
    recs: pd.DataFrame, benchmarks: pd.DataFrame, codebook: Codebook, items: Sequence[Item]
) -> pd.DataFrame:
    """One row per recorded item and benchmark population (one row with no population when the
    item has no benchmark), in the order of ``items``.

    Columns: ``item``, ``key``, ``construct``, ``statistic``, ``label`` (the key of its words,
    ``pt-<item>``), ``value``, ``ci_low``, ``ci_high``, ``n``, ``suppressed``, ``unit``,
    ``population``, ``bench_value``, ``bench_source``, ``bench_year``, ``side``
    (:func:`compare_side`).
    """
    by_key = recs.set_index("key") if not recs.empty else pd.DataFrame()
    rows = []
    for item in items:
        matching = [k for k in by_key.index if k.startswith(f"{item.id}_{item.statistic}_w")]
        if not matching:
            continue
        rec = by_key.loc[matching[0]]
        unit = "years" if item.statistic == "mean" else "%"
        base = {
            "item": item.id,
            "key": matching[0],
            "construct": item.construct,
            "statistic": item.statistic,
            "label": f"pt-{item.id}",
            "value": rec["value"],
            "ci_low": rec["ci_low"],
            "ci_high": rec["ci_high"],
            "n": int(rec["n"]),
            "suppressed": bool(rec["suppressed"]),
            "unit": unit,
        }
        bench = benchmark_rows(benchmarks, item)
        if bench.empty:
            rows.append(
                {
                    **base,
                    "population": None,
                    "bench_value": math.nan,
                    "bench_source": None,
                    "bench_year": None,
                    "side": None,
                }
            )
        for b in bench.itertuples(index=False):
            args = (base["value"], base["ci_low"], base["ci_high"], float(b.value))
            rows.append(
                {
                    **base,
                    "population": b.population,
                    "bench_value": float(b.value),
                    "bench_source": b.source,
                    "bench_year": str(b.year),
                    "side": compare_side(*args),
                }
            )
    columns = [
        "item",
        "key",
        "construct",
        "statistic",
        "label",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "suppressed",
        "unit",
        "population",
        "bench_value",
        "bench_source",
        "bench_year",
        "side",
    ]
    return pd.DataFrame(rows, columns=columns)


# --- facts --------------------------------------------------------------------------------------
INFERRED = "probable"  # how benchmarks.csv marks a source the memo does not name
# the items the chapter's sentences name, by the name of their facts
NAMES = {
    "age": "age",
    "female": "gender",
    "education": "education",
    "city": "city_size",
    "married": "marital_status",
    "children": "has_children",
    "car": "income_cat_pre",
    "prewar_any": "prewar_activism_any",
    "pres_none": "trust_ru_president_none",
    "pres_trust": "trust_ru_president",
    "gov_none": "trust_ru_government_none",
    "gov_trust": "trust_ru_government",
    "execs": "ga_men_better_execs",
    "jobs": "ga_men_jobs_priority",
}


def source_fact(row: pd.Series | dict) -> dict[str, Any]:
    """A benchmark's source for readers: its name without the working note that marks a source
    the memo does not name (``inferred``), and its year with an en dash in a range.

    >>> source_fact({"bench_source": "Rosstat (probable; not named in the memo)",
    ...              "bench_year": "2023"})
    {'source': 'Rosstat', 'year': '2023', 'inferred': True}
    >>> source_fact({"bench_source": "World Values Survey (wave 7)", "bench_year": "2017-2020"})
    {'source': 'World Values Survey (wave 7)', 'year': '2017–2020', 'inferred': False}
    """
    source = str(row["bench_source"])
    inferred = INFERRED in source.lower()
    if inferred:
        source = re.sub(r"\s*\([^)]*" + INFERRED + r"[^)]*\)", "", source, flags=re.IGNORECASE)
    return {
        "source": source.strip(),
        "year": str(row["bench_year"]).replace("-", "–"),
        "inferred": inferred,
    }


def item_fact(comp: pd.DataFrame, item_id: str) -> dict[str, Any]:
    """The facts of one item: its ``label`` key, value, interval and n, ``small`` (a share
    that rounds to 0%), a status (``ok``, ``withheld``, ``not_asked``) and, per benchmark
    population (lower-case name), the benchmark's value, its ``side`` (:func:`compare_side`)
    and source."""
    rows = comp[comp["item"] == item_id]
    if rows.empty:
        return {"status": "not_asked"}
    first = rows.iloc[0]
    if bool(first["suppressed"]):
        return {"status": "withheld", "label": first["label"]}
    out: dict[str, Any] = {
        "status": "ok",
        "label": first["label"],
        "value": first["value"],
        "ci_low": first["ci_low"],
        "ci_high": first["ci_high"],
        "n": int(first["n"]),
        "small": first["unit"] == "%" and round(float(first["value"])) < 1,
    }
    for row in rows.dropna(subset=["population"]).to_dict("records"):
        out[str(row["population"]).lower()] = {
            "value": row["bench_value"],
            "side": row["side"],
            **source_fact(row),
        }
    return report.plain(out)


def section_fact(comp: pd.DataFrame) -> dict[str, Any]:
    """A section's items: ``ok`` when one is shown (``withheld`` when all are, ``not_asked``
    when the wave asked none), with the smallest and largest n of the items shown."""
    if comp.empty:
        return {"status": "not_asked"}
    shown = comp[~comp["suppressed"].astype(bool)].drop_duplicates("item")
    if shown.empty:
        return {"status": "withheld"}
    low, high = int(shown["n"].min()), int(shown["n"].max())
    return {"status": "ok", "n_min": low, "n_max": high, "n_same": low == high}


def largest_fact(comp: pd.DataFrame, items: Sequence[Item]) -> dict[str, Any]:
    """:func:`item_fact` of the largest shown share among ``items`` (ties go to the earlier
    item); status ``not_asked`` when none is shown."""
    shown = comp[comp["item"].isin([i.id for i in items]) & ~comp["suppressed"].astype(bool)]
    shown = shown.drop_duplicates("item")
    if shown.empty:
        return {"status": "not_asked"}
    return item_fact(comp, str(shown.loc[shown["value"].idxmax(), "item"]))


def group_asked(resp: pd.DataFrame, codebook: Codebook, items: Sequence[Item], wave: int) -> bool:
    """Did wave ``wave`` ask at least one of ``items``?"""
    return any(is_asked(resp, codebook, i, wave) for i in items)


def topics_fact(
    resp: pd.DataFrame, codebook: Codebook, topics: dict[str, Sequence[Item]], wave: int
) -> dict[str, Any]:
    """The topics (keys of ``topics``: label keys) that wave ``wave`` asked and did not ask,
    and the topics only some of waves 1 to ``wave`` asked, grouped by those waves
    (``partial``: up to two groups, ``first`` and ``second``, each with its ``topics`` and
    ``waves``; ``every`` when no topic is partial)."""
    waves = list(range(1, wave + 1))
    by_waves: dict[tuple[int, ...], list[str]] = {}
    for topic, items in topics.items():
        asked = tuple(w for w in waves if group_asked(resp, codebook, items, w))
        if asked and len(asked) < len(waves):
            by_waves.setdefault(asked, []).append(topic)
    groups = [{"topics": t, "waves": list(w)} for w, t in by_waves.items()]
    if len(groups) > 2:
        raise ValueError("the chapter's words name at most two groups of partial topics")
    empty = {"topics": [], "waves": []}
    return {
        "asked": [t for t, items in topics.items() if group_asked(resp, codebook, items, wave)],
        "missing": [
            t for t, items in topics.items() if not group_asked(resp, codebook, items, wave)
        ],
        "every": not groups,
        "first": groups[0] if groups else empty,
        "second": groups[1] if len(groups) > 1 else empty,
    }


def chapter_facts(
    resp: pd.DataFrame,
    codebook: Codebook,
    comp: pd.DataFrame,
    sections: dict[str, Sequence[Item]],
    topics: dict[str, Sequence[Item]],
    wave: int,
) -> dict[str, Any]:
    """Every fact the chapter's sentences use: each named item (:data:`NAMES`), each section
    (:func:`section_fact`), the most chosen pre-war activity, the topics asked, and the
    ladder of the material situation (its number of steps and its two ends, as codebook
    keys)."""
    ladder = codebook["income_cat_pre"].codes
    return {
        "wave": wave,
        **{name: item_fact(comp, item_id) for name, item_id in NAMES.items()},
        **{name: section_fact(rows_of(comp, items)) for name, items in sections.items()},
        "prewar_top": largest_fact(comp, sections["prewar"][1:]),
        "topics": topics_fact(resp, codebook, topics, wave),
        "ladder": {
            "steps": len(ladder),
            "low": f"income_cat_pre:{ladder[0].code}",
            "high": f"income_cat_pre:{ladder[-1].code}",
        },
        "min_n": estimates.MIN_CELL_N,
    }


# --- table and chart ---------------------------------------------------------------------------
def _estimate_cell(row: pd.Series, words: Words) -> str:
    """``'47% (46–48)'``; a share under 1% or an interval narrower than the rounding keeps one
    decimal; a mean ``'34.2 (34.0–34.3)'``; the withheld mark."""
    if row["suppressed"]:
        return words.say("pt-cell-withheld")
    if row["unit"] != "%":
        parts = [words.decimal(float(row[c]), 1) for c in ("value", "ci_low", "ci_high")]
        return f"{parts[0]} ({parts[1]}–{parts[2]})"
    narrow = round(row["ci_low"]) == round(row["ci_high"]) or round(row["value"]) < 1
    digits = 1 if narrow else 0
    bounds = [words.decimal(float(row[c]), digits) for c in ("ci_low", "ci_high")]
    return f"{words.percent(float(row['value']), digits)} ({bounds[0]}–{bounds[1]})"


def _number(value: float, unit: str, words: Words) -> str:
    if isinstance(value, float) and math.isnan(value):
        return report.DASH
    if unit == "%":
        return words.percent(float(value))
    return words.say("pt-years", {"value": float(value)})


def _source(row: pd.Series | dict, words: Words) -> str:
    return words.say("pt-source", source_fact(row))


def comparison_table(comp: pd.DataFrame, words: Words | None = None) -> Table:
    """One row per item: the respondents' estimate (95% CI) and n, then one column per
    benchmark population (its figure and, in brackets, whether it lies below, inside or above
    the respondents' interval) and the sources. Intervals that round to a single whole
    number, and shares under 1%, keep one decimal."""
    words = words or Words("en")
    items = comp.drop_duplicates("item").set_index("item")
    rows = pd.DataFrame(
        {
            words.say("pt-col-item"): items["label"].map(lambda key: words.label(key)),
            words.say("pt-col-respondents"): items.apply(
                lambda row: _estimate_cell(row, words), axis=1
            ),
            "n": items["n"].map(lambda n: words.decimal(int(n))),
        }
    )
    bench = comp.dropna(subset=["population"])
    for population, part in bench.groupby("population", sort=False):
        part = part.set_index("item")
        cells = [
            words.say("pt-bench-cell", {"value": _number(v, u, words), "side": side})
            for v, u, side in zip(part["bench_value"], part["unit"], part["side"], strict=True)
        ]
        name = words.say(f"pt-population-{str(population).lower()}")
        rows[name] = pd.Series(cells, index=part.index)
    sources = bench.assign(text=[_source(r, words) for _, r in bench.iterrows()])
    rows[words.say("pt-col-source")] = sources.groupby("item")["text"].agg(
        lambda texts: "; ".join(dict.fromkeys(texts))
    )
    rows = rows.astype(object).fillna(report.DASH).reset_index(drop=True)
    return Table(
        rows,
        align=["left", "right", "right"] + ["left"] * (rows.shape[1] - 3),
        empty_note=words.say("pt-table-empty"),
    )


def _wrap(text: str, width: int = 40) -> str:
    """Break a label into lines of at most ``width`` characters, joined by ``|``.

    >>> _wrap("Type of place the respondent lived in before leaving Russia")
    'Type of place the respondent lived in|before leaving Russia'
    """
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "|".join(lines)


def chart_data(comp: pd.DataFrame, wave: int, words: Words | None = None) -> pd.DataFrame:
    """The aggregate a comparison chart draws: shown respondent estimates and benchmarks."""
    words = words or Words("en")
    mine = comp[~comp["suppressed"].astype(bool)].drop_duplicates("item")
    item = comp["label"].map(lambda key: words.label(key))
    label = comp["label"].map(lambda key: _wrap(words.label(key, "short"), 44))
    resp_rows = pd.DataFrame(
        {
            "label": label.loc[mine.index],
            "item": item.loc[mine.index],
            "unit": mine["unit"],
            "population": words.say("pt-respondents", {"wave": wave}),
            "value": mine["value"],
            "ci_low": mine["ci_low"],
            "ci_high": mine["ci_high"],
            "n": mine["n"],
            "source": words.say("pt-this-survey"),
        }
    )
    bench = comp.dropna(subset=["population"])
    bench_rows = pd.DataFrame(
        {
            "label": label.loc[bench.index],
            "item": item.loc[bench.index],
            "unit": bench["unit"],
            "population": [
                words.say(f"pt-population-{str(p).lower()}") for p in bench["population"]
            ],
            "value": bench["bench_value"],
            "ci_low": math.nan,
            "ci_high": math.nan,
            "n": math.nan,
            "source": [_source(r, words) for _, r in bench.iterrows()],
        }
    )
    data = pd.concat([resp_rows, bench_rows], ignore_index=True)
    return data.round({"value": 1, "ci_low": 1, "ci_high": 1}).reset_index(drop=True)


def comparison_chart(
    comp: pd.DataFrame, name: str, wave: int, words: Words | None = None
) -> Figure:
    """Respondents (point and 95% interval) beside benchmark populations (diamonds), one row
    per item, on the item's tick (short labels); means in years and shares in percent get
    separate panels; one legend gives colour and shape."""
    words = words or Words("en")
    data = chart_data(comp, wave, words)
    populations = list(dict.fromkeys(data["population"]))
    order = list(dict.fromkeys(data["label"]))
    color = alt.Color(
        "population:N",
        title=None,
        scale=alt.Scale(domain=populations, range=PALETTE[: len(populations)]),
    )
    tooltip = [
        alt.Tooltip("item:N", title=words.say("chart-item")),
        alt.Tooltip("population:N", title=words.say("pt-chart-who")),
        alt.Tooltip("value:Q", title=words.say("pt-chart-value")),
        alt.Tooltip("ci_low:Q", title=words.say("chart-ci-from")),
        alt.Tooltip("ci_high:Q", title=words.say("chart-ci-to")),
        alt.Tooltip("n:Q", title="n"),
        alt.Tooltip("source:N", title=words.say("pt-chart-source")),
    ]
    panels = []
    for unit, title in (("years", words.say("pt-chart-age")), ("%", words.say("chart-share"))):
        part = data[data["unit"] == unit]
        if part.empty:
            continue
        top = 100 if unit == "%" else max(60.0, float(part["value"].max()) + 10)
        labels = [x for x in order if x in set(part["label"])]
        base = (
            alt.Chart(data)
            .transform_filter(alt.datum.unit == unit)
            .encode(
                y=alt.Y(
                    "label:N",
                    title=None,
                    sort=labels,
                    axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=320),
                ),
                color=color,
            )
        )
        rules = base.mark_rule(strokeWidth=2).encode(
            x=alt.X("ci_low:Q", title=title, scale=alt.Scale(domain=[0, top])), x2="ci_high:Q"
        )
        points = base.mark_point(filled=True, size=70).encode(
            x="value:Q",
            shape=alt.Shape(
                "population:N",
                title=None,
                scale=alt.Scale(
                    domain=populations, range=["circle", "diamond", "square", "triangle"]
                ),
            ),
            tooltip=tooltip,
        )
        height = sum(16 * (label.count("|") + 1) + 16 for label in labels)
        panels.append((rules + points).properties(width=380, height=height))
    if not panels:  # nothing shown (the chapter omits the figure): an empty frame
        panels.append(alt.Chart(data).mark_point().properties(width=380, height=40))
    chart = panels[0] if len(panels) == 1 else alt.vconcat(*panels).resolve_scale(x="independent")
    return Figure(chart, data, name, words=words)
