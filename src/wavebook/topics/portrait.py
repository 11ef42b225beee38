"""Who the respondents are: socio-demographics, political background and gender attitudes,
each beside its population benchmark (``data/benchmarks.csv``).

The profile is of the combined sample of the wave a book is built with (``combined_wN``).
Socio-demographic items and pre-war activism are asked once, at entry: a panelist whose later
wave leaves them blank keeps the answer given on entering the survey (:func:`entry_answers`).

A benchmark is a published population figure without an interval, so the comparison is worded
from where it lies against the respondents' 95% interval (:func:`compare_word`): outside it,
the respondents are "more often"/"younger"..., inside it, "about as often"/"about as old".

Generic pieces that could move to shared modules: :func:`entry_answers`,
:func:`compare_word`, :func:`benchmark_rows`, :func:`comparison`, :func:`comparison_table`,
:func:`comparison_chart` and :func:`finding`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from wavebook import estimates, report, samples
from wavebook.charts import PALETTE, Figure
from wavebook.codebook import Codebook
from wavebook.tables import Table

RESPONDENTS = "Respondents"
SHARE_WORDS = ("more often than", "less often than", "about as often as")
AGE_WORDS = ("older than", "younger than", "about the same age as")
SIDE_WORDS = ("below the interval", "above the interval", "inside the interval")


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
    words
        Direction words when the respondents lie above / below / around the benchmark.
    """

    construct: str
    cut: tuple[int | str, ...] | None = None
    name: str | None = None
    statistic: str = "share"
    benchmark: str | None = None
    words: tuple[str, str, str] = SHARE_WORDS

    @property
    def id(self) -> str:
        return self.construct if self.name is None else f"{self.construct}_{self.name}"

    def key(self, wave: int) -> str:
        return f"{self.id}_{self.statistic}_w{wave}_combined"


PROFILE = (
    Item("age", statistic="mean", words=AGE_WORDS),
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


# --- labels -----------------------------------------------------------------------------------
def _short(text: str) -> str:
    """A label without its parenthesised asides.

    >>> _short("Higher education (specialist, bachelor's or master's degree)")
    'Higher education'
    """
    return re.sub(r"\s*\([^)]*\)", "", text).strip()


def item_label(codebook: Codebook, item: Item) -> tuple[str, str]:
    """(what was asked, what is counted) for readers, from the codebook's labels."""
    if item.construct not in codebook:
        options = [v for v in codebook.variables if v.question == item.construct]
        head = options[0].label_en.split(":")[0]
        return head, "Any of the activities asked about"
    var = codebook[item.construct]
    if var.type == "option":
        head, _, rest = var.label_en.partition(":")
        return head.strip(), rest.strip()[:1].upper() + rest.strip()[1:]
    if item.statistic == "mean":
        return _short(var.label_en.split(",")[0]), "Mean, years"
    cut = item.cut if item.cut is not None else (var.share_cut or [1])
    return _short(var.label_en), " / ".join(_short(var.label(c)) for c in cut)


SHORT_LABELS = {
    "education": "Higher education",
    "city_size": "City of a million or more",
    "income_cat_pre": "Could afford a car",
    "prewar_activism_any": "Any of these activities",
}


def short_label(codebook: Codebook, item: Item) -> str:
    """A short reader label for a chart row: what is counted, as the codebook spells it, with
    the few long cuts of several codes named in :data:`SHORT_LABELS`; the institution in front
    of a trust answer; the statement itself for an agree/disagree item.

    >>> from pathlib import Path
    >>> from wavebook.codebook import load_codebook
    >>> cb = load_codebook(Path(__file__).parents[3] / "data" / "codebook.yml")
    >>> [short_label(cb, i) for i in (Item("has_children"), trust_items()[0])]
    ['Has children', 'President: does not deserve trust at all']
    """
    if item.id in SHORT_LABELS:
        return SHORT_LABELS[item.id]
    question, counted = item_label(codebook, item)
    if item.statistic == "mean":
        return f"Mean {question.lower()}"
    if item.construct in TRUST_INSTITUTIONS:
        institution = re.sub(r"^Trust in the | of Russia$", "", question)
        return f"{institution}: {counted[:1].lower()}{counted[1:]}"
    if item in GENDER_ITEMS:
        return question
    return counted


# --- benchmarks ---------------------------------------------------------------------------------
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


def compare_word(
    value: float,
    ci_low: float,
    ci_high: float,
    benchmark: float,
    words: tuple[str, str, str] = SHARE_WORDS,
) -> str:
    """The direction word of respondents against a benchmark that has no interval.

    ``words[0]`` when the benchmark lies below the respondents' 95% interval, ``words[1]``
    when above, ``words[2]`` when inside it (limits included); ``"not comparable"`` when a
    number is missing (a withheld cell).

    >>> compare_word(34.2, 33.9, 34.5, 46, AGE_WORDS)
    'younger than'
    >>> compare_word(77, 76, 78, 27), compare_word(45, 44, 48, 46)
    ('more often than', 'about as often as')
    """
    numbers = (value, ci_low, ci_high, benchmark)
    if any(x is None or (isinstance(x, float) and math.isnan(x)) for x in numbers):
        return "not comparable"
    if benchmark < ci_low:
        return words[0]
    if benchmark > ci_high:
        return words[1]
    return words[2]


def _number(value: float, unit: str) -> str:
    if isinstance(value, float) and math.isnan(value):
        return report.DASH
    return report.pct(value) if unit == "%" else f"{float(value):.0f} {unit}"


def rows_of(comp: pd.DataFrame, items: Sequence[Item]) -> pd.DataFrame:
    """The rows of a :func:`comparison` frame that belong to ``items``."""
    return comp[comp["item"].isin([i.id for i in items])]


def comparison(
    recs: pd.DataFrame, benchmarks: pd.DataFrame, codebook: Codebook, items: Sequence[Item]
) -> pd.DataFrame:
    """One row per recorded item and benchmark population (one row with no population when the
    item has no benchmark), in the order of ``items``.

    Columns: ``item``, ``key``, ``construct``, ``statistic``, ``question``, ``counted``,
    ``label`` (:func:`short_label`), ``value``, ``ci_low``, ``ci_high``, ``n``, ``suppressed``,
    ``unit``, ``population``,
    ``bench_value``, ``bench_source``, ``bench_year``, ``word``, ``side``.
    """
    by_key = recs.set_index("key") if not recs.empty else pd.DataFrame()
    rows = []
    for item in items:
        matching = [k for k in by_key.index if k.startswith(f"{item.id}_{item.statistic}_w")]
        if not matching:
            continue
        rec = by_key.loc[matching[0]]
        question, counted = item_label(codebook, item)
        unit = "years" if item.statistic == "mean" else "%"
        base = {
            "item": item.id,
            "key": matching[0],
            "construct": item.construct,
            "statistic": item.statistic,
            "question": question,
            "counted": counted,
            "label": short_label(codebook, item),
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
                    "word": None,
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
                    "word": compare_word(*args, words=item.words),
                    "side": compare_word(*args, words=SIDE_WORDS),
                }
            )
    columns = [
        "item",
        "key",
        "construct",
        "statistic",
        "question",
        "counted",
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
        "word",
        "side",
    ]
    return pd.DataFrame(rows, columns=columns)


# --- text ---------------------------------------------------------------------------------------
def estimate_text(row: pd.Series | dict) -> str:
    """A share or a mean with its interval and n (or the withheld mark).

    >>> estimate_text({"value": 34.23, "ci_low": 33.9, "ci_high": 34.5, "n": 900,
    ...                "suppressed": False, "unit": "years"})
    '34.2 years (95% CI 33.9–34.5, n = 900)'

    A share that rounds to 0% is "fewer than 1%", with one decimal:

    >>> estimate_text({"value": 0.44, "ci_low": 0.31, "ci_high": 0.62, "n": 9500,
    ...                "suppressed": False, "unit": "%"})
    'fewer than 1% (0.4%, 95% CI 0.3–0.6%, n = 9,500)'
    """
    if bool(row["suppressed"]):
        return report.share_text(row)
    if row["unit"] == "%" and round(float(row["value"])) < 1:
        return (
            f"fewer than 1% ({row['value']:.1f}%, 95% CI {row['ci_low']:.1f}–"
            f"{row['ci_high']:.1f}%, n = {report.count(row['n'])})"
        )
    if row["unit"] == "%" and round(float(row["ci_low"])) == round(float(row["ci_high"])):
        return (  # an interval narrower than the rounding: the share keeps one decimal too
            f"{row['value']:.1f}% ({report.interval(row['ci_low'], row['ci_high'])}, "
            f"n = {report.count(row['n'])})"
        )
    if row["unit"] == "%":
        return report.share_text(row)
    return (
        f"{row['value']:.1f} years (95% CI {row['ci_low']:.1f}–{row['ci_high']:.1f}, "
        f"n = {report.count(row['n'])})"
    )


def value_text(row: pd.Series | dict) -> str:
    """The point estimate alone (``'46%'``, ``'34.2 years'``)."""
    if bool(row["suppressed"]):
        return report.DASH
    if row["unit"] == "%":
        return "fewer than 1%" if round(float(row["value"])) < 1 else report.pct(row["value"])
    return f"{row['value']:.1f} years"


INFERRED = "probable"  # how benchmarks.csv marks a source the memo does not name


def source_text(row: pd.Series | dict) -> str:
    """The benchmark's source and year for readers, with an en dash in a range of years; a
    source the memo does not name (marked "probable" in ``benchmarks.csv``) is given without
    that working note and flagged "source inferred" (the caveats explain it).

    >>> source_text({"bench_source": "World Values Survey (wave 7)", "bench_year": "2017-2020"})
    'World Values Survey (wave 7), 2017–2020'
    >>> source_text({"bench_source": "Rosstat (probable; not named in the memo)",
    ...              "bench_year": "2023"})
    'Rosstat, 2023; source inferred'
    """
    source = str(row["bench_source"])
    year = str(row["bench_year"]).replace("-", "–")
    if INFERRED not in source.lower():
        return f"{source}, {year}"
    name = re.sub(r"\s*\([^)]*" + INFERRED + r"[^)]*\)", "", source, flags=re.IGNORECASE)
    return f"{name.strip()}, {year}; source inferred"


def finding(comp: pd.DataFrame, codebook: Codebook, item: Item, wave: int, template: str) -> str:
    """A sentence about one item, from a template written in the chapter (no final full stop).

    Placeholders: ``{estimate}`` (value, interval, n), ``{value}``, ``{n}``, ``{counted}``
    (what is counted, as the codebook spells it; ``{counted_lower}`` with a lower-case first
    letter) and, per benchmark population, ``{word[Russia]}``, ``{benchmark[Russia]}``,
    ``{source[Russia]}``. An item the wave did not ask gives ``''`` (the chapter says once,
    with :func:`not_asked_sentence`, what the wave did not ask); a withheld one says so.
    """
    rows = comp[comp["item"] == item.id]
    if rows.empty:
        return ""
    first = rows.iloc[0]
    if bool(first["suppressed"]):
        return f"{first['question']}: {report.share_text(first)}"
    bench = rows.dropna(subset=["population"])
    return template.format(
        estimate=estimate_text(first),
        value=value_text(first),
        n=report.count(first["n"]),
        counted=first["counted"],
        counted_lower=first["counted"][:1].lower() + first["counted"][1:],
        word=dict(zip(bench["population"], bench["word"], strict=True)),
        benchmark={r.population: _number(r.bench_value, r.unit) for r in bench.itertuples()},
        source={r.population: source_text(r._asdict()) for r in bench.itertuples()},
    )


def largest(
    comp: pd.DataFrame, codebook: Codebook, items: Sequence[Item], wave: int, template: str
) -> str:
    """A sentence naming the largest shown share among ``items`` (ties go to the earlier
    item), from a template with the placeholders of :func:`finding`; ``''`` when none is
    shown."""
    ids = [i.id for i in items]
    shown = comp[comp["item"].isin(ids) & ~comp["suppressed"]].drop_duplicates("item")
    if shown.empty:
        return ""
    top = str(shown.loc[shown["value"].idxmax(), "item"])
    return finding(comp, codebook, next(i for i in items if i.id == top), wave, template)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".")


def paragraph(*sentences: str, empty: str = "") -> str:
    """Sentences joined into a paragraph (first letters capitalised, empty and repeated ones
    dropped); ``empty`` when none is left.

    >>> paragraph("fewer than 1% said so", "", "B rose", "B rose")
    'Fewer than 1% said so. B rose.'
    >>> paragraph("", empty="Not asked.")
    'Not asked.'
    """
    unique = list(dict.fromkeys(_sentence(s) for s in sentences if s))
    return ". ".join(unique) + "." if unique else empty


def bullets(*sentences: str) -> str:
    """A Markdown bullet list of the non-empty sentences (each with a full stop).

    >>> print(bullets("A rose", "", "fewer than 1% did"))
    - A rose.
    - Fewer than 1% did.
    """
    return "\n".join(f"- {_sentence(s)}." for s in sentences if s)


def _join(phrases: Sequence[str], word: str) -> str:
    """``'a'``, ``'a and b'``, ``'a, b and c'``."""
    return ", ".join(phrases[:-1]) + f" {word} " + phrases[-1] if len(phrases) > 1 else phrases[0]


def group_asked(resp: pd.DataFrame, codebook: Codebook, items: Sequence[Item], wave: int) -> bool:
    """Did wave ``wave`` ask at least one of ``items``?"""
    return any(is_asked(resp, codebook, i, wave) for i in items)


def asked_topics(
    resp: pd.DataFrame,
    codebook: Codebook,
    groups: dict[str, Sequence[Item]],
    wave: int,
    prefix: str = "",
) -> str:
    """The topics (keys of ``groups``) the wave asked, each after ``prefix``, joined for a
    sentence."""
    asked = [prefix + t for t, items in groups.items() if group_asked(resp, codebook, items, wave)]
    return _join(asked, "and") if asked else ""


def not_asked_sentence(
    resp: pd.DataFrame, codebook: Codebook, groups: dict[str, Sequence[Item]], wave: int
) -> str:
    """One sentence naming the topics the wave did not ask (``''`` when it asked them all):
    ``'Wave 1 did not ask about trust in X or views on Y'``."""
    missing = [t for t, items in groups.items() if not group_asked(resp, codebook, items, wave)]
    return f"Wave {wave} did not ask about {_join(missing, 'or')}" if missing else ""


def _waves_text(waves: Sequence[int]) -> str:
    """``'wave 3'``, ``'waves 2 and 3'``."""
    if len(waves) == 1:
        return f"wave {waves[0]}"
    return "waves " + _join([str(w) for w in waves], "and")


def waves_note(
    resp: pd.DataFrame, codebook: Codebook, groups: dict[str, Sequence[Item]], wave: int
) -> str:
    """Which shown topics only some of waves 1 to ``wave`` asked (``'Only wave 3 asked about
    X and Y'``), or that every shown topic was asked in every wave so far."""
    waves = list(range(1, wave + 1))
    by_waves: dict[tuple[int, ...], list[str]] = {}
    for topic, items in groups.items():
        asked = tuple(w for w in waves if group_asked(resp, codebook, items, w))
        if asked and len(asked) < len(waves):
            by_waves.setdefault(asked, []).append(topic)
    notes = [
        f"only {_waves_text(asked)} asked about {_join(topics, 'and')}"
        for asked, topics in by_waves.items()
    ]
    if notes:
        return paragraph(*notes)
    if wave == 1:
        return "Every question shown above was asked in wave 1."
    return f"Every question shown above was asked in each of waves 1 to {wave}."


def sample_who(wave: int) -> str:
    """Who the combined sample of ``wave`` is (panelists exist from wave 2 on).

    >>> sample_who(1)
    'everyone who took part in wave 1'
    >>> sample_who(3)
    'everyone who took part in wave 3, newcomers and panelists alike'
    """
    who = f"everyone who took part in wave {wave}"
    return who if wave == 1 else f"{who}, newcomers and panelists alike"


def entry_note(wave: int) -> str:
    """What the entry questions mean for panelists (none yet in wave 1)."""
    if wave == 1:
        return "Respondents who take part again in later waves keep these entry answers."
    return (
        "Panelists keep their entry answers, so their age is the age when they first "
        f"answered, slightly below their age at wave {wave}."
    )


def figure_caption(comp: pd.DataFrame, wave: int, title: str, detail: str) -> str:
    """A figure caption: ``title`` and ``detail`` with the sample and n, or the title alone
    when nothing is shown (the figure slot then holds a short note)."""
    if comp.empty or comp["suppressed"].all():
        return f"{title}."
    return f"{title}: {detail}. {sample_caption(comp, wave)}"


def sample_caption(comp: pd.DataFrame, wave: int) -> str:
    """``'All respondents of wave 3 (n = 9,500–9,655 by item)'`` for a caption."""
    if comp.empty:
        return f"No data for wave {wave}."
    ns = comp.drop_duplicates("item")["n"]
    span = (
        report.count(ns.min())
        if ns.min() == ns.max()
        else f"{report.count(ns.min())}–{report.count(ns.max())} by item"
    )
    return f"All respondents of wave {wave} (n = {span})."


# --- table and chart ---------------------------------------------------------------------------
def comparison_table(comp: pd.DataFrame, empty_note: str = "No data.") -> Table:
    """One row per item: the respondents' estimate (95% CI) and n, then one column per
    benchmark population (its figure and, in brackets, whether it lies below, inside or above
    the respondents' interval) and the sources (``empty_note`` when there is no row).
    Intervals that round to a single whole number, and shares under 1%, keep one decimal."""

    def estimate(row: pd.Series) -> str:
        if row["suppressed"]:
            return "withheld"
        if row["unit"] != "%":
            return f"{row['value']:.1f} ({row['ci_low']:.1f}–{row['ci_high']:.1f})"
        narrow = round(row["ci_low"]) == round(row["ci_high"]) or round(row["value"]) < 1
        d = 1 if narrow else 0
        return f"{row['value']:.{d}f}% ({row['ci_low']:.{d}f}–{row['ci_high']:.{d}f})"

    items = comp.drop_duplicates("item").set_index("item")
    same = items["question"] == items["counted"]
    rows = pd.DataFrame(
        {
            "Characteristic": items["counted"].where(
                same, items["question"] + ": " + items["counted"]
            ),
            "Respondents (95% CI)": items.apply(estimate, axis=1),
            "n": items["n"].map(report.count),
        }
    )
    bench = comp.dropna(subset=["population"])
    for population, part in bench.groupby("population", sort=False):
        part = part.set_index("item")
        cells = [
            f"{_number(v, u)} ({side.removesuffix(' the interval')})"
            for v, u, side in zip(part["bench_value"], part["unit"], part["side"], strict=True)
        ]
        rows[str(population)] = pd.Series(cells, index=part.index)
    sources = bench.assign(text=[source_text(r) for _, r in bench.iterrows()])
    rows["Source, year"] = sources.groupby("item")["text"].agg(
        lambda texts: "; ".join(dict.fromkeys(texts))
    )
    rows = rows.astype(object).fillna(report.DASH).reset_index(drop=True)
    return Table(
        rows,
        align=["left", "right", "right"] + ["left"] * (rows.shape[1] - 3),
        empty_note=empty_note,
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


def chart_data(comp: pd.DataFrame, wave: int) -> pd.DataFrame:
    """The aggregate a comparison chart draws: shown respondent estimates and benchmarks."""
    mine = comp[~comp["suppressed"]].drop_duplicates("item")
    item = comp["question"] + ": " + comp["counted"]
    label = comp["label"].map(lambda text: _wrap(text, 44))
    resp_rows = pd.DataFrame(
        {
            "label": label.loc[mine.index],
            "item": item.loc[mine.index],
            "unit": mine["unit"],
            "population": f"{RESPONDENTS}, wave {wave}",
            "value": mine["value"],
            "ci_low": mine["ci_low"],
            "ci_high": mine["ci_high"],
            "n": mine["n"],
            "source": "this survey",
        }
    )
    bench = comp.dropna(subset=["population"])
    bench_rows = pd.DataFrame(
        {
            "label": label.loc[bench.index],
            "item": item.loc[bench.index],
            "unit": bench["unit"],
            "population": bench["population"],
            "value": bench["bench_value"],
            "ci_low": math.nan,
            "ci_high": math.nan,
            "n": math.nan,
            "source": [source_text(r) for _, r in bench.iterrows()],
        }
    )
    data = pd.concat([resp_rows, bench_rows], ignore_index=True)
    return data.round({"value": 1, "ci_low": 1, "ci_high": 1}).reset_index(drop=True)


def comparison_chart(comp: pd.DataFrame, name: str, wave: int) -> Figure | report.Text:
    """Respondents (point and 95% interval) beside benchmark populations (diamonds), one row
    per item, on the item's tick (short labels, :func:`short_label`); means in years and shares
    in percent get separate panels; one legend gives colour and shape. A note instead of a
    chart when nothing is shown."""
    if comp.empty or comp["suppressed"].all():
        return report.Text(sample_caption(comp.iloc[0:0], wave))
    data = chart_data(comp, wave)
    populations = list(dict.fromkeys(data["population"]))
    order = list(dict.fromkeys(data["label"]))
    color = alt.Color(
        "population:N",
        title=None,
        scale=alt.Scale(domain=populations, range=PALETTE[: len(populations)]),
    )
    tooltip = [
        alt.Tooltip("item:N", title="Item"),
        alt.Tooltip("population:N", title="Who"),
        alt.Tooltip("value:Q", title="Value"),
        alt.Tooltip("ci_low:Q", title="95% CI from"),
        alt.Tooltip("ci_high:Q", title="95% CI to"),
        alt.Tooltip("n:Q", title="n"),
        alt.Tooltip("source:N", title="Source"),
    ]
    panels = []
    for unit, title in (("years", "Mean age, years"), ("%", "Share, %")):
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
    chart = panels[0] if len(panels) == 1 else alt.vconcat(*panels).resolve_scale(x="independent")
    return Figure(chart, data, name)
