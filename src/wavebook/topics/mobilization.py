"""Pre- and post-mobilization leavers compared (chapter ``mobilization``).

The comparison follows YearHalf §1 (Figs 6–8): respondents living abroad when they answered,
split by when they left Russia (:func:`wavebook.samples.departure_cohort`: up to the
announcement of 21 September 2022, or after it). Unlike the memo, which pools answers from
several waves (its fn6), the chapter compares the respondents of one wave, the combined sample
of the wave it is built with.

Two pieces here are generic and could move to shared modules:

* :func:`newcombe_diff_interval` — the interval of a difference of two independent
  proportions (a candidate for ``stats``);
* :func:`group_comparison` — the records of a two-group comparison: each group's share (or
  mean) with its interval and n, the difference with its interval and test, suppression of
  small groups included (a candidate for ``estimates``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from wavebook import estimates, samples, stats
from wavebook.charts import PALETTE, Figure, check_aggregate
from wavebook.clean import MOBILIZATION
from wavebook.codebook import Codebook, Variable
from wavebook.report import DASH, Text, count, interval, not_asked, p_text, pct, pp, share_text
from wavebook.tables import Table

PRE, POST = "pre_mobilization", "post_mobilization"
GROUPS = (PRE, POST)
SUBGROUPS = ("left_before_mobilization", "left_after_mobilization")
CONTRAST = "post_vs_pre"
TEST_NAMES = {
    "chi2": "chi-square",
    "fisher": "Fisher exact",
    "welch_t": "Welch t",
    "mann_whitney": "Mann–Whitney",
}
BLOCKS = ("profile", "engagement", "repression", "fears")


# --- generic pieces ----------------------------------------------------------------------------
def newcombe_diff_interval(
    x1: float, n1: float, x2: float, n2: float, level: float = stats.LEVEL
) -> tuple[float, float]:
    """Interval for ``p2 - p1`` of two independent proportions, in percentage points.

    Source: Newcombe (1998), Stat. Med. 17:873–890, method 10 (the hybrid score interval
    built from the two Wilson intervals)::

        L = d - sqrt((p2 - l2)² + (u1 - p1)²),   U = d + sqrt((u2 - p2)² + (p1 - l1)²)

    with ``d = p2 - p1`` and ``(l, u)`` the Wilson limits of each proportion. Equals
    statsmodels ``confint_proportions_2indep(x2, n2, x1, n1, method="newcomb")``.

    Returns ``(nan, nan)`` when a group is empty. Newcombe's worked example (56/70 against
    48/80; his Table II gives 0.0524 to 0.3339 for 56/70 − 48/80):

    >>> low, high = newcombe_diff_interval(56, 70, 48, 80)
    >>> round(low, 2), round(high, 2)
    (-33.39, -5.24)
    """
    if n1 <= 0 or n2 <= 0:
        return math.nan, math.nan
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = stats.wilson_interval(x1, n1, level)
    l2, u2 = stats.wilson_interval(x2, n2, level)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return 100 * low, 100 * high


def _withhold(row: dict) -> dict:
    row["suppressed"] = True
    for column in estimates.NUMERIC:
        row[column] = math.nan
    return row


def group_comparison(
    values: pd.Series,
    groups: pd.Series,
    *,
    levels: tuple[str, str],
    subgroups: tuple[str, str],
    contrast: str,
    key: str,
    construct: str,
    wave: int | str,
    sample: str,
    kind: str = "share",
    min_cell_n: int = estimates.MIN_CELL_N,
) -> pd.DataFrame:
    """Records comparing two groups on one item: each group's estimate and the contrast.

    Parameters
    ----------
    values
        0/1 answers (``kind="share"``) or numbers (``kind="mean"``; 98 is left out); NaN =
        not asked or skipped.
    groups
        Group labels aligned with ``values``; rows in neither of ``levels`` are ignored.
    levels, subgroups
        The two group labels in ``groups`` (first = the reference) and their subgroup codes.
    contrast
        Subgroup code of the contrast record (e.g. ``post_vs_pre``: second minus first).
    key, construct, wave, sample
        Record fields; keys are ``{key}_{statistic}_w{wave}_{sample}_{subgroup}``.
    kind
        ``"share"``: shares with Wilson intervals, a ``diff_pp`` contrast (second minus first)
        with the Newcombe interval (:func:`newcombe_diff_interval`) and the chi-square or
        Fisher p-value of :func:`wavebook.stats.compare_shares`. ``"mean"``: means with t
        intervals and a ``p_value`` contrast from :func:`wavebook.stats.welch_t`.

    Returns
    -------
    pandas.DataFrame
        Three records (first group, second group, contrast) with the record columns plus
        ``test`` (the test's method, on the contrast row only). A group under ``min_cell_n``
        is withheld; when exactly one non-empty group is withheld the other one is withheld
        too (with the total of the two known elsewhere, it would give the small group away),
        and the contrast is withheld whenever a group is. An empty group (n = 0) gives
        nothing away, so the other group is shown.

    Examples
    --------
    >>> vals = pd.Series([1.0] * 30 + [0.0] * 20 + [1.0] * 15 + [0.0] * 35)
    >>> grp = pd.Series(["a"] * 50 + ["b"] * 50)
    >>> out = group_comparison(vals, grp, levels=("a", "b"), subgroups=("a", "b"),
    ...                        contrast="b_vs_a", key="x", construct="x", wave=3,
    ...                        sample="s", min_cell_n=10)
    >>> out[["statistic", "value", "n"]].round(1).to_dict("list")
    {'statistic': ['share', 'share', 'diff_pp'], 'value': [60.0, 30.0, -30.0], 'n': [50, 50, 100]}
    >>> round(float(out.loc[2, "p_value"]), 4), out.loc[2, "test"]
    (0.0026, 'chi2')
    """
    if kind not in {"share", "mean"}:
        raise ValueError(f"kind must be 'share' or 'mean', got {kind!r}")
    values = values.astype("float64")
    if kind == "mean":
        values = values.where(values != 98)
    parts = [values[(groups == level).fillna(False).to_numpy()].dropna() for level in levels]
    maker = estimates.share_record if kind == "share" else estimates.mean_record
    rows = [
        maker(
            part,
            key=f"{key}_{kind}_w{wave}_{sample}_{sub}",
            construct=construct,
            wave=wave,
            sample=sample,
            subgroup=sub,
            min_cell_n=min_cell_n,
        )
        for part, sub in zip(parts, subgroups, strict=True)
    ]
    keep = pd.Series(groups).isin(levels).fillna(False).to_numpy() & values.notna().to_numpy()
    statistic = "diff_pp" if kind == "share" else "p_value"
    n_total = int(sum(len(p) for p in parts))
    if kind == "share":
        test = stats.compare_shares(
            values[keep].reset_index(drop=True), pd.Series(groups)[keep].reset_index(drop=True)
        )
        low, high = newcombe_diff_interval(
            parts[0].sum(), len(parts[0]), parts[1].sum(), len(parts[1])
        )
        diff = rows[1]["value"] - rows[0]["value"] if n_total else math.nan
        method = test["method"]
    else:
        test = stats.welch_t(parts[1], parts[0])
        low = high = math.nan
        diff = test["p_value"]
        method = "welch_t"
    contrast_row = estimates.record(
        chapter="",
        key=f"{key}_{statistic}_w{wave}_{sample}_{contrast}",
        construct=construct,
        statistic=statistic,
        wave=wave,
        sample=sample,
        subgroup=contrast,
        value=diff,
        ci_low=low,
        ci_high=high,
        n=n_total,
        p_value=test["p_value"],
        min_cell_n=min_cell_n,
    )
    nonempty = [r for r in rows if r["n"] > 0]
    withheld = [r for r in nonempty if r["suppressed"]]
    if len(withheld) == 1 and len(nonempty) == 2:
        for row in nonempty:
            _withhold(row)
    if any(r["suppressed"] for r in rows):
        _withhold(contrast_row)
    out = estimates.frame([*rows, contrast_row])
    out["test"] = ["", "", method]
    return out


# --- the items of the chapter ------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """One compared item: a column (or any of several) and the answers counted."""

    key: str
    label: str
    block: str
    construct: str
    columns: tuple[str, ...]
    codes: tuple[int | str, ...] | None = None  # None: the codebook's share_cut
    kind: str = "share"
    words: tuple[str, str] = ("higher", "lower")  # the second group's value above / below


def _options(codebook: Codebook, question: str) -> tuple[str, ...]:
    return tuple(
        v.name for v in codebook.variables if v.type == "option" and v.question == question
    )


def items(codebook: Codebook) -> list[Item]:
    """The items of the chapter, block by block, in the order they are shown."""
    activities = _options(codebook, "recent_activities")
    repression = _options(codebook, "repression_experienced")
    out = [
        Item(
            "age",
            codebook["age"].label_en,
            "profile",
            "age",
            ("age",),
            kind="mean",
            words=("older", "younger"),
        ),
        Item(
            "gender_male",
            f"{codebook['gender'].label_en}: {codebook['gender'].label('male').lower()}",
            "profile",
            "gender",
            ("gender",),
            ("male",),
        ),
        Item(
            "education_higher",
            "Higher or postgraduate education",
            "profile",
            "education",
            ("education",),
        ),
        Item(
            "city_size_large",
            "From Moscow, St Petersburg or another city of a million",
            "profile",
            "city_size",
            ("city_size",),
        ),
        Item(
            "marital_status_married",
            codebook["marital_status"].label("married_partnered"),
            "profile",
            "marital_status",
            ("marital_status",),
        ),
        Item(
            "has_children",
            codebook["has_children"].label(1),
            "profile",
            "has_children",
            ("has_children",),
        ),
        Item(
            "income_cat_pre_car",
            "Could afford a car before leaving (ladder steps 5–6)",
            "profile",
            "income_cat_pre",
            ("income_cat_pre",),
        ),
        Item("civpol_any", codebook["civpol_any"].label_en, "engagement", "civpol_any", activities),
        *[Item(c, codebook[c].label_en, "engagement", c, (c,)) for c in activities],
        Item(
            "prewar_activism_any",
            "Before the war: any of the listed activities",
            "engagement",
            "prewar_activism",
            _options(codebook, "prewar_activism"),
        ),
        Item(
            "repression_experienced_any",
            "Repression in Russia: any of the listed forms",
            "repression",
            "repression_experienced",
            repression,
        ),
        *[Item(c, codebook[c].label_en, "repression", c, (c,)) for c in repression],
        *[
            Item(c, codebook[c].label_en, "fears", c, (c,))
            for c in ("fear_draft", "fear_repr_russia", "fear_repr_host")
        ],
    ]
    return out


def _asked(frame: pd.DataFrame, item: Item) -> list[str]:
    return [c for c in item.columns if c in frame and frame[c].notna().any()]


def _values(frame: pd.DataFrame, codebook: Codebook, item: Item, columns: list[str]) -> pd.Series:
    if item.kind == "mean":
        return frame[columns[0]].astype("float64")
    parts = []
    for column in columns:
        var = codebook[column]
        if item.codes is not None:
            var = var.model_copy(update={"share_cut": list(item.codes)})
        parts.append(var.indicator(frame[column]))
    return parts[0] if len(parts) == 1 else pd.concat(parts, axis=1).max(axis=1)


def cut_words(var: Variable) -> str:
    """The answers a share counts, in words: ``'somewhat afraid or very afraid'``."""
    return " or ".join(var.label(code).lower() for code in var.share_cut or [])


def abroad_wave(resp: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Respondents of ``wave`` answering from abroad (the sample of the comparison)."""
    return samples.abroad(samples.combined(resp, wave))


def sample_code(wave: int) -> str:
    """The sample code of the comparison (the combined sample of the wave)."""
    return f"combined_w{wave}"


def compare_block(
    frame: pd.DataFrame,
    codebook: Codebook,
    block: str,
    wave: int,
    min_cell_n: int = estimates.MIN_CELL_N,
) -> pd.DataFrame:
    """Records of every item of ``block`` that the wave asked (see :func:`group_comparison`),
    with the item's ``item`` key, ``label``, ``block``, ``kind``, ``order`` and its direction
    words (``word_more``, ``word_less``)."""
    if block not in BLOCKS:
        raise ValueError(f"unknown block {block!r}")
    cohort = samples.departure_cohort(frame)
    parts = []
    for order, item in enumerate(i for i in items(codebook) if i.block == block):
        columns = _asked(frame, item)
        if not columns:
            continue
        rows = group_comparison(
            _values(frame, codebook, item, columns),
            cohort,
            levels=GROUPS,
            subgroups=SUBGROUPS,
            contrast=CONTRAST,
            key=item.key,
            construct=item.construct,
            wave=wave,
            sample=sample_code(wave),
            kind=item.kind,
            min_cell_n=min_cell_n,
        )
        parts.append(
            rows.assign(
                item=item.key,
                label=item.label,
                block=block,
                kind=item.kind,
                order=order,
                word_more=item.words[0],
                word_less=item.words[1],
            )
        )
    if not parts:
        return estimates.frame([]).assign(
            test="", item="", label="", block="", kind="", order=0, word_more="", word_less=""
        )
    return pd.concat(parts, ignore_index=True)


def not_asked_note(frame: pd.DataFrame, codebook: Codebook, block: str, wave: int) -> str:
    """A short note naming the items of ``block`` that the wave did not ask ('' if none)."""
    missing = [i.label for i in items(codebook) if i.block == block and not _asked(frame, i)]
    if not missing:
        return ""
    return f"Not asked in wave {wave}: {'; '.join(m[:1].lower() + m[1:] for m in missing)}."


# --- counts and sentences ------------------------------------------------------------------------
def cohort_counts(frame: pd.DataFrame, wave: int) -> pd.DataFrame:
    """Count records of respondents abroad in each departure cohort (small counts withheld)."""
    cohort = samples.departure_cohort(frame)
    return estimates.frame(
        [
            estimates.count_record(
                int((cohort == level).sum()),
                key=f"n_w{wave}_{sample_code(wave)}_{sub}",
                construct="sample_size",
                wave=wave,
                sample=sample_code(wave),
                subgroup=sub,
            )
            for level, sub in zip(GROUPS, SUBGROUPS, strict=True)
        ]
    )


def announcement_text() -> str:
    """The date of the announcement, e.g. ``'21 September 2022'``."""
    return f"{MOBILIZATION.day} {MOBILIZATION:%B %Y}"


def _count_text(row: pd.Series) -> str:
    if bool(row["suppressed"]):
        return f"fewer than {estimates.MIN_CELL_N}"
    return count(row["n"])


def comparable(counts: pd.DataFrame) -> bool:
    """Can the two cohorts be compared (both shown, neither withheld nor empty)?"""
    return bool(((~counts["suppressed"]) & (counts["n"] > 0)).all())


def cohort_sentence(counts: pd.DataFrame, wave: int) -> str:
    """How many respondents abroad left before and after the announcement, and whether the
    two groups can be compared in this wave."""
    pre, post = counts.iloc[0], counts.iloc[1]
    date = announcement_text()
    if int(post["n"]) == 0:
        return (
            f"No respondent of wave {wave} living abroad had left Russia after the "
            f"mobilization announcement of {date}, so the two groups cannot be compared "
            f"in this wave: the results below describe the {_count_text(pre)} respondents "
            f"who left before it."
        )
    if not comparable(counts):
        return (
            f"In wave {wave}, {_count_text(pre)} respondents living abroad had left "
            f"before the announcement of {date} and {_count_text(post)} after it: too "
            f"few to compare, so both groups are withheld."
        )
    return (
        f"In wave {wave}, {_count_text(pre)} respondents living abroad had left Russia "
        f"before the mobilization announcement of {date} and {_count_text(post)} after it."
    )


def _signed(value: float, digits: int = 0) -> str:
    text = f"{abs(value):.{digits}f}"
    return text if float(text) == 0 or value > 0 else f"−{text}"


def _estimate_text(row: pd.Series, kind: str) -> str:
    if int(row["n"]) == 0:
        return "no respondent"
    if kind == "share":
        return share_text(row)
    if bool(row["suppressed"]):
        return f"{DASH} (withheld: fewer than {estimates.MIN_CELL_N} respondents)"
    return (
        f"{float(row['value']):.1f} (95% CI {float(row['ci_low']):.1f}–"
        f"{float(row['ci_high']):.1f}, n = {count(row['n'])})"
    )


def difference_words(
    contrast: pd.Series,
    first: pd.Series,
    second: pd.Series,
    words: tuple[str, str] = ("higher", "lower"),
) -> str:
    """Direction words for the second group against the first, decided by the test.

    >>> c = pd.Series({"suppressed": False, "p_value": 0.001})
    >>> difference_words(c, pd.Series({"value": 48.0}), pd.Series({"value": 59.0}))
    'higher'
    >>> difference_words(c.replace(0.001, 0.3), pd.Series({"value": 48.0}),
    ...                  pd.Series({"value": 50.0}))
    'no significant difference'
    """
    if bool(contrast["suppressed"]) or pd.isna(contrast["p_value"]):
        return "not compared"
    if not stats.is_significant(contrast["p_value"]) or first["value"] == second["value"]:
        return "no significant difference"
    return words[0] if second["value"] > first["value"] else words[1]


def _triples(records: pd.DataFrame):
    """(first group, second group, contrast, direction words) of each item, in item order."""
    for _, rows in records.groupby("order", sort=True):
        first, second, contrast = (rows.iloc[i] for i in range(3))
        words = (str(first["word_more"]), str(first["word_less"]))
        yield first, second, contrast, difference_words(contrast, first, second, words)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def item_sentence(records: pd.DataFrame, item: str, codebook: Codebook, wave: int) -> str:
    """One sentence on one item: both groups, the difference, the test, the verdict (or the
    note that the wave did not ask it)."""
    rows = records[records["item"] == item]
    if rows.empty:
        label = next(i.label for i in items(codebook) if i.key == item)
        return not_asked(label, wave)
    first, second, contrast, words = next(_triples(rows))
    kind = str(first["kind"])
    head = (
        f"{first['label']}: {_estimate_text(second, kind)} among those who left after "
        f"the announcement, against {_estimate_text(first, kind)} among those who left "
        f"before"
    )
    if words == "not compared":
        return (
            f"{first['label']}: {_estimate_text(first, kind)} among those who left before "
            f"the announcement; no comparison is possible in this wave."
        )
    test = TEST_NAMES.get(str(contrast["test"]), str(contrast["test"]))
    gap = (
        f"difference {pp(contrast['value'])}, "
        f"{interval(contrast['ci_low'], contrast['ci_high'], unit=' pp')}; "
        if kind == "share"
        else ""
    )
    verdict = (
        "no significant difference"
        if words == "no significant difference"
        else f"significantly {words} among those who left after"
    )
    return f"{head} ({gap}{test} {p_text(contrast['p_value'])}): {verdict}."


def differences_sentence(records: pd.DataFrame) -> str:
    """Which items differ significantly between the cohorts (with the direction and the gap)
    and which do not, decided by the tests at ``ALPHA``."""
    differ, same = [], []
    for first, _, contrast, words in _triples(records):
        label = _lower_first(str(first["label"]))
        if words == "no significant difference":
            same.append(label)
        elif words != "not compared":
            gap = f" {pp(contrast['value'])}" if first["kind"] == "share" else ""
            differ.append(f"{label} ({words}{gap})")
    total = len(differ) + len(same)
    if total == 0:
        return "the two groups cannot be compared in this wave."
    if not differ:
        return (
            f"the two groups did not differ significantly on any of the {total} items "
            f"({'; '.join(same)})."
        )
    if not same:
        return f"the two groups differed significantly on every item: {'; '.join(differ)}."
    return (
        f"the two groups differed significantly on {len(differ)} of the {total} items: "
        f"{'; '.join(differ)}. They did not differ significantly on {'; '.join(same)}."
    )


def brief_sentence(records: pd.DataFrame, item: str, codebook: Codebook, wave: int) -> str:
    """A short key-finding sentence on one item: both values, the gap, the verdict."""
    rows = records[records["item"] == item]
    if rows.empty:
        label = next(i.label for i in items(codebook) if i.key == item)
        return not_asked(label, wave)
    first, second, contrast, words = next(_triples(rows))
    kind = str(first["kind"])
    label = str(first["label"])
    if words == "not compared":
        return (
            f"{label}: {_short(first, kind)} among those who left before the "
            f"announcement (n = {_short_n(first)}); no comparison is possible in this wave."
        )
    gap = f"{pp(contrast['value'])}, " if kind == "share" else ""
    verdict = (
        "no significant difference"
        if words == "no significant difference"
        else f"significantly {words} among later leavers"
    )
    return (
        f"{label}: {_short(second, kind)} among those who left after the announcement and "
        f"{_short(first, kind)} among those who left before ({gap}"
        f"{p_text(contrast['p_value'])}) — {verdict}."
    )


def draft_timing_record(frame: pd.DataFrame, wave: int) -> list[dict]:
    """Share of the pre-mobilization leavers' answers on the draft given before the
    announcement (YearHalf fn6); none when the wave did not ask about the draft."""
    if "fear_draft" not in frame or frame["fear_draft"].isna().all():
        return []
    pre = frame[(samples.departure_cohort(frame) == PRE).fillna(False).to_numpy()]
    answered = pre[pre["fear_draft"].notna()]
    before = (pd.to_datetime(answered["interview_date"]) < MOBILIZATION).astype("float64")
    key = f"fear_draft_answered_before_announcement_share_w{wave}_{sample_code(wave)}"
    return [
        estimates.share_record(
            before,
            key=f"{key}_{SUBGROUPS[0]}",
            construct="interview_date",
            wave=wave,
            sample=sample_code(wave),
            subgroup=SUBGROUPS[0],
        )
    ]


def draft_timing_sentence(records: pd.DataFrame) -> str:
    """Prose on when the pre-mobilization leavers answered the draft question."""
    if records.empty:
        return "The question on the draft was not asked in this wave."
    row = records.iloc[0]
    if bool(row["suppressed"]):
        return "Too few answers on the draft were given to say when they were given."
    return (
        f"Of the answers on the draft given by those who left before the announcement, "
        f"{pct(row['value'])} were given before it (n = {count(row['n'])})."
    )


# --- figures and tables --------------------------------------------------------------------------
def group_labels(codebook: Codebook) -> dict[str, str]:
    """Reader labels of the two cohorts, from the codebook's ``mob_group`` codes."""
    var = codebook["mob_group"]
    return {sub: var.label(level) for level, sub in zip(GROUPS, SUBGROUPS, strict=True)}


def chart_data(records: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The aggregate a cohort chart draws: shown shares of both groups, one row each."""
    shares = records[(records["statistic"] == "share") & ~records["suppressed"]]
    data = shares[["label", "subgroup", "value", "ci_low", "ci_high", "n", "order"]].copy()
    data.insert(2, "group", data["subgroup"].map(group_labels(codebook)))
    return check_aggregate(data.round({"value": 1, "ci_low": 1, "ci_high": 1}))


def cohort_chart(
    records: pd.DataFrame, codebook: Codebook, name: str, title_x: str = "Share, %"
) -> Figure | Text:
    """Both cohorts side by side for each item: points with 95% intervals.

    Returns a short note instead of a figure when nothing can be shown.
    """
    data = chart_data(records, codebook)
    if data.empty:
        return Text(
            "*No share in this block can be shown for this wave (not asked, or "
            "withheld because the groups are too small).*"
        )
    order = data.sort_values("order")["label"].drop_duplicates().tolist()
    groups = list(group_labels(codebook).values())
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=360)),
        yOffset=alt.YOffset("group:N", sort=groups),
        color=alt.Color(
            "group:N",
            title=None,
            sort=groups,
            scale=alt.Scale(domain=groups, range=PALETTE[:2]),
            legend=alt.Legend(labelLimit=500, direction="vertical"),
        ),
    )
    rules = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title=title_x, scale=alt.Scale(domain=[0, 100])), x2="ci_high:Q"
    )
    points = base.mark_point(filled=True, size=60).encode(
        x="value:Q",
        tooltip=[
            alt.Tooltip("label:N", title="Item"),
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("value:Q", title="Share, %"),
            alt.Tooltip("ci_low:Q", title="95% CI from"),
            alt.Tooltip("ci_high:Q", title="95% CI to"),
            alt.Tooltip("n:Q", title="n", format=","),
        ],
    )
    chart = (rules + points).properties(width=420, height=max(90, 34 * len(order)))
    return Figure(chart, data.drop(columns=["order"]), name)


def chart_n(records: pd.DataFrame) -> str:
    """``'n = 6,116 and 3,422'``: respondents abroad who answered at least one charted item
    in each group (the largest item n), or a note when nothing is shown."""
    shares = records[(records["statistic"] == "share") & ~records["suppressed"]]
    if shares.empty:
        return "no group shown"
    ns = [shares.loc[shares["subgroup"] == sub, "n"] for sub in SUBGROUPS]
    parts = [
        f"{label} n = {count(n.max())}"
        for label, n in zip(("left before", "left after"), ns, strict=True)
        if not n.empty
    ]
    return "; ".join(parts)


def _not_shown(second: pd.Series) -> str:
    return "no one to compare" if int(second["n"]) == 0 else "withheld"


def _short(row: pd.Series, kind: str) -> str:
    """``'49% (48–51)'`` or ``'34.5 (34.3–34.7)'``; the withheld or empty mark otherwise."""
    if int(row["n"]) == 0:
        return "no respondent"
    if bool(row["suppressed"]):
        return "withheld"
    if kind == "share":
        return f"{pct(row['value'])} ({row['ci_low']:.0f}–{row['ci_high']:.0f})"
    return f"{row['value']:.1f} ({row['ci_low']:.1f}–{row['ci_high']:.1f})"


def _short_n(row: pd.Series) -> str:
    if bool(row["suppressed"]) and int(row["n"]) > 0:
        return f"< {estimates.MIN_CELL_N}"
    return count(row["n"])


SHORT_TESTS = {"chi2": "χ²", "fisher": "Fisher", "welch_t": "Welch t"}


def comparison_table(records: pd.DataFrame) -> Table:
    """One row per item: both groups (value, 95% interval, n), the difference with its
    interval, the test, its p-value and the verdict."""
    rows = []
    for first, second, contrast, words in _triples(records):
        kind = str(first["kind"])
        shown = not bool(contrast["suppressed"])
        if kind == "share":
            diff = (
                f"{pp(contrast['value'])} ({_signed(contrast['ci_low'])} to "
                f"{_signed(contrast['ci_high'])})"
                if shown
                else _not_shown(second)
            )
        else:
            diff = "means compared" if shown else _not_shown(second)
        test = SHORT_TESTS.get(str(contrast["test"]), str(contrast["test"]))
        rows.append(
            {
                "Item": first["label"],
                "Left before": _short(first, kind),
                "Left after": _short(second, kind),
                "n (before / after)": f"{_short_n(first)} / {_short_n(second)}",
                "After − before (95% CI)": diff,
                "Test, p": f"{test}, {p_text(contrast['p_value'])}" if shown else "none",
                "After vs before": words,
            }
        )
    columns = [
        "Item",
        "Left before",
        "Left after",
        "n (before / after)",
        "After − before (95% CI)",
        "Test, p",
        "After vs before",
    ]
    return Table(
        pd.DataFrame(rows, columns=columns),
        align=["left", "right", "right", "right", "right", "left", "left"],
    )
