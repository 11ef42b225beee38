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

from wavebook import charts, estimates, report, samples, tables
from wavebook.codebook import Codebook, Variable
from wavebook.report import (
    Text,
    change_words,
    count,
    interval,
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
BOTH = "civpol_both"
ANY_LABELS = {
    "civ_any": "At least one civic activity",
    "pol_any": "At least one political activity",
    BOTH: "At least one civic and one political activity",
}
# Reader labels for charts, tables and prose where the codebook wording is too long for a
# legend (the codebook keeps the full wording of the questionnaire).
SHORT_LABELS = {
    "pol_rally": "Rallies, demonstrations, other public actions",
    "pol_digital": "Political posts, petitions, open letters",
    "civ_donate_ru_ngo_media": "Donated to independent Russian NGOs or media",
    "civ_donate_local_ngo_media": "Donated to host-country NGOs or media",
    ANY_ALL: "At least one activity",
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


def short_label(name: str, label: str) -> str:
    """The reader label of one variable: its entry of ``SHORT_LABELS``, else ``label``.

    >>> short_label("pol_rally", "Took part in rallies, demonstrations or other ...")
    'Rallies, demonstrations, other public actions'
    >>> short_label("civ_volunteer", "Did volunteer work")
    'Did volunteer work'
    """
    return SHORT_LABELS.get(name, label)


def labels(codebook: Codebook) -> dict[str, str]:
    """Short reader labels (:func:`short_label`) of the checklist items and of the "any
    activity" indicators: the one place where codebook labels are shortened."""
    out = {v.name: short_label(v.name, v.label_en) for v in activity_items(codebook)}
    out.update(ANY_LABELS)
    if ANY_ALL in codebook:
        out[ANY_ALL] = short_label(ANY_ALL, codebook[ANY_ALL].label_en)
    return out


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
    if name != ANY_ALL:
        base.update(name=name, label_en=ANY_LABELS[name], derived=True)
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


def _signed(value: float) -> str:
    rounded = round(float(value))
    return f"−{abs(rounded)}" if rounded < 0 else str(abs(rounded))


def pp_interval(low: float, high: float) -> str:
    """An interval of a change in percentage points, with true minus signs.

    The book's one rule (:func:`wavebook.report.interval`), without its "95% CI" prefix:

    >>> pp_interval(-30.2, -21.6), pp_interval(-3.6, -0.4)
    ('−30 to −22 pp', '−3.6 to −0.4 pp')
    """
    return report.interval(low, high, unit=" pp").removeprefix("95% CI ")


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


def _item_phrase(row: pd.Series) -> str:
    if row["direction"] == "unchanged":
        return f"“{row['label']}” ({pct(row['before'])} and {pct(row['after'])})"
    return (
        f"“{row['label']}” (from {pct(row['before'])} to {pct(row['after'])}, "
        f"McNemar {p_text(row['p_value'])})"
    )


_VERBS = {
    "rose": "rose",
    "fell": "fell",
    "unchanged": "did not change significantly",
}


def change_sentence(summary: pd.DataFrame, *, none_text: str = "") -> str:
    """Which activities rose, fell or did not change significantly in one panel.

    Items are grouped by :func:`direction`, each group ordered by the size of its change
    (largest first). Items compared over other waves than most (asked later) get a sentence
    of their own, with their own waves and number of pairs. ``none_text`` is returned when
    there is no change to report.
    """
    if summary.empty:
        return none_text
    # the span most items share; on a tie the one reaching the latest wave (a question a new
    # wave dropped is then the exception, not the rule)
    sizes = summary.groupby(["first", "last"]).size()
    span = max(sizes.index, key=lambda k: (sizes[k], k[1], -k[0]))
    main = summary[[(a, b) == span for a, b in zip(summary["first"], summary["last"], strict=True)]]
    other = summary.drop(main.index)
    n = int(main["n"].max())
    head = (
        f"Between wave {span[0]} and wave {span[1]}, among the {count(n)} respondents who "
        f"{_answered(main['sample'].iloc[0])}, the share ticking an activity "
    )
    parts = []
    for key, verb in _VERBS.items():
        rows = main[main["direction"] == key]
        if rows.empty:
            continue
        rows = rows.assign(size=rows["change"].abs()).sort_values("size", ascending=False)
        parts.append(f"{verb} for {_join([_item_phrase(row) for _, row in rows.iterrows()])}")
    withheld = main[main["direction"] == "withheld"]
    if not withheld.empty:
        parts.append(
            f"could not be reported for {_join([f'“{x}”' for x in withheld['label']])} "
            f"(fewer than {estimates.MIN_CELL_N} respondents)"
        )
    text = head + "; it ".join(parts) + "."
    for _, row in other.iterrows():
        if row["direction"] == "withheld":
            words = f"could not be reported (fewer than {estimates.MIN_CELL_N} respondents)"
        else:
            words = change_words(row["before"], row["after"], row["p_value"])
            words += (
                f" (McNemar {p_text(row['p_value'])})" if row["direction"] != "unchanged" else ""
            )
        text += (
            f" “{row['label']}” {_asked_span(row['first'], row['last'], span)}; between wave "
            f"{row['first']} and wave {row['last']} ({count(row['n'])} respondents) it {words}."
        )
    return text


def _asked_span(first: int, last: int, span: tuple[int, int]) -> str:
    """How an item's waves differ from the span most items are compared over (its first and
    last wave with answers in the panel)."""
    if first > span[0] and last == span[1]:
        return f"was first asked in wave {first}"
    if first == span[0] and last < span[1]:
        return f"was last asked in wave {last}"
    return "is compared over other waves"


def _answered(sample: str) -> str:
    waves = sample.removeprefix("panel_").split("_")
    if len(waves) == 2:
        return f"answered both wave {waves[0]} and wave {waves[1]}"
    return "answered every wave so far"


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 2:
        return " and ".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def _extremes(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shown rows with the largest and with the smallest rounded share (ties kept)."""
    rounded = rows["value"].round()
    return rows[rounded == rounded.max()], rows[rounded == rounded.min()]


def _named(rows: pd.DataFrame) -> str:
    names = _join([f"“{x}”" for x in rows["label"]])
    return f"{names} ({pct(rows['value'].iloc[0])}{' each' if len(rows) > 1 else ''})"


def domain_sentence(
    resp: pd.DataFrame,
    codebook: Codebook,
    records: list[dict],
    wave: int,
    domain: str,
    latest: Sequence[dict] = (),
) -> str:
    """The change sentence of one group of items (``civic`` or ``political``) in the balanced
    panel; in wave 1 (no panel) the most and least common activity of the group in
    ``latest``. An item with a share at one wave only is new when ``resp`` shows that wave as
    the first that asked it."""
    names = {v.name for v in activity_items(codebook, domain)}
    item_labels = labels(codebook)
    if wave == 1:
        shown = ranking([r for r in latest if r["construct"] in names], item_labels)
        shown = shown[~shown["suppressed"]] if not shown.empty else shown
        if shown.empty:
            return f"No {domain} activity share of wave 1 rests on enough respondents."
        top, bottom = _extremes(shown)
        if len(shown) == 1 or top.equals(bottom):
            return f"In wave 1, {_named(top)} ticked the {domain} activities shown."
        return (
            f"Among the {domain} activities of wave 1, the most common was {_named(top)} and "
            f"the least common {_named(bottom)}."
        )
    summary = change_summary(records, item_labels)
    summary = summary[summary["construct"].isin(names)]
    text = change_sentence(
        summary, none_text=f"No {domain} activity was asked in two waves of the panel."
    )
    frame = estimates.frame(list(records))
    shares = frame[(frame["statistic"] == "share") & frame["construct"].isin(names)]
    single = shares.groupby("construct", sort=False)["wave"].agg(list)
    single = single[single.map(len) == 1].map(lambda ws: int(ws[0]))
    # new: the data show no earlier wave that asked it; otherwise the panel answered it in
    # one wave only (a question dropped later, or routed away from the panel)
    new = single[[samples.asked_waves(resp, c)[:1] == [w] == [wave] for c, w in single.items()]]
    once = single.drop(new.index)
    for items, words in (
        (new, "first asked in {}, so there is no change to report yet"),
        (once, "answered in only one wave of the panel ({}), so there is no change to report"),
    ):
        if items.empty:
            continue
        listed = _join([f"“{item_labels[c]}”" for c in items.index])
        asked_in = _join([f"wave {w}" for w in items])
        text += f" {listed} {'was' if len(items) == 1 else 'were'} {words.format(asked_in)}."
    return text.strip()


def panel_contrast(trend: list[dict], pair: list[dict], codebook: Codebook, wave: int) -> str:
    """How the two panels' readings differ item by item (what the two change tables add
    when read together); empty before wave 3, where there is only one panel."""
    if wave < 3:
        return ""
    item_labels = labels(codebook)
    a = change_summary(trend, item_labels).set_index("construct")
    b = change_summary(pair, item_labels).set_index("construct")
    both = a.add_suffix("_all").join(b.add_suffix("_pair"), how="inner")
    both = both[~both["suppressed_all"] & ~both["suppressed_pair"]]
    if both.empty:
        return ""
    differ = both[both["direction_all"] != both["direction_pair"]]
    if differ.empty:
        return "The two panels agree on the direction of every activity."
    groups = []
    for (d_all, d_pair), rows in differ.groupby(["direction_all", "direction_pair"], sort=False):
        first, last = int(rows["first_all"].iloc[0]), int(rows["last_all"].iloc[0])
        pa, pb = int(rows["first_pair"].iloc[0]), int(rows["last_pair"].iloc[0])
        groups.append(
            f"{_join([f'“{x}”' for x in rows['label_all']])} "
            f"{_VERBS[d_all]} between wave {first} and wave {last} in the panel of every wave "
            f"but {_VERBS[d_pair]} between wave {pa} and wave {pb}"
        )
    return (
        "Read together, the two tables differ: "
        + "; ".join(groups)
        + ". The comparison with wave 1 spans a longer time and a different reference period, "
        "and the panel of the last two waves is larger."
    )


def panel_intro(wave: int) -> str:
    """What the items figures show: the panel of every wave, or in wave 1 all respondents.

    >>> panel_intro(1)
    'The figures show the share of all respondents of wave 1 who ticked each activity.'
    """
    if wave == 1:
        return "The figures show the share of all respondents of wave 1 who ticked each activity."
    return (
        "The combined samples of different waves hold different people: newcomers join and "
        "some earlier respondents stop answering. To see how behaviour changes, the figures "
        "follow the respondents who answered every wave so far."
    )


def changes_intro(trend: list[dict], codebook: Codebook, wave: int) -> str:
    """The opening of the section on changes: how they are tested, and the change of the
    share with at least one activity in the panel of every wave (with its interval)."""
    if wave == 1:
        return "Wave 1 has no panel yet, so there is no change to test and both tables are empty."
    second = (
        "the second those who answered the last two waves"
        if wave >= 3
        else "in wave 2 this is also the panel of the last two waves, so the second table is empty"
    )
    text = (
        "The tables give each change in percentage points with its 95% interval and the "
        "p-value of McNemar's test, which compares the respondents who started an activity "
        "with those who stopped it. A change is called a rise or a fall only when the test is "
        "significant at the 5% level. The first table follows the respondents who answered "
        f"every wave so far (from the first to the last wave that asked the item); {second}. "
        "The shares count every panel member who answered the item at that wave, the change "
        "and the pairs only those who answered it at both waves, so the change can differ by "
        "a point from the difference of the two shares."
    )
    summary = change_summary(trend, labels(codebook))
    summary = summary[summary["construct"] == ANY_ALL]
    if summary.empty:
        return text
    row = summary.iloc[0]
    if row["direction"] == "withheld":
        return text
    words = change_words(row["before"], row["after"], row["p_value"])
    return text + (
        f" For the share with at least one activity, the change between wave {row['first']} "
        f"and wave {row['last']} was {pp(row['change'])} "
        f"(95% CI {pp_interval(row['ci_low'], row['ci_high'])}; McNemar "
        f"{p_text(row['p_value'])}, {count(row['n'])} pairs): the share {words}."
    )


def _tally(summary: pd.DataFrame) -> str:
    """``6 of the 7 activities became less common; “X” became more common (from a to b)``."""
    total = len(summary)
    parts = []
    for key, verb in (("fell", "became less common"), ("rose", "became more common")):
        rows = summary[summary["direction"] == key]
        if rows.empty:
            continue
        if len(rows) == 1:
            row = rows.iloc[0]
            parts.append(
                f"“{row['label']}” {verb} (from {pct(row['before'])} to {pct(row['after'])})"
            )
        else:
            parts.append(f"{len(rows)} of the {total} activities {verb}")
    still = summary[summary["direction"] == "unchanged"]
    if not still.empty:
        parts.append(
            f"{len(still)} of the {total} did not change significantly"
            if len(still) > 1
            else f"“{still['label'].iloc[0]}” did not change significantly"
        )
    return "; ".join(parts)


def panel_headline(
    resp: pd.DataFrame,
    codebook: Codebook,
    trend: list[dict],
    pair: list[dict],
    wave: int,
) -> str:
    """The key finding on the panels: the change of the share with at least one activity in
    the panel of every wave, and a tally of the item changes in the panel of the last two
    waves (the same panel in wave 2). In wave 1, the one note on what this edition cannot
    show (no panel) and which activities it did not ask."""
    item_labels = labels(codebook)
    if wave == 1:
        missing = not_asked_items(resp, activity_items(codebook), 1)
        text = "Wave 1 is the first wave, so nobody can be followed over time yet"
        if missing:
            text += "; it did not ask about " + _join([f"“{item_labels[v.name]}”" for v in missing])
        return text + "."
    summary = change_summary(trend, item_labels)
    total = summary[summary["construct"] == ANY_ALL]
    text = ""
    if not total.empty and total["direction"].iloc[0] != "withheld":
        row = total.iloc[0]
        words = change_words(row["before"], row["after"], row["p_value"])
        text = (
            f"Among the {count(row['n'])} respondents who answered every wave so far, the share "
            f"with at least one activity {words} between wave {row['first']} and wave "
            f"{row['last']}."
        )
    items = change_summary(pair if wave >= 3 else trend, item_labels)
    items = items[(items["construct"] != ANY_ALL) & (items["direction"] != "withheld")]
    if items.empty:
        return text or "The panel gives no comparison yet."
    span = items.groupby(["first", "last"]).size().idxmax()
    items = items[[(a, b) == span for a, b in zip(items["first"], items["last"], strict=True)]]
    if wave >= 3:
        lead = (
            f"Between wave {span[0]} and wave {span[1]}, among the "
            f"{count(int(items['n'].max()))} respondents who answered both"
        )
    else:
        lead = "Among the same respondents"
    return (text + f" {lead}, {_tally(items)}.").strip()


def steps_sentence(
    trend: list[dict], steps: list[dict], codebook: Codebook, var_name: str, wave: int
) -> str:
    """How one item moved from wave to wave inside the balanced panel (e.g. rallies): the
    steps of :func:`step_records`, or the one change of :func:`trend_records` when there is
    a single step. A full sentence starting "In these data"."""
    if wave == 1:
        return "With a single wave, these data cannot yet test either reading."
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
    label = labels(codebook).get(var_name, codebook[var_name].label_en)
    if changes.empty:
        return f"In these data, “{label}” was not asked in two waves of the panel."
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
        f"In these data, among the {count(int(changes['n'].max()))} respondents who "
        f"{_answered(changes['sample'].iloc[0])}, the share ticking “{label}” "
        + _join(phrases)
        + "."
    )


# --- the latest wave -------------------------------------------------------------------------
def ranking(latest: list[dict], item_labels: dict[str, str]) -> pd.DataFrame:
    """Shown shares of the latest wave, largest first (withheld items last)."""
    frame = estimates.frame(list(latest))
    if frame.empty:
        return frame.assign(label=pd.Series(dtype=str))
    frame["label"] = frame["construct"].map(item_labels)
    return frame.sort_values(
        ["suppressed", "value", "construct"], ascending=[True, False, True]
    ).reset_index(drop=True)


def top_sentence(latest: list[dict], item_labels: dict[str, str], wave: int) -> str:
    """The most and the least common activity of the latest wave's combined sample (ties at
    the rounded share are named together)."""
    ranked = ranking(latest, item_labels)
    shown = ranked[~ranked["suppressed"].astype(bool)] if not ranked.empty else ranked
    if shown.empty:
        return f"No activity share of wave {wave} rests on enough respondents to be shown."
    top, bottom = _extremes(shown)
    verb = "were" if len(top) > 1 else "was"
    text = f"The most common {'activities' if len(top) > 1 else 'activity'} {verb} {_named(top)}"
    if not top.equals(bottom):
        text += f"; the least common, {_named(bottom)}"
    return text + "."


def any_sentence(any_latest: list[dict], wave: int, recall: str) -> str:
    """Key finding: the latest wave's share with at least one activity, and the reference
    period ``recall`` (e.g. ``"last 3 months"``)."""
    rows = {r["construct"]: r for r in any_latest}
    if ANY_ALL not in rows:
        return f"The activities checklist was not asked in wave {wave}."
    return (
        f"In wave {wave}, {share_text(rows[ANY_ALL])} of all respondents did at least one of "
        f"the listed civic or political activities (reference period: {recall})."
    )


def split_sentence(any_latest: list[dict], wave: int) -> str:
    """The civic and political shares of the latest wave and the share doing both."""
    rows = {r["construct"]: r for r in any_latest}
    parts = [
        f"{share_text(rows[c])} at least one {d} activity"
        for d, c in ANY_COLUMNS.items()
        if c in rows
    ]
    if not parts:
        return f"The activities checklist was not asked in wave {wave}."
    parts[0] = parts[0].replace(" at least one", " of all respondents did at least one", 1)
    text = f"In wave {wave}, {parts[0]}" + (f" and {parts[1]}" if len(parts) > 1 else "") + "."
    if BOTH in rows and len(parts) == 2:
        text += (
            f" Several activities may be ticked, so the two groups overlap: "
            f"{share_text(rows[BOTH])} did at least one of each."
        )
    return text


def recall_period(var: Variable, wave: int) -> str:
    """The reference period of one wave, in lower case for use inside a sentence.

    >>> v = Variable(name="x", type="option", label_en="x", label_ru="x", waves=[1],
    ...              recall={1: "Since leaving Russia"})
    >>> recall_period(v, 1), recall_period(v, 2)
    ('since leaving Russia', 'not recorded')
    """
    period = var.recall.get(wave)
    return _lower(period) if period else "not recorded"


def _lower(period: str) -> str:
    """A period for use inside a sentence (and inside brackets): first letter in lower
    case, a bracketed gloss set off by a comma.

    >>> _lower("Since leaving Russia (about the first month abroad)")
    'since leaving Russia, about the first month abroad'
    """
    period = period.replace(" (", ", ").replace(")", "")
    return period[:1].lower() + period[1:]


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
        parts.append(f"{named}: {_lower(period)}")
    return "; ".join(parts) if parts else "reference period not recorded"


def recall_caveat(var: Variable, wave: int) -> str:
    """The caveat on reference periods: what the checklist's period was, whether it changed
    between the waves of this edition, and whether the last two waves share it."""
    waves = balanced_waves(wave)
    if wave == 1:
        return (
            f"Wave 1 asked about the time {recall_period(var, 1)}: a period shaped by the move "
            f"itself, so its shares describe the first weeks abroad rather than a settled routine."
            if recall_period(var, 1).startswith("since")
            else f"Wave 1 asked about this period: {recall_period(var, 1)}."
        )
    periods = {var.recall.get(w) for w in waves}
    if len(periods) == 1:
        return f"Every wave so far asked about the same period ({recall_text(var, waves)})."
    text = (
        f"The checklist asks about a period of time, and the period differs between waves "
        f"({recall_text(var, waves)}). A change measured from wave 1 therefore mixes a change "
        f"of behaviour with a change of the window in which it is counted: a longer window "
        f"leaves more time to do something at least once, and the first month abroad was an "
        f"unusual time."
    )
    before, after = var.recall.get(wave - 1), var.recall.get(wave)
    if before and before == after:
        return text + (
            f" Waves {wave - 1} and {wave} asked about the same period "
            f"({recall_period(var, wave)}), so the change between them is not affected by a "
            f"change of reference period."
        )
    return text + (
        f" Waves {wave - 1} and {wave} asked about different periods, so even the change "
        f"between the last two waves mixes behaviour and recall."
    )


def items_caveat(resp: pd.DataFrame, codebook: Codebook, wave: int) -> str:
    """The caveat on activities some waves did not ask: what it does to the panel changes
    and to the "at least one" shares."""
    item_labels = labels(codebook)
    gaps = {w: not_asked_items(resp, activity_items(codebook), w) for w in balanced_waves(wave)}
    gaps = {w: vs for w, vs in gaps.items() if vs}
    if not gaps:
        return "Every wave so far asked every activity of the checklist."
    parts = []
    for w, vs in gaps.items():
        listed = _join([f"“{item_labels[v.name]}”" for v in vs])
        parts.append(
            f"Wave {w} did not ask {listed}, so its “at least one” shares cover the other "
            f"activities only."
        )
    if wave > 1:
        parts.append("A panel change is computed from the first wave that asked the item.")
    return " ".join(parts)


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


def _n_range(values: pd.Series) -> str:
    low, high = int(values.min()), int(values.max())
    return count(high) if low == high else f"{count(low)}–{count(high)}"


def sample_caption(records: pd.DataFrame) -> str:
    """The sample line of an items figure, with the n behind each point and, for a panel,
    the number of pairs behind its changes (the two differ: see the text).

    ``Sample: all respondents of wave 1 (n = 1,654 per activity).`` or ``Sample: respondents
    who answered every wave so far (waves 1, 2 and 3; each point counts the 462–463 who
    answered the activity at that wave, the changes in the text the 455–456 who answered it
    at both waves compared).``
    """
    shares = records[records["statistic"] == "share"] if not records.empty else records
    if shares.empty:
        return "No respondent answered these activities in this edition."
    sample = shares["sample"].iloc[0]
    if sample.startswith("combined_w"):
        return (
            f"Sample: all respondents of wave {sample.removeprefix('combined_w')} "
            f"(n = {_n_range(shares['n'])} per activity)."
        )
    waves = sample.removeprefix("panel_").split("_")
    text = (
        f"Sample: respondents who answered every wave so far (waves "
        f"{', '.join(waves[:-1])} and {waves[-1]}); each point counts the "
        f"{_n_range(shares['n'])} who answered the activity at that wave"
    )
    changes = records[records["statistic"] == "change_pp"]
    if not changes.empty:
        text += (
            f", the changes in the text the {_n_range(changes['n'])} who answered it at both "
            f"waves compared"
        )
    return text + "."


CHANGE_COLUMNS = ["Activity", "Waves", "Pairs", "Shares", "Change, pp (95% CI)", "p", "Reading"]


def change_table(summary: pd.DataFrame, empty_note: str) -> tables.Table:
    """Changes of one panel with 95% intervals and McNemar's p, one row per item.

    Columns: the activity, the waves compared, the pairs compared, the shares at those
    waves, the change in percentage points with its interval, McNemar's p and the reading at
    ``ALPHA``. Without changes, the table shows ``empty_note``.
    """
    align = ["left", "left", "right", "right", "right", "right", "left"]
    if summary.empty:
        return tables.Table(pd.DataFrame(columns=CHANGE_COLUMNS), align, empty_note=empty_note)
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
            "Pairs": summary["n"].map(count),
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
    return tables.Table(rows, align=align)


def empty_table_note(wave: int, two_wave: bool) -> str:
    """Why a change table of ``wave`` has no rows."""
    if wave == 1:
        return "No panel in wave 1."
    if two_wave and wave == 2:
        return "In wave 2 this is the panel of the table above."
    return "No activity was asked in two waves of this panel."


def latest_table(latest: list[dict], item_labels: dict[str, str]) -> tables.Table:
    """The latest wave's shares, largest first, with intervals and n."""
    ranked = ranking(latest, item_labels)
    columns = ["Activity", "Share", "95% interval", "n"]
    if ranked.empty:
        return tables.Table(pd.DataFrame(columns=columns), empty_note="Not asked in this wave.")
    shown = ~ranked["suppressed"].astype(bool)
    rows = pd.DataFrame(
        {
            "Activity": ranked["label"],
            "Share": ranked["value"].map(pct).where(shown, "withheld"),
            "95% interval": [
                interval(lo, hi).removeprefix("95% CI ") if ok else "—"
                for lo, hi, ok in zip(ranked["ci_low"], ranked["ci_high"], shown, strict=True)
            ],
            "n": ranked["n"].map(count),
        }
    )
    return tables.Table(rows)
