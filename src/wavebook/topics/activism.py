"""Civic and political activity abroad: the checklist of things done in the reference period.

The checklist ``recent_activities`` (codebook items F1–F5, civic, and G1–G2, political) is one
binary option column per activity. This module builds the records the ``activism`` chapter
shows: shares in the combined sample of the latest wave, shares across waves in the balanced
panel (every wave so far) with the paired change from the first to the last wave that asked an
item, the same for the panel of the last two waves, and the sentences and tables that name
which activities rose, fell or did not change significantly (McNemar's test at ``ALPHA``).

Everything returned is aggregate: records (:func:`wavebook.estimates.record`), tables and
figures; no function returns respondent rows except :func:`with_any_activity`, which only adds
columns to the respondent table the chapter already holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import pandas as pd

from wavebook import charts, estimates, samples, tables
from wavebook.codebook import Codebook, Variable
from wavebook.report import (
    Text,
    change_words,
    count,
    p_text,
    pct,
    pp,
    share_text,
)
from wavebook.stats import ALPHA, is_significant

QUESTION = "recent_activities"
DOMAINS = {"civic": "F", "political": "G"}  # questionnaire.md §5: F civic, G political
ANY_COLUMNS = {"civic": "civ_any", "political": "pol_any"}
ANY_ALL = "civpol_any"
ANY_LABELS = {
    "civ_any": "At least one civic activity",
    "pol_any": "At least one political activity",
}


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


def labels(codebook: Codebook) -> dict[str, str]:
    """Reader labels of the checklist items and of the "any activity" indicators."""
    out = {v.name: v.label_en for v in activity_items(codebook)}
    out.update(ANY_LABELS)
    if ANY_ALL in codebook:
        out[ANY_ALL] = codebook[ANY_ALL].label_en
    return out


def _any(indicators: pd.DataFrame) -> pd.Series:
    # 1 if any ticked, 0 if all answered options are 0, NaN if no option was answered
    return indicators.max(axis=1, skipna=True)


def with_any_activity(resp: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """``resp`` with ``civ_any``, ``pol_any`` and ``civpol_any`` added (0/1, NaN when no
    option of the group was answered): 1 if any option of the group is ticked.

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
    """
    out = resp.copy()
    parts = {}
    for domain, column in ANY_COLUMNS.items():
        present = [v for v in activity_items(codebook, domain) if v.name in out]
        ticks = pd.DataFrame({v.name: v.indicator(out[v.name]) for v in present}, index=out.index)
        parts[column] = _any(ticks) if present else pd.Series(float("nan"), index=out.index)
        out[column] = parts[column]
    out[ANY_ALL] = _any(pd.DataFrame(parts))
    return out


def any_variables(codebook: Codebook) -> list[Variable]:
    """Binary variables for the three "any activity" indicators (``civpol_any`` from the
    codebook, the two group indicators made here with the same codes)."""
    base = codebook[ANY_ALL]
    made = [
        base.model_copy(update={"name": column, "label_en": ANY_LABELS[column], "derived": True})
        for column in ANY_COLUMNS.values()
    ]
    return [*made, base]


def asked_items(resp: pd.DataFrame, variables: Sequence[Variable], wave: int) -> list[Variable]:
    """The variables that ``wave`` asked."""
    return [v for v in variables if estimates.asked(resp, v, wave)]


def not_asked_items(resp: pd.DataFrame, variables: Sequence[Variable], wave: int) -> list[Variable]:
    """The variables that ``wave`` did not ask."""
    return [v for v in variables if not estimates.asked(resp, v, wave)]


def not_asked_text(resp: pd.DataFrame, codebook: Codebook, wave: int) -> str:
    """A sentence listing the checklist items ``wave`` did not ask (or saying none is missing)."""
    missing = not_asked_items(resp, activity_items(codebook), wave)
    if not missing:
        return f"Wave {wave} asked every activity of the checklist."
    listed = ", ".join(f"“{v.label_en}”" for v in missing)
    return (
        f"Not asked in wave {wave}: {listed}; the “at least one” shares of that wave cover "
        f"the other activities only."
    )


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
            )
        )
    return out


def figure_records(trend: list[dict], latest: list[dict]) -> pd.DataFrame:
    """What an items figure draws: the balanced panel, or the latest wave's combined sample
    when there is no panel yet (wave 1)."""
    return estimates.frame(trend if trend else latest)


def _signed(value: float) -> str:
    rounded = round(float(value))
    return f"−{abs(rounded)}" if rounded < 0 else str(abs(rounded))


def pp_interval(low: float, high: float) -> str:
    """An interval of a change in percentage points, with true minus signs.

    >>> pp_interval(-30.2, -21.6), pp_interval(-0.4, 7.2)
    ('−30 to −22 pp', '0 to 7 pp')
    """
    if low != low or high != high:
        return "—"
    return f"{_signed(low)} to {_signed(high)} pp"


# --- reading a change ------------------------------------------------------------------------
def direction(before: float, after: float, p_value: float, alpha: float = ALPHA) -> str:
    """``"rose"``, ``"fell"`` or ``"unchanged"``, by the rule of
    :func:`wavebook.report.change_words` (significant at ``alpha`` and different once rounded).

    >>> direction(34.0, 38.0, 0.01), direction(84.0, 38.0, 0.0001), direction(16.0, 16.4, 0.9)
    ('rose', 'fell', 'unchanged')
    """
    if not is_significant(p_value, alpha) or round(before) == round(after):
        return "unchanged"
    return "rose" if after > before else "fell"


SUMMARY_COLUMNS = [
    "construct",
    "label",
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
    "suppressed",
    "direction",
]


def change_summary(records: list[dict] | pd.DataFrame, item_labels: dict[str, str]) -> pd.DataFrame:
    """One row per change record: the item, its waves, shares at both waves (from the share
    records of the same sample), the change with its interval, McNemar's p and the
    ``direction`` (``rose``, ``fell``, ``unchanged`` or ``withheld``)."""
    frame = estimates.frame(list(records)) if isinstance(records, list) else records
    shares = frame[frame["statistic"] == "share"]
    rows = []
    for change in frame[frame["statistic"] == "change_pp"].itertuples(index=False):
        first, last = change.wave.split("->")
        level = shares[
            (shares["construct"] == change.construct) & (shares["sample"] == change.sample)
        ].set_index("wave")
        before = level["value"].get(first, float("nan"))
        after = level["value"].get(last, float("nan"))
        withheld = bool(change.suppressed) or bool(
            level["suppressed"].reindex([first, last]).fillna(True).any()
        )
        rows.append(
            {
                "construct": change.construct,
                "label": item_labels.get(change.construct, change.construct),
                "sample": change.sample,
                "first": int(first),
                "last": int(last),
                "before": before,
                "after": after,
                "change": change.value,
                "ci_low": change.ci_low,
                "ci_high": change.ci_high,
                "n": int(change.n),
                "p_value": change.p_value,
                "suppressed": withheld,
                "direction": "withheld" if withheld else direction(before, after, change.p_value),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _item_phrase(row: pd.Series, show_waves: bool) -> str:
    waves = f", waves {row['first']}–{row['last']}" if show_waves else ""
    if row["direction"] == "unchanged":
        return f"“{row['label']}” ({pct(row['before'])} and {pct(row['after'])}{waves})"
    return (
        f"“{row['label']}” (from {pct(row['before'])} to {pct(row['after'])}, "
        f"McNemar {p_text(row['p_value'])}{waves})"
    )


def change_sentence(
    summary: pd.DataFrame, *, first_wave_text: str = "", none_text: str = ""
) -> str:
    """Which activities rose, fell or did not change significantly in one panel.

    Items are grouped by :func:`direction`, each group ordered by the size of its change
    (largest first); an item compared over other waves than most (asked later) names its
    waves. ``none_text`` is returned when there is no change to report.
    """
    if summary.empty:
        return none_text
    sample = summary["sample"].iloc[0]
    span = summary.groupby(["first", "last"]).size().idxmax()
    n = int(summary["n"].max())
    head = (
        f"Among the {count(n)} respondents who {_answered(sample)}, comparing wave "
        f"{span[0]} with wave {span[1]}{first_wave_text}: "
    )
    parts = []
    groups = {
        "rose": "rose",
        "fell": "fell",
        "unchanged": "did not change significantly",
        "withheld": f"could not be reported (fewer than {estimates.MIN_CELL_N} respondents)",
    }
    for key, verb in groups.items():
        rows = summary[summary["direction"] == key]
        if rows.empty:
            continue
        rows = rows.assign(size=rows["change"].abs()).sort_values("size", ascending=False)
        phrases = [
            _item_phrase(row, (row["first"], row["last"]) != span)
            if key != "withheld"
            else f"“{row['label']}”"
            for _, row in rows.iterrows()
        ]
        parts.append(f"{verb} for {_join(phrases)}")
    return head + "the share ticking an activity " + "; it ".join(parts) + "."


def _answered(sample: str) -> str:
    waves = sample.removeprefix("panel_").split("_")
    if len(waves) == 2:
        return f"answered both wave {waves[0]} and wave {waves[1]}"
    return "answered waves " + ", ".join(waves[:-1]) + f" and {waves[-1]} (every wave so far)"


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 2:
        return " and ".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def domain_sentence(
    resp: pd.DataFrame, codebook: Codebook, records: list[dict], wave: int, domain: str
) -> str:
    """The change sentence of one group of items (``civic`` or ``political``) in the balanced
    panel, or the note of wave 1 (no panel yet)."""
    names = {v.name for v in activity_items(codebook, domain)}
    summary = change_summary(records, labels(codebook))
    summary = summary[summary["construct"].isin(names)]
    text = change_sentence(
        summary,
        none_text=(
            f"Wave {wave} is the first wave: no respondent has an earlier answer to compare with "
            f"yet."
            if wave == 1
            else f"No {domain} activity was asked in two waves of the panel."
        ),
    )
    frame = estimates.frame(list(records))
    shares = frame[(frame["statistic"] == "share") & frame["construct"].isin(names)]
    single = shares.groupby("construct", sort=False)["wave"].agg(list)
    single = single[single.map(len) == 1]
    if wave > 1 and not single.empty:
        item_labels = labels(codebook)
        listed = _join([f"“{item_labels[c]}”" for c in single.index])
        asked_in = _join([f"wave {ws[0]}" for ws in single])
        text += (
            f" {listed} {'was' if len(single) == 1 else 'were'} asked in only one wave of "
            f"this panel ({asked_in}), so there is no change to report yet."
        )
    return text


def pair_sentence(records: list[dict], codebook: Codebook, wave: int) -> str:
    """The change sentence of the panel of the last two waves (or why there is none)."""
    if wave == 1:
        return "Wave 1 is the first wave: no respondent has an earlier answer to compare with yet."
    if wave == 2:
        return (
            "In wave 2 the panel of the last two waves is the panel of every wave so far, "
            "described above."
        )
    return change_sentence(
        change_summary(records, labels(codebook)),
        none_text="No activity was asked in both of the last two waves.",
    )


def any_change_sentence(records: list[dict], codebook: Codebook, wave: int) -> str:
    """One sentence on the share with at least one activity in the balanced panel."""
    summary = change_summary(records, labels(codebook))
    summary = summary[summary["construct"] == ANY_ALL]
    if summary.empty:
        return (
            "With a single wave there is no earlier answer to compare with yet."
            if wave == 1
            else "The panel gives no comparison of this share."
        )
    row = summary.iloc[0]
    if row["direction"] == "withheld":
        return (
            f"Too few respondents answered every wave to report the change (fewer than "
            f"{estimates.MIN_CELL_N})."
        )
    words = change_words(row["before"], row["after"], row["p_value"])
    return (
        f"Among the {count(row['n'])} respondents who {_answered(row['sample'])}, the "
        f"share with at least one civic or political activity {words} between wave "
        f"{row['first']} and wave {row['last']} (change {pp(row['change'])}, "
        f"95% CI {pp_interval(row['ci_low'], row['ci_high'])}; McNemar "
        f"{p_text(row['p_value'])})."
    )


def steps_sentence(
    trend: list[dict], steps: list[dict], codebook: Codebook, var_name: str, wave: int
) -> str:
    """How one item moved from wave to wave inside the balanced panel (e.g. rallies): the
    steps of :func:`step_records`, or the one change of :func:`trend_records` when there is
    a single step."""
    if wave == 1:
        return "A single wave cannot show a trend."
    var = codebook[var_name]
    mine = [r for r in trend if r["construct"] == var_name]
    step_keys = {r["key"] for r in steps if r["construct"] == var_name}
    changes = change_summary(
        [*mine, *[r for r in steps if r["key"] in step_keys]], labels(codebook)
    )
    if step_keys:
        spans = {tuple(map(int, r["wave"].split("->"))) for r in steps if r["key"] in step_keys}
        changes = changes[
            [(a, b) in spans for a, b in zip(changes["first"], changes["last"], strict=True)]
        ]
    if changes.empty:
        return f"“{var.label_en}” was not asked in two waves of the panel."
    phrases = []
    for _, row in changes.sort_values("first").iterrows():
        if row["direction"] == "withheld":
            phrases.append(f"could not be reported between waves {row['first']} and {row['last']}")
            continue
        words = change_words(row["before"], row["after"], row["p_value"])
        phrases.append(
            f"{words} between wave {row['first']} and wave {row['last']} "
            f"(McNemar {p_text(row['p_value'])})"
        )
    return (
        f"Among the {count(int(changes['n'].max()))} respondents who "
        f"{_answered(changes['sample'].iloc[0])}, the share ticking “{var.label_en}” "
        + _join(phrases)
        + "."
    )


# --- the latest wave -------------------------------------------------------------------------
def ranking(latest: list[dict], item_labels: dict[str, str]) -> pd.DataFrame:
    """Shown shares of the latest wave, largest first (withheld items last)."""
    frame = estimates.frame(latest)
    frame["label"] = frame["construct"].map(item_labels)
    return frame.sort_values(
        ["suppressed", "value", "construct"], ascending=[True, False, True]
    ).reset_index(drop=True)


def top_sentence(latest: list[dict], item_labels: dict[str, str], wave: int) -> str:
    """The most and the least common activity of the latest wave's combined sample."""
    ranked = ranking(latest, item_labels)
    shown = ranked[~ranked["suppressed"]]
    if shown.empty:
        return f"No activity share of wave {wave} rests on enough respondents to be shown."
    top, bottom = shown.iloc[0], shown.iloc[-1]
    text = (
        f"The most common activity in wave {wave} was “{top['label']}”, ticked by {share_text(top)}"
    )
    if len(shown) > 1:
        text += f"; the least common was “{bottom['label']}”, ticked by {share_text(bottom)}"
    return text + "."


def any_sentence(any_latest: list[dict], wave: int, recall: str) -> str:
    """The latest wave's shares with at least one activity (any, civic, political), and the
    reference period ``recall`` (e.g. ``"last 3 months"``)."""
    rows = {r["construct"]: r for r in any_latest}
    if ANY_ALL not in rows:
        return f"The activities checklist was not asked in wave {wave}."
    text = (
        f"In wave {wave}, {share_text(rows[ANY_ALL])} of all respondents reported at least "
        f"one of the listed civic or political activities"
    )
    parts = [
        f"{share_text(rows[c])} at least one {d} activity"
        for d, c in ANY_COLUMNS.items()
        if c in rows
    ]
    text += (": " + " and ".join(parts) if parts else "") + "."
    return text + f" The checklist covered this period: {recall}."


def recall_period(var: Variable, wave: int) -> str:
    """The reference period of one wave, in lower case for use inside a sentence.

    >>> v = Variable(name="x", type="option", label_en="x", label_ru="x", waves=[1],
    ...              recall={1: "Since leaving Russia"})
    >>> recall_period(v, 1), recall_period(v, 2)
    ('since leaving Russia', 'not recorded')
    """
    period = var.recall.get(wave)
    return period[:1].lower() + period[1:] if period else "not recorded"


def recall_text(var: Variable, waves: Sequence[int]) -> str:
    """The reference period of each wave, waves with the same period grouped.

    >>> v = Variable(name="x", type="option", label_en="x", label_ru="x", waves=[1, 2, 3],
    ...              recall={1: "First month", 2: "Last 3 months", 3: "Last 3 months"})
    >>> recall_text(v, [1, 2, 3])
    'wave 1: first month; waves 2 and 3: last 3 months'
    """
    groups: dict[str, list[int]] = {}
    for w in waves:
        period = var.recall.get(w)
        if period:
            groups.setdefault(period, []).append(w)
    parts = []
    for period, ws in groups.items():
        named = (
            f"wave {ws[0]}"
            if len(ws) == 1
            else "waves " + ", ".join(map(str, ws[:-1])) + f" and {ws[-1]}"
        )
        parts.append(f"{named}: {period[:1].lower() + period[1:]}")
    return "; ".join(parts) if parts else "reference period not recorded"


def recall_pair_sentence(var: Variable, wave: int) -> str:
    """Whether the last two waves share the reference period (so their change is clean)."""
    if wave == 1:
        return "With one wave only, no change between reference periods arises yet."
    before, after = var.recall.get(wave - 1), var.recall.get(wave)
    if before and before == after:
        return (
            f"Waves {wave - 1} and {wave} asked about the same period "
            f"({after[:1].lower() + after[1:]}), so the change between them is not "
            f"affected by a change of reference period."
        )
    return (
        f"Waves {wave - 1} and {wave} asked about different periods, so even the change "
        f"between the last two waves mixes behaviour and recall."
    )


# --- figures and tables ----------------------------------------------------------------------
def items_figure(
    records: pd.DataFrame, item_labels: dict[str, str], name: str, title_y: str
) -> charts.Figure | Text:
    """:func:`wavebook.charts.items_by_wave`, or a short note when nothing can be drawn
    (no item asked, or every cell withheld)."""
    shown = records[(records["statistic"] == "share") & ~records["suppressed"].astype(bool)]
    if shown.empty:
        return Text("No share of these activities can be shown for this edition.")
    return charts.items_by_wave(records, item_labels, name, title_y)


def sample_caption(records: pd.DataFrame) -> str:
    """``Respondents who answered waves 1, 2 and 3 (n = 452–470 per activity and wave).``"""
    shares = records[records["statistic"] == "share"]
    if shares.empty:
        return "No respondents."
    sample = shares["sample"].iloc[0]
    label = charts.sample_label(sample)
    if sample.startswith("combined_w"):
        label = f"All respondents of wave {sample.removeprefix('combined_w')}"
    low, high = int(shares["n"].min()), int(shares["n"].max())
    ns = f"n = {count(high)}" if low == high else f"n = {count(low)}–{count(high)}"
    return f"Sample: {label[:1].lower() + label[1:]} ({ns} per activity and wave)."


def change_table(summary: pd.DataFrame, empty_note: str) -> tables.Table:
    """Changes of one panel with 95% intervals and McNemar's p, one row per item.

    Columns: the activity, the waves compared, the pairs compared, the shares at those
    waves, the change in percentage points with its interval, McNemar's p and the reading at
    ``ALPHA``. Without changes, one row holding ``empty_note``.
    """
    columns = ["Activity", "Waves", "n", "Shares", "Change, pp (95% CI)", "p", "Reading"]
    if summary.empty:
        return tables.Table(
            pd.DataFrame([[empty_note, *["—"] * (len(columns) - 1)]], columns=columns)
        )
    words = {
        "rose": "rose",
        "fell": "fell",
        "unchanged": "not significant",
        "withheld": f"withheld (n < {estimates.MIN_CELL_N})",
    }
    shown = ~summary["suppressed"]
    rows = pd.DataFrame(
        {
            "Activity": summary["label"],
            "Waves": [f"{a} → {b}" for a, b in zip(summary["first"], summary["last"], strict=True)],
            "n": summary["n"].map(count),
            "Shares": [
                f"{pct(b)} → {pct(d)}" if ok else "—"
                for b, d, ok in zip(summary["before"], summary["after"], shown, strict=True)
            ],
            "Change, pp (95% CI)": [
                f"{pp(v).removesuffix(' pp')} ({pp_interval(lo, hi).removesuffix(' pp')})"
                if ok
                else "—"
                for v, lo, hi, ok in zip(
                    summary["change"], summary["ci_low"], summary["ci_high"], shown, strict=True
                )
            ],
            "p": summary["p_value"]
            .map(lambda p: p_text(p).removeprefix("p ").removeprefix("= "))
            .where(shown, "—"),
            "Reading": summary["direction"].map(words),
        }
    )
    return tables.Table(rows, align=["left", "left", "right", "right", "right", "right", "left"])


def empty_table_note(wave: int, two_wave: bool) -> str:
    """Why a change table of ``wave`` has no rows."""
    if wave == 1:
        return "No panel yet: wave 1 is the first wave"
    if two_wave and wave == 2:
        return "In wave 2 this panel is the panel of every wave (table above)"
    return "No activity was asked in two waves of this panel"


def latest_table(latest: list[dict], item_labels: dict[str, str]) -> tables.Table:
    """The latest wave's shares, largest first, with intervals and n."""
    ranked = ranking(latest, item_labels)
    if ranked.empty:
        return tables.Table(
            pd.DataFrame(
                [["Not asked in this wave", "—", "—", "—"]],
                columns=["Activity", "Share", "95% interval", "n"],
            )
        )
    shown = ~ranked["suppressed"]
    rows = pd.DataFrame(
        {
            "Activity": ranked["label"],
            "Share": ranked["value"].map(pct).where(shown, "withheld"),
            "95% interval": [
                f"{lo:.0f}–{hi:.0f}%" if ok else "—"
                for lo, hi, ok in zip(ranked["ci_low"], ranked["ci_high"], shown, strict=True)
            ],
            "n": ranked["n"].map(count),
        }
    )
    return tables.Table(rows)
