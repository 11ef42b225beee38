"""The trust chapter: generalized trust and the four-item trust battery, across waves and panels.

Items (questionnaire.md §5 D1–D5): ``trust_general`` (WVS two-option question) and the
battery ``trust_russians_abroad``, ``trust_russians_in_russia``, ``trust_locals``,
``trust_host_gov`` (4-point scale, share = the codebook's ``share_cut``, top two; scale and
cut inferred). Every function is pure: it takes the long respondent-wave table or estimate
records and returns records, facts (numbers, codebook keys, direction codes and statuses for
the chapter's ``{words}``) or a figure or table drawn in the language of the ``words`` given,
so that the chapter holds no branch and no sentence is written here.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from wavebook import charts, estimates, samples, stats, tables
from wavebook.codebook import Variable
from wavebook.report import change_fact, estimate_fact, plain
from wavebook.words import Words

GENERAL = "trust_general"
BATTERY = ("trust_russians_abroad", "trust_russians_in_russia", "trust_locals", "trust_host_gov")
ITEMS = (GENERAL, *BATTERY)
# Questions about the country of residence: an answer given from Russia does not concern a
# host country, so such answers are left out (returnees are asked about Russia instead).
HOST_ITEMS = ("trust_locals", "trust_host_gov")
IN_RUSSIA = "RU"


# --- samples and records --------------------------------------------------------------------
def abroad_answers(resp: pd.DataFrame) -> pd.DataFrame:
    """``resp`` with the answers to :data:`HOST_ITEMS` blanked where the respondent answered
    from Russia (NaN = not applicable, out of every denominator).

    >>> rows = pd.DataFrame({"country_residence": ["GE", "RU"], "trust_locals": [3.0, 4.0],
    ...                      "trust_host_gov": [2.0, 1.0], "trust_general": [1.0, 0.0]})
    >>> abroad_answers(rows)[["trust_locals", "trust_general"]].to_dict("list")
    {'trust_locals': [3.0, nan], 'trust_general': [1.0, 0.0]}
    """
    out = resp.copy()
    in_russia = out["country_residence"] == IN_RUSSIA
    for name in HOST_ITEMS:
        if name in out:
            out[name] = out[name].where(~in_russia)
    return out


def two_wave_sample(last_wave: int) -> str | None:
    """The code of the panel of the last two waves (``panel_2_3``), None for wave 1."""
    return samples.panel_name((last_wave - 1, last_wave)) if last_wave >= 2 else None


def balanced_sample(last_wave: int) -> str | None:
    """The code of the panel of every wave so far (``panel_1_2_3``), None for wave 1."""
    return samples.panel_name(range(1, last_wave + 1)) if last_wave >= 2 else None


def _new_only(rows: list[dict], seen: set[str]) -> list[dict]:
    out = []
    for row in rows:
        if row["key"] not in seen:
            seen.add(row["key"])
            out.append(row)
    return out


def signed_rank_record(
    answers: pd.DataFrame, var: Variable, waves: tuple[int, int], sample: str
) -> dict:
    """Wilcoxon signed-rank p-value of an ordinal item between two waves (98 left out)."""
    first, last = waves
    pairs = answers[[first, last]].where(answers[[first, last]] != 98).dropna()
    test = stats.signed_rank(pairs[first], pairs[last])
    return estimates.record(
        chapter="",
        key=f"{var.name}_signed_rank_p_{first}_{last}_{sample}",
        construct=var.name,
        statistic="p_value",
        wave=f"{first}->{last}",
        sample=sample,
        value=test["p_value"],
        p_value=test["p_value"],
        n=test["n"],
    )


def _signed_rank_records(resp: pd.DataFrame, var: Variable, waves: tuple[int, ...]) -> list[dict]:
    if var.type != "ordinal" or len(waves) < 2 or var.name not in resp:
        return []
    answers = samples.wide(samples.panel(resp, waves), var.name)
    present = [w for w in waves if w in answers and answers[w].notna().any()]
    if len(present) < 2:
        return []
    return [signed_rank_record(answers, var, (present[0], present[-1]), samples.panel_name(waves))]


def panel_records(resp: pd.DataFrame, variables: list[Variable], last_wave: int) -> list[dict]:
    """Shares and paired changes of each item in the panel of the last two waves
    (:func:`wavebook.estimates.panel_shares`) and in the panel of every wave so far
    (:func:`wavebook.estimates.panel_series`, change first → last), plus a signed-rank p-value
    for ordinal items. With two waves both panels are the same and are recorded once; with
    one wave there is no panel and the list is empty.
    """
    seen: set[str] = set()
    out: list[dict] = []
    if last_wave < 2:
        return out
    pair = (last_wave - 1, last_wave)
    every = tuple(range(1, last_wave + 1))
    for var in variables:
        out += _new_only(estimates.panel_shares(resp, var, pair), seen)
        out += _new_only(_signed_rank_records(resp, var, pair), seen)
        out += _new_only(estimates.panel_series(resp, var, every), seen)
        out += _new_only(_signed_rank_records(resp, var, every), seen)
    return out


def combined_records(resp: pd.DataFrame, variables: list[Variable], last_wave: int) -> list[dict]:
    """Share of each item among all respondents of every wave that asked it."""
    return [row for var in variables for row in estimates.shares_by_wave(resp, var, last_wave)]


def first_wave_by_panel(
    resp: pd.DataFrame, var: Variable, last_wave: int, recorded: pd.DataFrame
) -> list[dict]:
    """Wave-1 share of ``var`` in each nested panel (waves 1–2, 1–2–3, …) not yet in
    ``recorded``: the reports printed different wave-1 levels for different panels."""
    seen = set(recorded["key"]) if len(recorded) else set()
    rows = []
    for last in range(2, last_wave + 1):
        waves = tuple(range(1, last + 1))
        name = samples.panel_name(waves)
        panel = samples.panel(resp, waves)
        first = panel[panel["wave"] == 1]
        rows.append(
            estimates.share_record(
                var.indicator(first[var.name]),
                key=f"{var.name}_share_w1_{name}",
                construct=var.name,
                wave=1,
                sample=name,
                answers=var.answers(),
            )
        )
    return _new_only(rows, seen)


def age_test_record(resp: pd.DataFrame, var: Variable, wave: int) -> dict:
    """Chi-square test (:func:`wavebook.stats.compare_shares`) of ``var``'s share across age
    groups among all respondents of ``wave``, as a p-value record."""
    latest_rows = samples.combined(resp, wave)
    test = stats.compare_shares(
        var.indicator(latest_rows[var.name]), samples.age_group(latest_rows).astype("string")
    )
    return estimates.record(
        chapter="",
        key=f"{var.name}_age_group_p_w{wave}_combined",
        construct=var.name,
        statistic="p_value",
        wave=wave,
        sample=f"combined_w{wave}",
        subgroup="age_group",
        value=test["p_value"],
        p_value=test["p_value"],
        n=test["n"],
    )


def by_age(resp: pd.DataFrame, var: Variable, wave: int) -> list[dict]:
    """Share of ``var`` by age group among all respondents of ``wave`` (protected partition)."""
    latest_rows = samples.combined(resp, wave)
    return estimates.shares_by_group(
        latest_rows,
        var,
        samples.age_group(latest_rows),
        wave=wave,
        sample=f"combined_w{wave}",
        group_name="age_group",
    )


def benchmarks(bench: pd.DataFrame, construct: str) -> pd.DataFrame:
    """Benchmark rows of ``data/benchmarks.csv`` for ``construct``, in file order."""
    if bench.empty:
        return bench
    return bench[bench["construct"] == construct].reset_index(drop=True)


def field_year(waves: pd.DataFrame, wave: int) -> str:
    """The year(s) of a wave's fieldwork, from the registry (``'2023'``)."""
    row = waves[waves["wave"] == wave].iloc[0]
    first, last = str(row["field_start"])[:4], str(row["field_end"])[:4]
    return first if first == last else f"{first}–{last}"


def latest(records: pd.DataFrame, var_name: str, wave: int) -> pd.Series:
    """The record of ``var_name``'s share among all respondents of ``wave``."""
    rows = records[
        (records["construct"] == var_name)
        & (records["statistic"] == "share")
        & (records["sample"] == f"combined_w{wave}")
    ]
    return rows.iloc[-1]


# --- facts ----------------------------------------------------------------------------------
def _rows(records: pd.DataFrame, construct: str, statistic: str, sample: str | None):
    if sample is None or records.empty:
        return records.iloc[0:0]
    return records[
        (records["construct"] == construct)
        & (records["statistic"] == statistic)
        & (records["sample"] == sample)
    ]


def _one(rows: pd.DataFrame) -> pd.Series | None:
    return None if rows.empty else rows.iloc[-1]


def panel_change(records: pd.DataFrame, construct: str, sample: str | None) -> dict:
    """:func:`wavebook.report.change_fact` of ``construct`` in one panel (first → last wave of
    its change record), with the waves compared; ``{"status": "no_panel"}`` without it."""
    change = _one(_rows(records, construct, "change_pp", sample))
    if change is None:
        return {"status": "no_panel"}
    first, last = (int(w) for w in str(change["wave"]).split("->"))
    shares = _rows(records, construct, "share", sample)
    waves = shares["wave"].astype(str)
    facts = change_fact(_one(shares[waves == str(first)]), _one(shares[waves == str(last)]), change)
    return {**facts, "first": first, "last": last}


def panel_count(last_wave: int) -> int:
    """How many different panels a wave's edition shows: none at wave 1, one at wave 2 (every
    wave = the last two), two from wave 3 on."""
    return min(last_wave - 1, 2)


def general_facts(
    combined: pd.DataFrame, panels: pd.DataFrame, construct: str, last_wave: int
) -> dict:
    """Facts on one item: its share among all respondents of ``last_wave`` and its change in
    the panel of every wave and of the last two waves."""
    latest = _one(_rows(combined, construct, "share", f"combined_w{last_wave}"))
    return {
        "latest": estimate_fact(latest),
        "balanced": panel_change(panels, construct, balanced_sample(last_wave)),
        "two_wave": panel_change(panels, construct, two_wave_sample(last_wave)),
        "panels": panel_count(last_wave),
    }


def item_changes(records: pd.DataFrame, items: tuple[str, ...], sample: str | None) -> dict:
    """The items of one panel grouped by :func:`wavebook.stats.direction` (``up``, ``down``,
    ``flat``, and ``withheld`` when too few answered), each a list of codebook keys in the
    order of ``items``, with the waves compared and a status (``ok`` or ``no_panel``)."""
    changes = {name: panel_change(records, name, sample) for name in items}
    groups: dict[str, list[str]] = {"up": [], "down": [], "flat": [], "withheld": []}
    waves: dict[str, int] = {}
    for name, fact in changes.items():
        if fact["status"] == "ok":
            groups[fact["direction"]].append(name)
        elif fact["status"] == "withheld":
            groups["withheld"].append(name)
        if "first" in fact:
            waves = {"first": fact["first"], "last": fact["last"]}
    status = "ok" if waves else "no_panel"
    return {"status": status, **waves, **groups, "total": sum(map(len, groups.values()))}


def _tied(rows: pd.DataFrame, value: float) -> pd.DataFrame:
    """The rows whose share rounds to the same whole percent as ``value``."""
    return rows[rows["value"].round() == round(value)]


def ranking_facts(records: pd.DataFrame, items: tuple[str, ...], wave: int) -> dict:
    """The most and the least trusted items among all respondents of ``wave``: codebook keys
    (items whose shares round to the same percent are tied and named together), their share,
    and a status: ``ok``, ``tie`` (every item at the same share) or ``not_asked``."""
    rows = records[
        (records["statistic"] == "share")
        & (records["sample"] == f"combined_w{wave}")
        & records["construct"].isin(items)
        & ~records["suppressed"].astype(bool)
    ]
    if len(rows) < 2:
        return {"status": "not_asked"}
    rows = rows.sort_values("value", ascending=False, kind="stable")
    top = _tied(rows, rows.iloc[0]["value"])
    bottom = _tied(rows, rows.iloc[-1]["value"])
    return plain(
        {
            "status": "tie" if len(top) == len(rows) else "ok",
            "top": list(top["construct"]),
            "top_value": rows.iloc[0]["value"],
            "bottom": list(bottom["construct"]),
            "bottom_value": rows.iloc[-1]["value"],
        }
    )


def n_range(records: pd.DataFrame, sample: str | None) -> dict:
    """The smallest and largest n of the shown shares of one panel, and its first and last
    wave (for a caption); ``{"status": "no_panel"}`` when it shows nothing."""
    rows = (
        records[
            (records["statistic"] == "share")
            & (records["sample"] == sample)
            & ~records["suppressed"].astype(bool)
        ]
        if sample is not None and len(records)
        else records.iloc[0:0]
    )
    if rows.empty:
        return {"status": "no_panel"}
    low, high = int(rows["n"].min()), int(rows["n"].max())
    waves = sorted(int(w) for w in rows["wave"])
    return {
        "status": "ok",
        "low": low,
        "high": high,
        "same": low == high,
        "first": waves[0],
        "last": waves[-1],
    }


def first_wave_facts(records: pd.DataFrame, construct: str, last_wave: int) -> dict:
    """The wave-1 share of ``construct`` in the panel of waves 1–2 (``two``) and in the panel
    of every wave (``every``, from wave 3 on): the reports printed different wave-1 levels for
    different panels. A panel that does not exist yet has the status ``no_panel``."""
    every = samples.panel_name(range(1, last_wave + 1)) if last_wave >= 3 else None
    two = samples.panel_name((1, 2)) if last_wave >= 2 else None
    facts = {}
    for name, sample in (("two", two), ("every", every)):
        rows = _rows(records, construct, "share", sample)
        facts[name] = estimate_fact(_one(rows[rows["wave"].astype(str) == "1"]), "no_panel")
    return facts


def published_number(published: pd.DataFrame, figure_id: str) -> float:
    """A number as the reports printed it (``published_figures.csv``)."""
    return float(published.set_index("id").loc[figure_id, "value"])


def versus_benchmark(ours: pd.Series, value: float) -> str:
    """Whether a benchmark lies outside this survey's 95% interval (the benchmark taken as
    fixed): ``above`` (this survey is above it), ``below``, ``within``, or ``withheld``.

    >>> versus_benchmark(pd.Series({"ci_low": 50.0, "ci_high": 55.0, "suppressed": False}), 23)
    'above'
    >>> versus_benchmark(pd.Series({"ci_low": 50.0, "ci_high": 55.0, "suppressed": False}), 52)
    'within'
    """
    if bool(ours["suppressed"]):
        return "withheld"
    if value < ours["ci_low"]:
        return "above"
    if value > ours["ci_high"]:
        return "below"
    return "within"


def _years(years: pd.Series) -> list[int]:  # "2017-2020" -> [2017, 2020]
    return [int(y) for text in years.astype(str) for y in text.split("-")]


def benchmark_facts(ours: pd.Series, bench: pd.DataFrame) -> dict:
    """The benchmarks by population (keyed by its lower-case name): the lowest and highest
    share, the first and last year, and how this survey compares (:func:`versus_benchmark`;
    ``mixed`` when the population's benchmarks disagree).

    >>> ours = pd.Series({"value": 61.0, "ci_low": 60.0, "ci_high": 62.0, "suppressed": False})
    >>> bench = pd.DataFrame({"population": ["Russia", "Russia", "Germany"],
    ...     "value": [28.0, 23.0, 40.0], "year": ["2014", "2017-2020", "2017-2020"]})
    >>> benchmark_facts(ours, bench)["russia"]
    ... # doctest: +NORMALIZE_WHITESPACE
    {'low': 23.0, 'high': 28.0, 'same': False, 'first': '2014', 'last': '2020', 'one_year': False,
     'versus': 'above'}
    """
    facts = {}
    for population, rows in bench.groupby("population", sort=False):
        words = {versus_benchmark(ours, float(v)) for v in rows["value"]}
        years = _years(rows["year"])
        low, high = rows["value"].min(), rows["value"].max()
        facts[str(population).lower()] = plain(
            {
                "low": low,
                "high": high,
                "same": round(low) == round(high),
                "first": str(min(years)),  # years are names, not numbers: no "2,014"
                "last": str(max(years)),
                "one_year": min(years) == max(years),
                "versus": words.pop() if len(words) == 1 else "mixed",
            }
        )
    return facts


def age_facts(groups: pd.DataFrame, test: pd.Series) -> dict:
    """Whether the share differs by age group (chi-square at α): the status (``ok`` or
    ``withheld`` when fewer than two groups can be shown), ``differs``, the test's p, the
    highest and lowest groups (``age_group=…``) with their shares, and the total n."""
    shown = groups[~groups["suppressed"].astype(bool)].sort_values(
        "value", ascending=False, kind="stable"
    )
    facts = {"n": int(groups["n"].sum()), **_withheld(groups)}
    if len(shown) < 2 or bool(test["suppressed"]):
        return {**facts, "status": "withheld"}
    top, bottom = shown.iloc[0], shown.iloc[-1]
    return plain(
        {
            **facts,
            "status": "ok",
            "differs": stats.is_significant(test["p_value"]),
            "p": test["p_value"],
            "top": top["subgroup"],
            "top_value": top["value"],
            "bottom": bottom["subgroup"],
            "bottom_value": bottom["value"],
            "same": round(top["value"]) == round(bottom["value"]),
        }
    )


def _withheld(records: pd.DataFrame) -> dict:
    hidden = records.loc[records["suppressed"].astype(bool), "subgroup"].astype(str)
    return {"withheld": list(hidden), "min_n": estimates.MIN_CELL_N}


def scale_keys(var: Variable) -> list[str]:
    """The answer options of ``var`` in order, as codebook keys (``var:code``)."""
    return [f"{var.name}:{c.code}" for c in var.codes]


def answer_keys(var: Variable) -> list[str]:
    """The answers of ``var`` as codebook keys, those counted in the share first."""
    cut = cut_keys(var)
    return cut + [key for key in scale_keys(var) if key not in cut]


def cut_keys(var: Variable) -> list[str]:
    """The answers counted in the share (the codebook's ``share_cut``), as codebook keys."""
    return [f"{var.name}:{code}" for code in var.share_cut or [1]]


def source_facts(synthetic: bool, wave: int) -> dict:
    """What the source line of a caption says: which data, up to which wave."""
    return {"synthetic": synthetic, "wave": wave}


# --- figures and tables (drawn in the language of ``words``) ---------------------------------
class Omitted:
    """The output of a figure or table that this edition omits (its ``{when}`` is false)."""

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/markdown": "&nbsp;", "text/html": "", "text/plain": ""}


def share_figure(records: pd.DataFrame, name: str, words: Words) -> charts.Figure:
    """Generalized trust by wave and sample (:func:`wavebook.charts.share_by_wave`)."""
    return charts.share_by_wave(records, name, words.say("trust-axis-general"), words=words)


def items_figure(
    records: pd.DataFrame, sample: str | None, name: str, words: Words
) -> charts.Figure | Omitted:
    """The items across waves in one panel (:func:`wavebook.charts.items_by_wave`, codebook
    short labels), or :class:`Omitted` when the panel does not exist or shows nothing."""
    rows = (
        records[
            (records["sample"] == sample)
            & (records["statistic"] == "share")
            & ~records["suppressed"].astype(bool)
        ]
        if sample is not None and len(records)
        else records.iloc[0:0]
    )
    if rows.empty:
        return Omitted()
    return charts.items_by_wave(rows, None, name, words.say("trust-axis-items"), words=words)


def _p_cell(p: float, words: Words) -> str:
    if p != p:
        return words.say("trust-cell-na")
    return f"< {words.decimal(0.001, 3)}" if p < 0.001 else words.decimal(p, 3)


def _change_cell(change: pd.Series, words: Words) -> str:
    span = words.bounds(change["ci_low"], change["ci_high"])
    return words.say(
        "trust-cell-change", {"change": _signed(change["value"], words), "range": span}
    )


def _signed(value: float, words: Words) -> str:
    rounded = round(float(value))
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
    return f"{sign}{words.decimal(abs(rounded))}"


def _cell(row: pd.Series, text: Callable[[], str], words: Words) -> str:
    """``text()``, or the withheld mark (a withheld row has no numbers to format)."""
    return words.say("trust-cell-withheld") if bool(row["suppressed"]) else text()


def changes_table(
    records: pd.DataFrame, items: tuple[str, ...], sample: str | None, words: Words
) -> tables.Table:
    """One row per item in one panel: the shares at the first and last wave compared (the
    headers name the waves), the paired change in pp with its 95% interval (each rounded on
    its own), McNemar's p, the signed-rank p on the whole scale (not applicable to a
    two-answer item) and the pairs; withheld cells say so. Without a panel, an empty table
    (which the chapter omits).
    """
    rows = []
    first = last = 0
    for item in items:
        change = _one(_rows(records, item, "change_pp", sample))
        if change is None:
            continue
        first, last = (int(w) for w in str(change["wave"]).split("->"))
        shares = _rows(records, item, "share", sample).set_index(
            _rows(records, item, "share", sample)["wave"].astype(str)
        )
        ranks = _one(_rows(records, item, "p_value", sample))
        before, after = shares.loc[str(first)], shares.loc[str(last)]
        rows.append(
            [
                words.label(item, "short"),
                _cell(before, lambda r=before: words.percent(r["value"]), words),
                _cell(after, lambda r=after: words.percent(r["value"]), words),
                _cell(change, lambda r=change: _change_cell(r, words), words),
                _cell(change, lambda r=change: _p_cell(r["p_value"], words), words),
                words.say("trust-cell-na")
                if ranks is None
                else _cell(ranks, lambda r=ranks: _p_cell(r["p_value"], words), words),
                words.decimal(change["n"]),
            ]
        )
    if not rows:  # omitted by the chapter's {when}, but still parsed as a table
        return tables.Table(pd.DataFrame({"": []}), empty_note="")
    columns = [
        words.say("trust-col-item"),
        words.say("wave-label", {"number": first}),
        words.say("wave-label", {"number": last}),
        words.say("trust-col-change"),
        words.say("trust-col-mcnemar"),
        words.say("trust-col-signed-rank"),
        words.say("trust-col-pairs"),
    ]
    return tables.Table(pd.DataFrame(rows, columns=columns), align=["left", *["right"] * 6])


def _message_or(words: Words, message_id: str, fallback: str) -> str:
    return words.say(message_id) if words.has(message_id) else fallback


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def benchmark_table(ours: pd.Series, bench: pd.DataFrame, year: str, words: Words) -> tables.Table:
    """This survey's latest share beside the benchmarks, with source and year; the last
    column says whether each benchmark lies outside this survey's 95% interval. Populations
    and sources are named by the messages ``trust-bench-<slug>`` of the words (as in the
    file when there is none)."""
    share = (
        words.say("trust-cell-withheld")
        if bool(ours["suppressed"])
        else words.say(
            "wb-share",
            plain(
                {
                    "value": ours["value"],
                    "low": ours["ci_low"],
                    "high": ours["ci_high"],
                    "n": ours["n"],
                }
            ),
        )
    )
    rows = [
        [
            words.say("trust-bench-this-survey", {"wave": int(ours["wave"])}),
            share,
            words.say("trust-bench-this-source"),
            year,
            "",
        ]
    ]
    for row in bench.itertuples(index=False):
        rows.append(
            [
                _message_or(words, f"trust-bench-{_slug(row.population)}", row.population),
                words.percent(row.value),
                _message_or(words, f"trust-bench-{_slug(row.source)}", row.source),
                str(row.year).replace("-", "–"),
                words.say(
                    "trust-bench-versus", {"versus": versus_benchmark(ours, float(row.value))}
                ),
            ]
        )
    columns = [
        words.say("trust-col-population"),
        words.say("trust-col-general"),
        words.say("trust-col-source"),
        words.say("trust-col-year"),
        words.say("trust-col-versus"),
    ]
    return tables.Table(
        pd.DataFrame(rows, columns=columns), align=["left", "right", "left", "left", "left"]
    )


class _Described(charts.StaticFigure):
    """A :class:`wavebook.charts.StaticFigure` whose HTML image has alt text in words."""

    def __init__(self, figure, data: pd.DataFrame, name: str, alt: str, words: Words) -> None:
        super().__init__(figure, data, name, words=words)
        self.alt = alt

    def html(self) -> str:
        import html as _html

        return (
            super()
            .html()
            .replace(f'alt="{_html.escape(self.name)}"', f'alt="{_html.escape(self.alt)}"', 1)
        )


def group_dots(records: pd.DataFrame, name: str, words: Words) -> _Described | Omitted:
    """A static (matplotlib) dot-and-interval chart of shares by subgroup in the house palette
    and font, n in the axis labels, alt text listing every share; :class:`Omitted` when no
    group can be shown."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = records[(records["statistic"] == "share") & ~records["suppressed"].astype(bool)]
    if shown.empty:
        return Omitted()
    data = shown[["subgroup", "value", "ci_low", "ci_high", "n"]].reset_index(drop=True)
    groups = [words.group(g) for g in data["subgroup"]]
    ticks = [
        words.say("trust-age-tick", {"group": g, "n": words.decimal(n)})
        for g, n in zip(groups, data["n"], strict=True)
    ]
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 11})
    fig, ax = plt.subplots(figsize=(6.4, 0.42 * max(len(data), 2) + 1.1))
    y = list(range(len(data)))[::-1]
    ax.hlines(y, data["ci_low"], data["ci_high"], color=charts.PALETTE[0], linewidth=2)
    ax.plot(data["value"], y, "o", color=charts.PALETTE[0], markersize=7)
    ax.set_yticks(y, ticks)
    ax.set(xlim=(0, 100), xlabel=words.say("trust-axis-general"), ylim=(-0.7, len(data) - 0.3))
    ax.grid(axis="x", color="#e6e6e6")
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#888")
    ax.tick_params(colors="#333", length=0, axis="y")
    each = [
        words.say("trust-age-alt-group", {"group": g, "value": float(v)})
        for g, v in zip(groups, data["value"], strict=True)
    ]
    alt = words.say("trust-age-alt", {"groups": "; ".join(each)})
    return _Described(fig, data, name, alt, words)
