"""Civic and political activity abroad: the checklist of things done in the reference period.

The checklist ``recent_activities`` (codebook items F1–F5, civic, and G1–G2, political) is one
binary option column per activity. This module builds the records the ``activism`` chapter
shows — shares in the combined sample of the latest wave, shares across waves in the balanced
panel (every wave so far) with the paired change from the first to the last wave that asked an
item, the same for the panel of the last two waves — and the **facts** its sentences are
written from: shares, changes with their direction (:func:`wavebook.stats.direction`, through
:func:`wavebook.report.change_fact`), ranked codebook keys, n ranges and statuses. The
sentences themselves are the chapter's ``{words}``; the words of its tables and figures come
from the codebook and from ``words/activism.<lang>.ftl``.

Everything returned is aggregate: records (:func:`wavebook.estimates.record`), facts, tables
and figures; no function returns respondent rows except :func:`with_any_activity`, which only
adds columns to the respondent table the chapter already holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import pandas as pd

from wavebook import charts, estimates, report, samples, tables
from wavebook.codebook import Codebook, Variable
from wavebook.words import Words

QUESTION = "recent_activities"
DOMAINS = {"civic": "F", "political": "G"}  # questionnaire.md §5: F civic, G political
ANY_COLUMNS = {"civic": "civ_any", "political": "pol_any"}
ANY_ALL = "civpol_any"
BOTH = "civpol_both"


# --- the items -------------------------------------------------------------------------------
def activity_items(codebook: Codebook, domain: str | None = None) -> list[Variable]:
    """The options of the activities checklist, in codebook order.

    ``domain`` is ``"civic"`` (items F…), ``"political"`` (items G…) or ``None`` (all).
    """
    items = [v for v in codebook.variables if v.type == "option" and v.question == QUESTION]
    if domain is None:
        return items
    prefix = DOMAINS[domain]
    return [v for v in items if (v.item or "").startswith(prefix)]


def _any(indicators: pd.DataFrame) -> pd.Series:
    # 1 if any ticked, 0 if all answered options are 0, NaN if no option was answered
    return indicators.max(axis=1, skipna=True)


def with_any_activity(resp: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``resp`` with ``civ_any``, ``pol_any`` and ``civpol_any`` added (0/1, NaN when no
    option of the group was answered): 1 if any option of the group is ticked; and
    ``civpol_both``: 1 if at least one civic and one political option are ticked (NaN unless
    both groups were answered).

    Only the options a wave asked count for that wave, so the indicators of a wave that asked
    fewer options cover fewer activities (see :func:`not_asked_items`).

    Examples
    --------
    >>> from wavebook.codebook import Codebook
    >>> item = dict(type="option", question=QUESTION, label_ru="-", waves=[1])
    >>> cb = Codebook(version=1, variables=[
    ...     Variable(name="civ_a", item="F1", label_en="a", **item),
    ...     Variable(name="pol_b", item="G1", label_en="b", **item)])
    >>> frame = pd.DataFrame({"civ_a": [1, 0, 0, None], "pol_b": [0, 0, 1, None]})
    >>> with_any_activity(frame, cb)[["civ_any", "pol_any", "civpol_any"]].values.tolist()
    [[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 1.0, 1.0], [nan, nan, nan]]
    >>> with_any_activity(frame, cb)["civpol_both"].tolist()
    [0.0, 0.0, 0.0, nan]
    """
    out = resp.copy()
    parts = {}
    for domain, column in ANY_COLUMNS.items():
        present = [v for v in activity_items(codebook, domain) if v.name in out]
        ticks = pd.DataFrame({v.name: v.indicator(out[v.name]) for v in present}, index=out.index)
        parts[column] = _any(ticks) if present else pd.Series(float("nan"), index=out.index)
        out[column] = parts[column]
    out[ANY_ALL] = _any(pd.DataFrame(parts))
    both = pd.DataFrame(parts).min(axis=1, skipna=False)  # NaN unless both groups answered
    out[BOTH] = both
    return out


class AnyActivity(Variable):
    """An "any activity" indicator of :func:`with_any_activity`: 1 when at least one option of
    each of ``groups`` is ticked. Its shares count that, and :meth:`answers` says so
    (``any:civ_volunteer|…``, groups joined by ``;``)."""

    groups: tuple[tuple[str, ...], ...] = ()

    def answers(self, codes: Sequence[int | str] | None = None) -> str:
        if codes is not None or not self.groups:
            return super().answers(codes)
        return ";".join(estimates.any_of(group) for group in self.groups)


def any_variables(codebook: Codebook) -> list[Variable]:
    """Binary variables for the "any activity" indicators: the two group indicators,
    ``civpol_both`` and ``civpol_any`` (:class:`AnyActivity`, with the codes and labels of
    the codebook's ``civpol_any``)."""
    return [any_variable(codebook, c) for c in [*ANY_COLUMNS.values(), BOTH, ANY_ALL]]


def any_variable(codebook: Codebook, name: str) -> AnyActivity:
    """One "any activity" indicator (a name of :data:`ANY_COLUMNS`, :data:`BOTH` or
    :data:`ANY_ALL`) with the checklist options it counts."""
    domains = {column: [domain] for domain, column in ANY_COLUMNS.items()}
    domains.update({BOTH: list(DOMAINS), ANY_ALL: [None]})
    groups = tuple(tuple(v.name for v in activity_items(codebook, d)) for d in domains[name])
    base = codebook[ANY_ALL].model_dump()
    if name != ANY_ALL:  # its reader labels are messages of words/activism.<lang>.ftl
        base.update(name=name, label_en=name, label_ru=name, derived=True)
    return AnyActivity(**base, groups=groups)


def asked_items(resp: pd.DataFrame, variables: Sequence[Variable], wave: int) -> list[Variable]:
    """The variables that ``wave`` asked."""
    return [v for v in variables if estimates.asked(resp, v, wave)]


def not_asked_items(resp: pd.DataFrame, variables: Sequence[Variable], wave: int) -> list[Variable]:
    """The variables that ``wave`` did not ask."""
    return [v for v in variables if not estimates.asked(resp, v, wave)]


# --- records ---------------------------------------------------------------------------------
def latest_shares(resp: pd.DataFrame, variables: Sequence[Variable], wave: int) -> list[dict]:
    """Share of each variable in the combined sample of ``wave`` (variables not asked are
    left out). Keys as in :func:`wavebook.estimates.shares_by_wave`."""
    rows = samples.combined(resp, wave)
    return [
        estimates.share_record(
            v.indicator(rows[v.name]),
            key=f"{v.name}_share_w{wave}_combined",
            construct=v.name,
            wave=wave,
            sample=f"combined_w{wave}",
            answers=v.answers(),
        )
        for v in asked_items(resp, variables, wave)
    ]


def balanced_waves(wave: int) -> tuple[int, ...]:
    """The waves of the balanced panel of an edition: ``(1, …, wave)``."""
    return tuple(range(1, wave + 1))


def trend_records(resp: pd.DataFrame, variables: Sequence[Variable], wave: int) -> list[dict]:
    """Balanced panel (every wave from 1 to ``wave``): shares per wave and the change from the
    first to the last wave that asked each item (:func:`wavebook.estimates.panel_series`);
    empty in wave 1."""
    waves = balanced_waves(wave)
    return [row for v in variables for row in estimates.panel_series(resp, v, waves)]


def last_pair_records(resp: pd.DataFrame, variables: Sequence[Variable], wave: int) -> list[dict]:
    """Panel of waves ``wave - 1`` and ``wave`` (:func:`wavebook.estimates.panel_shares`).

    Empty in wave 1, and in wave 2, where this panel *is* the balanced panel (its records
    would repeat those of :func:`trend_records` under the same keys).
    """
    if wave < 3:
        return []
    return [row for v in variables for row in estimates.panel_shares(resp, v, (wave - 1, wave))]


def step_records(resp: pd.DataFrame, var: Variable, wave: int) -> list[dict]:
    """Wave-to-wave changes of ``var`` inside the balanced panel (1→2, 2→3, …).

    A step that spans the same waves as the change of :func:`trend_records` (first to last
    wave that asked the item) is left out, so that keys stay unique: in wave 2 there is none.
    """
    waves = balanced_waves(wave)
    if len(waves) < 2 or var.name not in resp:
        return []
    name = samples.panel_name(waves)
    answers = samples.wide(samples.panel(resp, waves), var.name).apply(var.indicator)
    present = [w for w in waves if w in answers and answers[w].notna().any()]
    out = []
    for first, last in pairwise(present):
        if (first, last) == (present[0], present[-1]):
            continue
        pairs = answers[[first, last]].dropna()
        out.append(
            estimates.change_record(
                pairs[first],
                pairs[last],
                key=f"{var.name}_change_{first}_{last}_{name}",
                construct=var.name,
                waves=(first, last),
                sample=name,
                answers=var.answers(),
            )
        )
    return out


def records_of(records: list[dict], variables: Sequence[Variable]) -> list[dict]:
    """The records whose construct is one of ``variables``."""
    names = {v.name for v in variables}
    return [r for r in records if r["construct"] in names]


def figure_records(trend: list[dict], latest: list[dict]) -> pd.DataFrame:
    """What an items figure draws: the balanced panel, or the latest wave's combined sample
    when there is no panel yet (wave 1)."""
    return estimates.frame(trend if trend else latest)


# --- reading a change ------------------------------------------------------------------------
SUMMARY_COLUMNS = [
    "construct",
    "sample",
    "first",
    "last",
    "before",
    "after",
    "change",
    "ci_low",
    "ci_high",
    "n",
    "p_value",
    "status",
    "direction",
]


def change_summary(records: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """One row per change record: the item, its sample and waves, the shares at both waves
    (from the share records of the same sample), the change with its interval, McNemar's p,
    a ``status`` (``ok`` or ``withheld``) and the ``direction`` of
    :func:`wavebook.report.change_fact` (``up``, ``down``, ``flat``; ``withheld`` when the
    change or one of its shares is withheld)."""
    frame = estimates.frame(list(records)) if isinstance(records, list) else records
    if frame.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    shares = frame[frame["statistic"] == "share"]
    rows = []
    for change in frame[frame["statistic"] == "change_pp"].to_dict("records"):
        first, last = change["wave"].split("->")
        level = shares[
            (shares["construct"] == change["construct"]) & (shares["sample"] == change["sample"])
        ].set_index("wave")
        before, after = (
            level.loc[w].to_dict() if w in level.index else None for w in (first, last)
        )
        fact = report.change_fact(before, after, change, missing="withheld")
        ok = fact["status"] == "ok"
        rows.append(
            {
                "construct": change["construct"],
                "sample": change["sample"],
                "first": int(first),
                "last": int(last),
                "before": fact.get("before", float("nan")),
                "after": fact.get("after", float("nan")),
                "change": change["value"],
                "ci_low": change["ci_low"],
                "ci_high": change["ci_high"],
                "n": int(change["n"]),
                "p_value": change["p_value"],
                "status": "ok" if ok else "withheld",
                "direction": fact["direction"] if ok else "withheld",
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _row_fact(row: pd.Series | dict) -> dict[str, Any]:
    """The facts of one row of :func:`change_summary` (as :func:`wavebook.report.change_fact`,
    with the item's ``key`` and the waves compared)."""
    facts: dict[str, Any] = {
        "key": row["construct"],
        "first": int(row["first"]),
        "last": int(row["last"]),
        "n": int(row["n"]),
        "status": row["status"],
    }
    if row["status"] == "ok":
        facts.update(
            before=row["before"],
            after=row["after"],
            value=row["change"],
            ci_low=row["ci_low"],
            ci_high=row["ci_high"],
            p=row["p_value"],
            direction=row["direction"],
        )
    return report.plain(facts)


def _main_span(summary: pd.DataFrame) -> tuple[int, int]:
    """The waves most items are compared over; on a tie the span reaching the latest wave
    (a question a new wave dropped is then the exception, not the rule)."""
    sizes = summary.groupby(["first", "last"]).size()
    return max(sizes.index, key=lambda k: (sizes[k], k[1], -k[0]))


def _span_of(first: int, last: int, span: tuple[int, int]) -> str:
    """How an item's waves differ from the main span: ``later`` (first asked later),
    ``earlier`` (last asked earlier) or ``other``."""
    if first > span[0] and last == span[1]:
        return "later"
    if first == span[0] and last < span[1]:
        return "earlier"
    return "other"


def changes_fact(
    summary: pd.DataFrame, variables: Sequence[Variable] | None = None
) -> dict[str, Any]:
    """The facts of one panel's changes (of ``variables``, default all of ``summary``):

    ``status`` (``ok``; ``no_panel`` without changes), the waves most items are compared over
    (``first``, ``last``), the pairs behind them (``n``, the largest count), the items over
    that span by direction (``up``, ``down``, ``flat``: codebook keys, largest change first;
    ``withheld``), ``total`` (items over that span), ``lead`` (the largest rise or fall, with
    its shares and test; status ``none`` when nothing moved) and ``other`` (items compared
    over other waves: their keys, and the facts of the first of them with ``span`` =
    ``later``, ``earlier`` or ``other``).
    """
    names = None if variables is None else [v.name for v in variables]
    rows = summary if names is None else summary[summary["construct"].isin(names)]
    if rows.empty:
        return {"status": "no_panel"}
    span = _main_span(rows)
    on_span = (rows["first"] == span[0]) & (rows["last"] == span[1])
    main, other = rows[on_span], rows[~on_span]
    ok = main[main["status"] == "ok"].assign(size=lambda f: f["change"].abs())
    ok = ok.sort_values("size", ascending=False, kind="stable")

    def keys(direction: str) -> list[str]:
        return list(ok.loc[ok["direction"] == direction, "construct"])

    moved = ok[ok["direction"].isin(["up", "down"])]
    facts: dict[str, Any] = {
        "status": "ok",
        "first": span[0],
        "last": span[1],
        "n": int(main["n"].max()),
        "total": len(main),
        "up": keys("up"),
        "down": keys("down"),
        "flat": keys("flat"),
        "withheld": list(main.loc[main["status"] != "ok", "construct"]),
        "lead": _row_fact(moved.iloc[0]) if not moved.empty else {"status": "none"},
        "other": {"keys": list(other["construct"]), "status": "none"},
    }
    if not other.empty:
        row = other.iloc[0]
        facts["other"].update(
            _row_fact(row),
            keys=list(other["construct"]),
            span=_span_of(int(row["first"]), int(row["last"]), span),
        )
    return report.plain(facts)


def item_fact(summary: pd.DataFrame, var: Variable) -> dict[str, Any]:
    """The facts of the change of one item in a panel (:func:`change_summary`): shares,
    change, interval, test, ``direction``, waves and pairs; status ``no_panel`` without it."""
    rows = summary[summary["construct"] == var.name]
    return _row_fact(rows.iloc[0]) if not rows.empty else {"status": "no_panel"}


def domain_fact(
    resp: pd.DataFrame,
    trend: list[dict],
    latest: list[dict],
    variables: Sequence[Variable],
    wave: int,
) -> dict[str, Any]:
    """The facts of one group of items (civic or political): ``rank`` (:func:`ranking_fact`
    of the latest wave), ``change`` (:func:`changes_fact` in the balanced panel) and the
    items with one wave only in the panel (``new``, ``once``: :func:`single_wave_items`)."""
    names = [v.name for v in variables]
    return {
        "rank": ranking_fact(records_of(latest, variables)),
        "change": changes_fact(change_summary(trend), variables),
        **single_wave_items(resp, trend, names, wave),
    }


def single_wave_items(
    resp: pd.DataFrame, records: list[dict], names: Sequence[str], wave: int
) -> dict[str, list[str]]:
    """Items of ``names`` with a share at one wave only in the panel ``records``: ``new``
    (first asked in ``wave``, so no change yet) and ``once`` (the panel answered them in one
    wave only: a question dropped later, or routed away from the panel)."""
    frame = estimates.frame(list(records))
    if frame.empty:
        return {"new": [], "once": []}
    shares = frame[(frame["statistic"] == "share") & frame["construct"].isin(list(names))]
    waves = shares.groupby("construct", sort=False)["wave"].agg(list)
    single = waves[waves.map(len) == 1].map(lambda ws: int(ws[0]))
    new = [c for c, w in single.items() if samples.asked_waves(resp, c)[:1] == [w] == [wave]]
    return {"new": new, "once": [c for c in single.index if c not in new]}


def ranking_fact(latest: Sequence[dict]) -> dict[str, Any]:
    """The most and the least common items of the shown shares in ``latest`` (ties at the
    rounded share named together): ``top`` and ``bottom`` (keys), ``top_value``,
    ``bottom_value``, ``same`` (``yes`` when top and bottom are the same items), ``count``
    (items shown) and ``status`` (``ok``, ``withheld`` when nothing can be shown,
    ``not_asked`` without records)."""
    frame = estimates.frame(list(latest))
    if frame.empty:
        return {"status": "not_asked"}
    shown = frame[~frame["suppressed"].astype(bool)]
    if shown.empty:
        return {"status": "withheld"}
    shown = shown.sort_values(["value", "construct"], ascending=[False, True])
    rounded = shown["value"].round()
    top, bottom = shown[rounded == rounded.max()], shown[rounded == rounded.min()]
    return report.plain(
        {
            "status": "ok",
            "top": list(top["construct"]),
            "top_value": top["value"].iloc[0],
            "bottom": list(bottom["construct"]),
            "bottom_value": bottom["value"].iloc[0],
            "same": set(top["construct"]) == set(bottom["construct"]),
            "count": len(shown),
        }
    )


def shares_fact(latest: Sequence[dict]) -> dict[str, Any]:
    """:func:`wavebook.report.estimate_fact` of each record of ``latest``, by construct
    (``not_asked`` for an indicator of :func:`any_variables` without a record)."""
    rows = {r["construct"]: r for r in latest}
    names = [*ANY_COLUMNS.values(), BOTH, ANY_ALL, *rows]
    return {name: report.estimate_fact(rows.get(name)) for name in dict.fromkeys(names)}


def _phrase(period: str) -> str:
    """A reference period of the codebook for use inside a sentence: first letter in lower
    case, a bracketed gloss set off by a comma.

    >>> _phrase("Since leaving Russia (about the first month abroad)")
    'since leaving Russia, about the first month abroad'
    """
    period = period.replace(" (", ", ").replace(")", "")
    return period[:1].lower() + period[1:]


def recall_fact(var: Variable, wave: int) -> dict[str, Any]:
    """The reference periods of the checklist (the codebook's ``recall``, in sentence form):
    ``first`` (wave 1), ``latest`` (``wave``), ``status`` — ``same`` (every wave so far asked
    about one period), ``first_differs`` (waves after the first share a period of their own,
    the waves ``later_first`` to ``wave``, ``later_count`` of them) or ``mixed`` — and
    ``pair`` (the waves ``previous`` and ``wave``: ``same`` or ``differs``; ``none`` in wave 1).

    >>> v = Variable(name="x", type="option", label_en="x", label_ru="x", waves=[1, 2, 3],
    ...              recall={1: "First month", 2: "Last 3 months", 3: "Last 3 months"})
    >>> fact = recall_fact(v, 3)
    >>> fact["status"], fact["pair"], fact["latest"], fact["later_count"]
    ('first_differs', 'same', 'last 3 months', 2)
    """
    periods = {w: var.recall.get(w) for w in balanced_waves(wave)}
    if any(p is None for p in periods.values()):
        return {"status": "not_recorded", "pair": "none"}
    later = {periods[w] for w in periods if w > 1}
    if len(set(periods.values())) == 1:
        status = "same"
    elif len(later) == 1:
        status = "first_differs"
    else:
        status = "mixed"
    pair = "none" if wave == 1 else ("same" if periods[wave - 1] == periods[wave] else "differs")
    return {
        "status": status,
        "first": _phrase(periods[1]),
        "latest": _phrase(periods[wave]),
        "later_first": 2,
        "later_count": wave - 1,
        "previous": wave - 1,
        "pair": pair,
    }


def missing_fact(resp: pd.DataFrame, codebook: Codebook, wave: int) -> dict[str, Any]:
    """Checklist items some wave of this edition did not ask: ``keys`` (codebook order) and
    the first and last wave that missed one (``first``, ``last``, ``same`` when they are one
    wave; absent when none)."""
    gaps = {w: not_asked_items(resp, activity_items(codebook), w) for w in balanced_waves(wave)}
    gaps = {w: vs for w, vs in gaps.items() if vs}
    names = {v.name for vs in gaps.values() for v in vs}
    facts: dict[str, Any] = {"keys": [v.name for v in activity_items(codebook) if v.name in names]}
    if gaps:
        facts.update(first=min(gaps), last=max(gaps), same=min(gaps) == max(gaps))
    return facts


def steps_fact(trend: list[dict], steps: list[dict], var_name: str, wave: int) -> dict[str, Any]:
    """The wave-to-wave changes of one item (e.g. rallies) in the balanced panel: ``w1_2`` and
    ``w2_3`` (facts of :func:`changes_fact`'s rows; status ``no_panel`` when the edition has
    no such step), the largest number of pairs (``n``) and ``status`` (``first_wave`` in
    wave 1, ``not_asked`` when no step can be computed, else ``ok``)."""
    if wave == 1:
        return {"status": "first_wave"}
    summary = change_summary([r for r in [*trend, *steps] if r["construct"] == var_name])
    facts: dict[str, Any] = {"status": "not_asked" if summary.empty else "ok"}
    for first, last in ((1, 2), (2, 3)):
        rows = summary[(summary["first"] == first) & (summary["last"] == last)]
        facts[f"w{first}_{last}"] = (
            _row_fact(rows.iloc[0]) if not rows.empty else {"status": "no_panel"}
        )
    if not summary.empty:
        facts["n"] = int(summary["n"].max())
    return report.plain(facts)


def contrast_fact(trend: pd.DataFrame, pair: pd.DataFrame) -> dict[str, Any]:
    """Where the two panels' readings differ item by item (summaries of
    :func:`change_summary`): ``<direction in the panel of every wave>_<direction in the panel
    of the last two waves>`` lists of keys (``flat_down``, ``up_flat``, …), and ``status``
    (``ok`` when some differ, ``agree``, or ``no_panel`` when the two cannot be compared)."""
    if trend.empty or pair.empty:
        return {"status": "no_panel"}
    a, b = trend.set_index("construct"), pair.set_index("construct")
    both = a.add_suffix("_all").join(b.add_suffix("_pair"), how="inner")
    both = both[(both["status_all"] == "ok") & (both["status_pair"] == "ok")]
    if both.empty:
        return {"status": "no_panel"}
    codes = ("up", "down", "flat")
    facts: dict[str, Any] = {
        f"{x}_{y}": list(both.index[(both["direction_all"] == x) & (both["direction_pair"] == y)])
        for x in codes
        for y in codes
        if x != y
    }
    facts["status"] = "ok" if any(facts.values()) else "agree"
    return facts


def sample_fact(records: pd.DataFrame) -> dict[str, Any]:
    """What an items figure rests on: ``kind`` (``combined`` or ``panel``), its waves
    (``first``, ``last``, ``count``), the n behind each point (``n_min``, ``n_max``, ``n_same``)
    and, for a panel, the pairs behind its changes (``pairs_min``, ``pairs_max``,
    ``pairs_same``, ``pairs_status``); ``status`` ``ok``, ``withheld`` (every point withheld)
    or ``not_asked`` (no share)."""
    shares = records[records["statistic"] == "share"] if not records.empty else records
    if shares.empty:
        return {"status": "not_asked"}
    sample = str(shares["sample"].iloc[0])
    if sample.startswith("combined_w"):
        kind, waves = "combined", [int(sample.removeprefix("combined_w"))]
    else:
        kind, waves = "panel", [int(w) for w in sample.removeprefix("panel_").split("_")]
    shown = ~shares["suppressed"].astype(bool)
    facts: dict[str, Any] = {
        "status": "ok" if shown.any() else "withheld",
        "kind": kind,
        "first": waves[0],
        "last": waves[-1],
        "count": len(waves),
        "n_min": int(shares["n"].min()),
        "n_max": int(shares["n"].max()),
        "pairs_status": "none",
    }
    facts["n_same"] = facts["n_min"] == facts["n_max"]
    changes = records[records["statistic"] == "change_pp"]
    if not changes.empty:
        facts.update(
            pairs_status="ok", pairs_min=int(changes["n"].min()), pairs_max=int(changes["n"].max())
        )
        facts["pairs_same"] = facts["pairs_min"] == facts["pairs_max"]
    return report.plain(facts)


# --- figures and tables ----------------------------------------------------------------------
def items_figure(records: pd.DataFrame, name: str, words: Words | None = None) -> charts.Figure:
    """:func:`wavebook.charts.items_by_wave` with the codebook's short labels and the axis
    title of ``words/activism.<lang>.ftl`` (use through :func:`wavebook.words.bilingual`)."""
    words = words or Words("en")
    return charts.items_by_wave(records, None, name, words.say("activism-axis"), words=words)


def _percent_range(words: Words, low: float, high: float) -> str:
    return words.bounds(low, high, words.percent(0).replace("0", ""))


def _signed(words: Words, value: float) -> str:
    rounded = round(float(value))
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "±")
    return f"{sign}{words.decimal(abs(rounded))}"


def _p_cell(words: Words, p: float) -> str:
    return words.pvalue(p).removeprefix("p ").removeprefix("= ")


def ranking(latest: Sequence[dict]) -> pd.DataFrame:
    """The latest wave's share records, largest first (withheld items last)."""
    frame = estimates.frame(list(latest))
    if frame.empty:
        return frame
    return frame.sort_values(
        ["suppressed", "value", "construct"], ascending=[True, False, True]
    ).reset_index(drop=True)


def latest_table(latest: Sequence[dict], words: Words | None = None) -> tables.Table:
    """The latest wave's shares, largest first, with intervals and n."""
    words = words or Words("en")
    ranked = ranking(latest)
    columns = [words.say(f"activism-col-{c}") for c in ("activity", "share", "interval")] + ["n"]
    if ranked.empty:
        return tables.Table(pd.DataFrame(columns=columns), empty_note=words.say("activism-empty"))
    shown = ~ranked["suppressed"].astype(bool)
    rows = pd.DataFrame(
        {
            columns[0]: [words.label(k, "short") for k in ranked["construct"]],
            columns[1]: [
                words.percent(v) if ok else words.say("activism-withheld")
                for v, ok in zip(ranked["value"], shown, strict=True)
            ],
            columns[2]: [
                _percent_range(words, lo, hi) if ok else "—"
                for lo, hi, ok in zip(ranked["ci_low"], ranked["ci_high"], shown, strict=True)
            ],
            columns[3]: [words.decimal(n) for n in ranked["n"]],
        }
    )
    return tables.Table(rows)


CHANGE_COLUMNS = ("activity", "waves", "pairs", "shares", "change", "p", "reading")


def change_table(summary: pd.DataFrame, words: Words | None = None) -> tables.Table:
    """Changes of one panel (:func:`change_summary`) with 95% intervals and McNemar's p, one
    row per item: the activity, the waves compared, the pairs compared, the shares at those
    waves, the change in percentage points with its interval, McNemar's p and the reading at
    the 5% level."""
    words = words or Words("en")
    columns = [words.say(f"activism-col-{c}") for c in CHANGE_COLUMNS]
    align = ["left", "left", "right", "right", "right", "right", "left"]
    if summary.empty:
        return tables.Table(
            pd.DataFrame(columns=columns), align, empty_note=words.say("activism-empty")
        )
    shown = summary["status"] == "ok"
    reading = {
        d: words.say(f"activism-reading-{d}", {"min_n": estimates.MIN_CELL_N})
        for d in ("up", "down", "flat", "withheld")
    }
    arrow = " → "
    rows = pd.DataFrame(
        {
            columns[0]: [words.label(k, "short") for k in summary["construct"]],
            columns[1]: [
                f"{a}{arrow}{b}" for a, b in zip(summary["first"], summary["last"], strict=True)
            ],
            columns[2]: [words.decimal(n) for n in summary["n"]],
            columns[3]: [
                f"{words.percent(b)}{arrow}{words.percent(d)}" if ok else "—"
                for b, d, ok in zip(summary["before"], summary["after"], shown, strict=True)
            ],
            columns[4]: [
                f"{_signed(words, v)} ({words.bounds(lo, hi)})" if ok else "—"
                for v, lo, hi, ok in zip(
                    summary["change"], summary["ci_low"], summary["ci_high"], shown, strict=True
                )
            ],
            columns[5]: [
                _p_cell(words, p) if ok else "—"
                for p, ok in zip(summary["p_value"], shown, strict=True)
            ],
            columns[6]: [reading[d] for d in summary["direction"]],
        }
    )
    return tables.Table(rows, align=align)
